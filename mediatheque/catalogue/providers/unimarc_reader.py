"""A UNIMARC bibliographic record (pymarc Record, or MarcXchange / MARCXML element) turned
into BookMetadata. Used by the BnF provider and meant for the UNIMARC/FM21 importers too.

Mapping (research/unimarc.md §1): 010 ISBN, 073 EAN, 101 languages, 102 country,
200 $a $e $f $g $h $i, 205 edition, 210/214 place/publisher/date, 215 extent, 225 series,
330 summary, 600/601/605/606/607 subjects, 676 Dewey, 700–702 and 710–712 with $4 relator
codes, leader/06–07 media type. Non-sorting marks are stripped everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree.ElementTree import Element

import isbnlib
from pymarc import Field, Indicators, Leader, Record, Subfield

from mediatheque.catalogue.isbn import is_valid_ean13
from mediatheque.catalogue.metadata import BookMetadata, Person
from mediatheque.catalogue.providers.normalise import clean, languages, year_of
from mediatheque.models.vocabulary import ContributorRole, MediaType

_ROLES = {role.value for role in ContributorRole}
# leader/06 type of record → our media types (FM21.md §3.1); 'a' is a book unless the
# bibliographic level (leader/07) says serial.
_MEDIA = {
    "g": MediaType.DVD, "i": MediaType.AUDIOBOOK, "j": MediaType.MUSIC_CD,
    "l": MediaType.DIGITAL, "m": MediaType.KIT, "r": MediaType.GAME,
}
_PERSON_TAGS = ("700", "701", "710", "711", "702", "712")
_SUBJECT_TAGS = ("600", "601", "605", "606", "607")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def record_from_xml(element: Element) -> Record:
    """A MarcXchange (`info:lc/xmlns/marcxchange-v2`, as the BnF sends) or MARCXML record
    element as a pymarc Record, whatever the namespace prefix."""
    record = Record()
    for child in element:
        name = _local(child.tag)
        if name == "leader":
            record.leader = Leader((child.text or "").ljust(24)[:24])
        elif name == "controlfield":
            record.add_field(Field(tag=child.get("tag", ""), data=child.text or ""))
        elif name == "datafield":
            subfields = [
                Subfield(code=sub.get("code", ""), value=sub.text or "")
                for sub in child if _local(sub.tag) == "subfield"
            ]
            record.add_field(Field(
                tag=child.get("tag", ""),
                indicators=Indicators(child.get("ind1", " "), child.get("ind2", " ")),
                subfields=subfields,
            ))
    return record


def _tidy(value: str) -> str | None:
    """Cleaned, without the ISBD punctuation some catalogues leave in subfields
    ('$b, Isaac', '$a Paris :')."""
    text = clean(value)
    return clean(text.lstrip(",;: ").rstrip(",;:/= ")) if text else None


def _values(record: Record, tag: str, code: str) -> list[str]:
    found = []
    for field in record.get_fields(tag):
        for value in field.get_subfields(code):
            text = _tidy(value)
            if text:
                found.append(text)
    return found


def _first(record: Record, tag: str, code: str) -> str | None:
    values = _values(record, tag, code)
    return values[0] if values else None


def _sub(field: Field, code: str) -> str | None:
    for value in field.get_subfields(code):
        text = _tidy(value)
        if text:
            return text
    return None


def _isbn13(record: Record) -> str | None:
    for raw in _values(record, "010", "a"):
        # "978-2-07-036002-4 (br.)" and ISBN-10s are both found in 010$a.
        isbn = isbnlib.EAN13(isbnlib.canonical(raw.split("(")[0])) or isbnlib.EAN13(raw)
        if isbn:
            return str(isbn)
    return None


def _ean(record: Record) -> str | None:
    for raw in _values(record, "073", "a"):
        digits = raw.replace("-", "").replace(" ", "")
        if is_valid_ean13(digits) and len(digits) == 13:
            return digits
    return None


def _title(record: Record) -> tuple[str | None, str | None, str | None]:
    fields = record.get_fields("200")
    if not fields:
        return None, None, None
    field = fields[0]
    titles = [clean(v) for v in field.get_subfields("a")]
    title = " ; ".join(t for t in titles if t) or None
    parts = [p for p in (_sub(field, "h"), _sub(field, "i")) if p]
    if title and parts:
        title = f"{title}. {', '.join(parts)}"
    subtitle = " : ".join(s for s in (clean(v) for v in field.get_subfields("e")) if s) or None
    statements = [clean(v) for v in field.get_subfields("f", "g")]
    responsibility = " ; ".join(s for s in statements if s) or None
    return title, subtitle, responsibility


def _publication(record: Record) -> tuple[str | None, str | None, int | None]:
    """210, or 214 with ind2 0 (publication) — never the printer (214 ind2 3, 210 $e/$g)."""
    candidates = list(record.get_fields("210")) + [
        field for field in record.get_fields("214") if field.indicator2 in ("0", " ")
    ]
    place = publisher = None
    year: int | None = None
    for field in candidates:
        place = place or _sub(field, "a")
        publisher = publisher or _sub(field, "c")
        year = year or year_of(_sub(field, "d"))
    if year is None:
        for field in record.get_fields("214"):
            year = year or year_of(_sub(field, "d"))
    if year is None:
        coded = _first(record, "100", "a") or ""
        year = year_of(coded[9:13]) if len(coded) >= 13 else None
    return place, publisher, year


def _series(record: Record) -> tuple[str | None, str | None]:
    for field in record.get_fields("225"):
        name = _sub(field, "a")
        if name:
            part = _sub(field, "i")
            return (f"{name}. {part}" if part else name), _sub(field, "v")
    return None, None


def _subjects(record: Record) -> tuple[str, ...]:
    headings: list[str] = []
    for tag in _SUBJECT_TAGS:
        for field in record.get_fields(tag):
            if tag == "600":
                main = ", ".join(p for p in (_sub(field, "a"), _sub(field, "b")) if p)
                dates = _sub(field, "f")
                main = f"{main} ({dates})" if main and dates else main
            else:
                main = _sub(field, "a") or ""
            subdivisions = [clean(v) for v in field.get_subfields("x", "y", "z", "j")]
            heading = " -- ".join(p for p in [main, *subdivisions] if p)
            if heading and heading not in headings:
                headings.append(heading)
    return tuple(headings)


def _role(field: Field) -> str:
    for raw in field.get_subfields("4"):
        code = raw.strip()
        if code in _ROLES:
            return code
        if code:
            return ContributorRole.OTHER.value
    return (ContributorRole.OTHER if field.tag in ("702", "712") else ContributorRole.AUTHOR).value


def _contributors(record: Record) -> tuple[Person, ...]:
    people: list[Person] = []
    for tag in _PERSON_TAGS:
        for field in record.get_fields(tag):
            surname = _sub(field, "a")
            if not surname:
                continue
            if tag.startswith("70"):
                person = Person(surname, _sub(field, "b"), _sub(field, "f"), _role(field))
            else:
                name = ". ".join([surname, *[s for s in (clean(v) for v in
                                                          field.get_subfields("b")) if s]])
                person = Person(name, role=_role(field), is_corporate=True)
            if person not in people:
                people.append(person)
    return tuple(people)


def _media_type(record: Record) -> str | None:
    leader = str(record.leader or "")
    if len(leader) < 8:
        return None
    if leader[6] in "ab":
        return (MediaType.PERIODICAL if leader[7] == "s" else MediaType.BOOK).value
    media = _MEDIA.get(leader[6])
    return media.value if media else None


def _dewey(record: Record) -> str | None:
    value = _first(record, "676", "a")
    return value.strip() if value else None


def metadata_from_unimarc(record: Record, source: str = "unimarc") -> BookMetadata:
    """Everything the record says that BookMetadata can hold; `source` names the provider."""
    title, subtitle, responsibility = _title(record)
    place, publisher, year = _publication(record)
    series, series_number = _series(record)
    isbn13 = _isbn13(record)
    ean = _ean(record)
    return BookMetadata(
        isbn13=isbn13 or (ean if ean and ean.startswith(("978", "979")) else None),
        ean=ean,
        title=title,
        subtitle=subtitle,
        responsibility=responsibility,
        contributors=_contributors(record),
        publisher=publisher,
        place=place,
        year=year,
        edition=_first(record, "205", "a"),
        extent=_first(record, "215", "a"),
        languages=languages(list(_values(record, "101", "a"))),
        country=(_first(record, "102", "a") or "").upper() or None,
        series=series,
        series_number=series_number,
        subjects=_subjects(record),
        dewey=_dewey(record),
        summary=_first(record, "330", "a"),
        media_type=_media_type(record),
        sources=(source,),
    )


def records_from_xml(elements: Iterable[Element]) -> list[Record]:
    return [record_from_xml(element) for element in elements]

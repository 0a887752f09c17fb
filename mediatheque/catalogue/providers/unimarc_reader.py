"""A UNIMARC bibliographic record turned into BookMetadata. Used by the BnF provider (a
pymarc Record made from a MarcXchange / MARCXML element) and by the FM21/UNIMARC importer
(`mediatheque.exchange.marc.MarcRecord`, or anything shaped like it: `MarcLike`).

Mapping (research/unimarc.md §1): 010 ISBN, 073 EAN, 101 languages, 102 country,
200 $a $e $f $g $h $i, 205 edition, 210/214 place/publisher/date, 215 extent, 225 series,
330 summary, 600/601/605/606/607 subjects, 676 Dewey, 700–702 and 710–712 with $4 relator
codes, leader/06–07 media type. Non-sorting marks are stripped everywhere.

The record's data fields are indexed by tag once (`UnimarcFields`), so that each of the
twenty-odd look-ups does not walk the whole record again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol
from xml.etree.ElementTree import Element

import isbnlib
from pymarc import Field, Indicators, Leader, Record, Subfield

from mediatheque.catalogue.isbn import is_bookland_ean, is_valid_ean13
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
_OTHER, _AUTHOR = ContributorRole.OTHER.value, ContributorRole.AUTHOR.value

Subfields = Sequence[tuple[str, str]]


class MarcFieldLike(Protocol):
    """A field as `mediatheque.exchange.marc.MarcField` holds it: control fields have
    `data`, data fields indicators and (code, value) subfields."""

    @property
    def tag(self) -> str: ...
    @property
    def data(self) -> str | None: ...
    @property
    def ind2(self) -> str: ...
    @property
    def subfields(self) -> Subfields: ...


class MarcLike(Protocol):
    @property
    def leader(self) -> str: ...
    @property
    def fields(self) -> Sequence[MarcFieldLike]: ...


class DataField:
    """One data field of the index: its second indicator and its subfields."""

    __slots__ = ("ind2", "subfields")

    def __init__(self, ind2: str, subfields: Subfields) -> None:
        self.ind2 = ind2
        self.subfields = subfields

    def values(self, code: str) -> list[str]:
        return [value for sub, value in self.subfields if sub == code]

    def first(self, code: str) -> str | None:
        for sub, value in self.subfields:
            if sub == code:
                return value
        return None


_NONE: tuple[DataField, ...] = ()


class UnimarcFields:
    """A record's leader and its data fields by tag (control fields are not needed). Built
    from a pymarc Record or a MarcLike record; tags and indicators are read as pymarc
    reads them (a numeric tag of another length is zero-padded to three digits; a blank
    indicator is a space)."""

    __slots__ = ("by_tag", "leader")

    def __init__(self, record: Record | MarcLike) -> None:
        by_tag: dict[str, list[DataField]] = {}
        self.by_tag = by_tag
        if isinstance(record, Record):
            self.leader = str(record.leader or "")
            for field in record.fields:
                if not field.control_field:
                    by_tag.setdefault(field.tag, []).append(
                        DataField(field.indicator2, field.subfields))
            return
        self.leader = record.leader.ljust(24)[:24]
        for marc_field in record.fields:
            tag = marc_field.tag
            if tag.isdigit():
                if len(tag) != 3:
                    tag = f"{int(tag):03}"
                if tag < "010":
                    continue
            if marc_field.data is not None:
                by_tag.setdefault(tag, []).append(DataField(" ", ()))
            else:
                by_tag.setdefault(tag, []).append(
                    DataField(marc_field.ind2 or " ", marc_field.subfields))

    def get(self, tag: str) -> Sequence[DataField]:
        return self.by_tag.get(tag, _NONE)

    def first(self, tag: str, code: str) -> str | None:
        """The first `code` value of the `tag` fields, as it is."""
        for field in self.by_tag.get(tag, _NONE):
            for sub, value in field.subfields:
                if sub == code:
                    return value
        return None


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
    # `clean` has collapsed the blanks already: stripping the ends is all that is left.
    return (text.lstrip(",;: ").rstrip(",;:/= ") or None) if text else None


def _values(record: UnimarcFields, tag: str, code: str) -> list[str]:
    found = []
    for field in record.get(tag):
        for sub, value in field.subfields:
            if sub == code:
                text = _tidy(value)
                if text:
                    found.append(text)
    return found


def _first(record: UnimarcFields, tag: str, code: str) -> str | None:
    for field in record.get(tag):
        text = _sub(field, code)
        if text:
            return text
    return None


def _sub(field: DataField, code: str) -> str | None:
    for sub, value in field.subfields:
        if sub == code:
            text = _tidy(value)
            if text:
                return text
    return None


def _cleaned(field: DataField, *codes: str) -> list[str | None]:
    return [clean(value) for sub, value in field.subfields if sub in codes]


def _isbn13(record: UnimarcFields) -> str | None:
    for raw in _values(record, "010", "a"):
        # "978-2-07-036002-4 (br.)" and ISBN-10s are both found in 010$a.
        written = raw.split("(")[0]
        compact = written.replace("-", "").replace(" ", "")
        if is_bookland_ean(compact):
            return compact  # what isbnlib says of it, without its regular expressions
        isbn = isbnlib.EAN13(isbnlib.canonical(written)) or isbnlib.EAN13(raw)
        if isbn:
            return str(isbn)
    return None


def _ean(record: UnimarcFields) -> str | None:
    for raw in _values(record, "073", "a"):
        digits = raw.replace("-", "").replace(" ", "")
        if is_valid_ean13(digits) and len(digits) == 13:
            return digits
    return None


def _title(record: UnimarcFields) -> tuple[str | None, str | None, str | None]:
    fields = record.get("200")
    if not fields:
        return None, None, None
    field = fields[0]
    titles = _cleaned(field, "a")
    title = " ; ".join(t for t in titles if t) or None
    parts = [p for p in (_sub(field, "h"), _sub(field, "i")) if p]
    if title and parts:
        title = f"{title}. {', '.join(parts)}"
    subtitle = " : ".join(s for s in _cleaned(field, "e") if s) or None
    statements = _cleaned(field, "f", "g")
    responsibility = " ; ".join(s for s in statements if s) or None
    return title, subtitle, responsibility


def _publication(record: UnimarcFields) -> tuple[str | None, str | None, int | None]:
    """210, or 214 with ind2 0 (publication) — never the printer (214 ind2 3, 210 $e/$g)."""
    candidates = list(record.get("210")) + [
        field for field in record.get("214") if field.ind2 in ("0", " ")
    ]
    place = publisher = None
    year: int | None = None
    for field in candidates:
        place = place or _sub(field, "a")
        publisher = publisher or _sub(field, "c")
        year = year or year_of(_sub(field, "d"))
    if year is None:
        for field in record.get("214"):
            year = year or year_of(_sub(field, "d"))
    if year is None:
        coded = _first(record, "100", "a") or ""
        year = year_of(coded[9:13]) if len(coded) >= 13 else None
    return place, publisher, year


def _series(record: UnimarcFields) -> tuple[str | None, str | None]:
    for field in record.get("225"):
        name = _sub(field, "a")
        if name:
            part = _sub(field, "i")
            return (f"{name}. {part}" if part else name), _sub(field, "v")
    return None, None


def _subjects(record: UnimarcFields) -> tuple[str, ...]:
    headings: list[str] = []
    for tag in _SUBJECT_TAGS:
        for field in record.get(tag):
            if tag == "600":
                main = ", ".join(p for p in (_sub(field, "a"), _sub(field, "b")) if p)
                dates = _sub(field, "f")
                main = f"{main} ({dates})" if main and dates else main
            else:
                main = _sub(field, "a") or ""
            subdivisions = _cleaned(field, "x", "y", "z", "j")
            heading = " -- ".join(p for p in [main, *subdivisions] if p)
            if heading and heading not in headings:
                headings.append(heading)
    return tuple(headings)


def _role(tag: str, field: DataField) -> str:
    for sub, raw in field.subfields:
        if sub != "4":
            continue
        code = raw.strip()
        if code in _ROLES:
            return code
        if code:
            return _OTHER
    return _OTHER if tag in ("702", "712") else _AUTHOR


def _contributors(record: UnimarcFields) -> tuple[Person, ...]:
    people: list[Person] = []
    for tag in _PERSON_TAGS:
        for field in record.get(tag):
            surname = _sub(field, "a")
            if not surname:
                continue
            if tag.startswith("70"):
                person = Person(surname, _sub(field, "b"), _sub(field, "f"), _role(tag, field))
            else:
                name = ". ".join([surname, *[s for s in _cleaned(field, "b") if s]])
                person = Person(name, role=_role(tag, field), is_corporate=True)
            if person not in people:
                people.append(person)
    return tuple(people)


def _media_type(record: UnimarcFields) -> str | None:
    leader = record.leader
    if len(leader) < 8:
        return None
    if leader[6] in "ab":
        return (MediaType.PERIODICAL if leader[7] == "s" else MediaType.BOOK).value
    media = _MEDIA.get(leader[6])
    return media.value if media else None


def _dewey(record: UnimarcFields) -> str | None:
    value = _first(record, "676", "a")
    return value.strip() if value else None


def metadata_from_unimarc(record: Record | MarcLike | UnimarcFields,
                          source: str = "unimarc") -> BookMetadata:
    """Everything the record says that BookMetadata can hold; `source` names the provider."""
    fields = record if isinstance(record, UnimarcFields) else UnimarcFields(record)
    title, subtitle, responsibility = _title(fields)
    place, publisher, year = _publication(fields)
    series, series_number = _series(fields)
    isbn13 = _isbn13(fields)
    ean = _ean(fields)
    return BookMetadata(
        isbn13=isbn13 or (ean if ean and ean.startswith(("978", "979")) else None),
        ean=ean,
        title=title,
        subtitle=subtitle,
        responsibility=responsibility,
        contributors=_contributors(fields),
        publisher=publisher,
        place=place,
        year=year,
        edition=_first(fields, "205", "a"),
        extent=_first(fields, "215", "a"),
        languages=languages(list(_values(fields, "101", "a"))),
        country=(_first(fields, "102", "a") or "").upper() or None,
        series=series,
        series_number=series_number,
        subjects=_subjects(fields),
        dewey=_dewey(fields),
        summary=_first(fields, "330", "a"),
        media_type=_media_type(fields),
        sources=(source,),
    )


def records_from_xml(elements: Iterable[Element]) -> list[Record]:
    return [record_from_xml(element) for element in elements]

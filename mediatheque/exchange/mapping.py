"""A MARC record read from a file → what the catalogue stores: a RecordInput and its copies
(995), plus what FM21 needs for matching (001, creation date, deletion).

UNIMARC goes through the catalogue's own mapping (providers/unimarc_reader), completed
here with what BookMetadata does not hold (parts, physical details, notes, audience,
keywords, CEFR level); MARC21 has a small mapping of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from mediatheque.catalogue.copies import MAX_BARCODE, CopyInput, clean_barcode
from mediatheque.catalogue.metadata import BookMetadata, Person
from mediatheque.catalogue.providers.normalise import clean, languages, year_of
from mediatheque.catalogue.providers.unimarc_reader import UnimarcFields, metadata_from_unimarc
from mediatheque.catalogue.records import CEFR_LEVELS, RecordInput, is_fle
from mediatheque.errors import InvalidValue
from mediatheque.exchange.marc import MarcRecord
from mediatheque.exchange.reading import MARC21, ReadRecord
from mediatheque.exchange.unimarc_writing import CODE_AUDIENCES, ITEM_TYPE_MEDIA
from mediatheque.frozen import quick_init
from mediatheque.models.vocabulary import Audience, ContributorRole, CopyStatus, MediaType, words

MAX_LOCATION = 20
_NOT_DIGIT = re.compile(r"\D")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_LANGUAGE = re.compile(r"[a-z]{3}")
_STATUSES = frozenset(words(CopyStatus))
_MARC21_ROLES = {"aut": ContributorRole.AUTHOR, "trl": ContributorRole.TRANSLATOR,
                 "ill": ContributorRole.ILLUSTRATOR, "edt": ContributorRole.EDITOR,
                 "aui": ContributorRole.PREFACE, "wpr": ContributorRole.PREFACE}


@quick_init
@dataclass(frozen=True)
class IncomingRecord:
    position: int
    control_number: str | None
    record: RecordInput
    copies: tuple[CopyInput, ...]
    created_on: date | None = None
    deleted: bool = False
    metadata: BookMetadata | None = None  # for reference catalogues
    # What the importer works out from the record alone, ahead of deciding (see
    # IncomingFile.stream's `prepare`): in the worker process for a large file.
    prepared: object = None


def _repair(text: str) -> str:
    """UTF-8 read as Latin-1 and encoded again ('MEL8Â°071'), as some exports do."""
    if "Ã" in text or "Â" in text:
        try:
            return text.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return text
    return text


def _text(value: str | None) -> str | None:
    return clean(_repair(value)) if value else None


def _date(text: str | None) -> date | None:
    if not text:
        return None
    digits = _NOT_DIGIT.sub("", text)[:8]
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])) if len(digits) == 8 \
            else None
    except ValueError:
        return None


def _price(text: str | None) -> Decimal | None:
    if not text:
        return None
    match = _NUMBER.search(text)
    if not match:
        return None
    try:
        value = Decimal(match.group().replace(",", "."))
    except InvalidOperation:
        return None
    return value if 0 <= value < Decimal("1e10") else None


def _barcode(raw: str | None) -> str | None:
    if not raw:
        return None
    code = raw.strip()
    # The common case (printable ASCII without blanks) without clean_barcode's slow check.
    if code and len(code) <= MAX_BARCODE and code.isascii() and code.isprintable() \
            and " " not in code:
        return code
    try:
        return clean_barcode(raw)
    except InvalidValue:
        return None


def copies_from_995(record: MarcRecord | UnimarcFields) -> tuple[CopyInput, ...]:
    """One copy per 995: $f barcode (a bad one is replaced by a generated one), $k call
    number, $u public note; location $e (Koha) or $j (PMB); Koha's $5/$p/$o/$2 and PMB's
    $o status word when they say something we know."""
    copies = []
    for field in record.get("995"):
        barcode = _barcode(field.first("f"))
        location = (field.first("e") or field.first("j") or "").strip() or None
        status = CopyStatus.AVAILABLE.value
        flag = (field.first("o") or "").strip()
        if (field.first("2") or "").strip() == "1":
            status = CopyStatus.LOST.value
        elif flag == "1":
            status = CopyStatus.REFERENCE.value
        elif flag in _STATUSES:
            status = flag
        copies.append(CopyInput(
            barcode=barcode,
            call_number=(_text(field.first("k")) or "")[:100] or None,
            location_code=location if location and len(location) <= MAX_LOCATION else None,
            status=status,
            acquired_on=_date(field.first("5")),
            price=_price(field.first("p")),
            public_note=(_text(field.first("u")) or "")[:500] or None,
        ))
    return tuple(copies)


def _unimarc(fields: UnimarcFields, source: str) -> tuple[RecordInput, BookMetadata]:
    metadata = metadata_from_unimarc(fields, source=source)
    data = RecordInput.fields_from_metadata(metadata)
    changes: dict[str, Any] = {}
    title_field = fields.get("200")
    if title_field:
        titles = [t for t in (_text(v) for v in title_field[0].values("a")) if t]
        changes["title"] = (" ; ".join(titles) or data["title"])[:1000]
        changes["part_number"] = (_text(title_field[0].first("h")) or "")[:100] or None
        changes["part_name"] = (_text(title_field[0].first("i")) or "")[:500] or None
    coded = fields.first("100", "a") or ""
    physical = fields.get("215")
    series = fields.get("225")
    original = (fields.first("101", "c") or "").strip().lower()
    keywords = tuple(k[:200] for k in (_text(f.first("a")) for f in fields.get("610")) if k)
    media = data["media_type"]
    if media == MediaType.BOOK:
        items = fields.get("995")
        item_type = (items[0].first("r") or "").strip().upper() if items else ""
        if item_type in ("BD", "FLE"):
            media = ITEM_TYPE_MEDIA[item_type]
    changes["media_type"] = media
    changes["audience"] = CODE_AUDIENCES.get(coded[17:18], Audience.UNKNOWN)
    if physical:
        changes["illustrations"] = (_text(physical[0].first("c")) or "")[:200] or None
        changes["dimensions"] = (_text(physical[0].first("d")) or "")[:100] or None
        changes["accompanying_material"] = (_text(physical[0].first("e")) or "")[:200] or None
    else:
        changes["illustrations"] = changes["dimensions"] = None
        changes["accompanying_material"] = None
    if series:
        changes["series"] = (_text(series[0].first("a")) or "")[:500] or None
    changes["note"] = "\n".join(
        n for n in (_text(f.first("a")) for f in fields.get("300")) if n) or None
    changes["original_language"] = original if _LANGUAGE.fullmatch(original) else None
    changes["keywords"] = keywords
    level_found = None
    for field in fields.get("686"):
        level = (field.first("a") or "").strip().upper()
        if (field.first("2") or "").strip().lower() == "cecrl" and level in CEFR_LEVELS \
                and is_fle(media, data["subjects"], keywords):
            level_found = level
    if level_found is not None:
        changes["cefr_level"] = level_found
    return RecordInput(**{**data, **changes}), metadata


def _marc21_people(marc: MarcRecord) -> tuple[Person, ...]:
    people: list[Person] = []
    for tag in ("100", "110", "700", "710"):
        for field in marc.get(tag):
            name = _text(field.first("a"))
            if not name:
                continue
            name = name.rstrip(",. ")
            relator = (field.first("4") or field.first("e") or "").strip().rstrip(".").lower()
            role = _MARC21_ROLES.get(relator, ContributorRole.AUTHOR if tag in ("100", "110")
                                     or not relator else ContributorRole.OTHER).value
            if tag.endswith("10"):
                people.append(Person(name, role=role, is_corporate=True))
                continue
            surname, _sep, forenames = name.partition(", ")
            dates = _text(field.first("d"))
            people.append(Person(surname.strip(), forenames.strip() or None,
                                 dates.rstrip(".,") if dates else None, role))
    return tuple(people)


def _marc21(read: ReadRecord, source: str) -> tuple[RecordInput, BookMetadata]:
    marc = read.record

    def first(tag: str, code: str) -> str | None:
        value = marc.first(tag, code)
        return _text(value.strip(" /:;,.=")) if value else None

    isbn = None
    for field in marc.get("020"):
        raw = (field.first("a") or "").split(" ")[0]
        if raw:
            isbn = raw
            break
    publication = marc.get("260") or marc.get("264")
    fixed = marc.control("008") or ""
    language = fixed[35:38] if len(fixed) >= 38 else ""
    year = year_of(publication[0].first("c")) if publication else None
    year = year or (year_of(fixed[7:11]) if len(fixed) >= 11 else None)
    metadata = BookMetadata(
        title=first("245", "a"), subtitle=first("245", "b"),
        responsibility=first("245", "c"), contributors=_marc21_people(marc),
        place=_text((publication[0].first("a") or "").strip(" :;,")) if publication else None,
        publisher=_text((publication[0].first("b") or "").strip(" :;,"))
        if publication else None,
        year=year, edition=first("250", "a"), extent=first("300", "a"),
        languages=languages([language, *(v for f in marc.get("041") for v in f.values("a"))]),
        series=first("490", "a") or first("830", "a"), series_number=first("490", "v"),
        subjects=tuple(dict.fromkeys(
            " -- ".join(p for p in (_text(v.strip(" .")) for c, v in f.subfields
                                    if c in "axyz") if p)
            for f in marc.get("650") + marc.get("651"))),
        dewey=first("082", "a"), summary=first("520", "a"), sources=(source,),
    )
    data = RecordInput.from_metadata(metadata)
    if isbn:
        data = replace(data, isbn=isbn)
    return data, metadata


def incoming_record(read: ReadRecord, source: str, *,
                    keep_metadata: bool = False) -> IncomingRecord:
    """Raises nothing: a record without a title gets an empty title (the importer rejects
    it as `missing_title`). `keep_metadata`: keep the BookMetadata too (for a reference
    catalogue; an import into the holdings does not need it)."""
    marc = read.record
    deleted = marc.leader[5:6] == "d"
    if read.flavour == MARC21:
        data, metadata = _marc21(read, source)
        copies: tuple[CopyInput, ...] = ()
        created = _date("20" + (marc.control("008") or "")[:6]) \
            if (marc.control("008") or "")[:6].isdigit() else None
    else:
        fields = UnimarcFields(marc)
        data, metadata = (RecordInput(title=""), BookMetadata()) if deleted \
            else _unimarc(fields, source)
        copies = copies_from_995(fields)
        created = _date((fields.first("100", "a") or "")[:8])
    return IncomingRecord(
        position=read.position,
        control_number=(marc.control("001") or "").strip() or None,
        record=data, copies=copies, created_on=created, deleted=deleted,
        metadata=metadata if keep_metadata else None,
    )

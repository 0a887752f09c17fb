"""A catalogue record as an FM21 UNIMARC record (FM21.md §3): pure functions from plain
values, no database."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from mediatheque.catalogue.isbn import Isbn
from mediatheque.exchange.marc import RawField
from mediatheque.models.vocabulary import Audience, ContributorRole, CopyStatus, MediaType

PROFILES = ("core", "koha", "pmb")
# FM21.md §3.1: media type → leader/06, leader/07, default 995$r.
MEDIA_CODES: dict[str, tuple[str, str, str]] = {
    MediaType.BOOK: ("a", "m", "LIV"),
    MediaType.COMIC: ("a", "m", "BD"),
    MediaType.FLE_METHOD: ("a", "m", "FLE"),
    MediaType.PERIODICAL: ("a", "s", "REV"),
    MediaType.DVD: ("g", "m", "DVD"),
    MediaType.MUSIC_CD: ("j", "m", "CD"),
    MediaType.AUDIOBOOK: ("i", "m", "LIVA"),
    MediaType.KIT: ("m", "m", "KIT"),
    MediaType.GAME: ("r", "m", "JEU"),
    MediaType.DIGITAL: ("l", "m", "NUM"),
}
ITEM_TYPE_MEDIA = {codes[2]: media for media, codes in MEDIA_CODES.items()}
AUDIENCE_CODES = {
    Audience.CHILDREN: "a", Audience.AGES_5_10: "c", Audience.AGES_9_14: "d",
    Audience.TEENAGERS: "e", Audience.ADULTS: "m", Audience.UNKNOWN: "u",
}
CODE_AUDIENCES = {code: audience.value for audience, code in AUDIENCE_CODES.items()}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


class PersonRow(NamedTuple):
    surname: str
    forenames: str | None
    dates: str | None
    role: str
    is_corporate: bool


class CopyRow(NamedTuple):
    barcode: str
    call_number: str | None
    location_code: str | None
    status: str
    on_loan: bool
    acquired_on: date | None
    price: Decimal | None
    public_note: str | None


class RecordRow(NamedTuple):
    """What the export reads of one record (plain values; a tuple, as there are many)."""

    id: int
    title: str
    subtitle: str | None
    responsibility: str | None
    part_number: str | None
    part_name: str | None
    publisher: str | None
    place: str | None
    year: int | None
    edition: str | None
    isbn13: str | None
    ean: str | None
    country: str | None
    original_language: str | None
    media_type: str
    audience: str
    cefr_level: str | None
    dewey: str | None
    series: str | None
    series_number: str | None
    extent: str | None
    illustrations: str | None
    dimensions: str | None
    accompanying_material: str | None
    summary: str | None
    note: str | None
    created_at: datetime
    updated_at: datetime
    languages: tuple[str, ...] = ()
    people: tuple[PersonRow, ...] = ()
    subjects: tuple[tuple[str, str], ...] = ()  # (heading, scheme)
    keywords: tuple[str, ...] = ()
    copies: tuple[CopyRow, ...] = ()


def control_number(library_code: str, record_id: int) -> str:
    return f"{library_code}-{record_id}"


def item_type(media_type: str) -> str:
    return MEDIA_CODES.get(media_type, MEDIA_CODES[MediaType.BOOK])[2]


def leader(status: str, media_type: str) -> str:
    """24 characters, FM21.md §3.1; length and base address are computed when written."""
    kind, level, _code = MEDIA_CODES.get(media_type, MEDIA_CODES[MediaType.BOOK])
    return f"00000{status}{kind}{level}0 2200000" + "1i 450 "


def field_100(created: date, year: int | None, audience: str, title: str) -> str:
    """100$a, exactly 36 characters, declaring UTF-8 (`50`)."""
    when = _ymd(created)
    year_text = f"{year:04d}" if year is not None and 0 <= year <= 9999 else "    "
    audience_code = AUDIENCE_CODES.get(audience, "u")  # type: ignore[call-overload]
    script = "ca" if _CYRILLIC.search(title) else "ba"
    value = f"{when}d{year_text}    {audience_code:<3}y0frey50      {script}"
    assert len(value) == 36
    return value


def _hyphenated(isbn13: str) -> str:
    # Stored ISBNs were validated when saved: only the hyphens are missing.
    return Isbn(isbn13).hyphenated()


# Formatted by hand: strftime costs several microseconds a call, and the export makes
# three calls a record.
def _ymd(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _stamp(moment: datetime) -> str:
    return f"{_ymd(moment)}{moment.hour:02d}{moment.minute:02d}{moment.second:02d}.0"


def _data(tag: str, pairs: Sequence[tuple[str, str | None]], ind1: str = " ",
          ind2: str = " ") -> RawField | None:
    subfields = tuple([(code, value) for code, value in pairs if value])
    return (tag, ind1, ind2, subfields) if subfields else None


def _one(tag: str, value: str | None) -> RawField | None:
    return (tag, " ", " ", (("a", value),)) if value else None


def _people(people: tuple[PersonRow, ...]) -> list[RawField]:
    fields: list[RawField] = []
    main_person = main_body = False
    for person in people:
        authorial = person.role == ContributorRole.AUTHOR
        if person.is_corporate:
            tag = "712" if not authorial else ("711" if main_body else "710")
            main_body = main_body or authorial
            field = _data(tag, [("a", person.surname), ("4", person.role)], ind1="0", ind2="2")
        else:
            tag = "702" if not authorial else ("701" if main_person else "700")
            main_person = main_person or authorial
            field = _data(tag, [("a", person.surname), ("b", person.forenames),
                                ("f", person.dates), ("4", person.role)], ind2="1")
        if field is not None:
            fields.append(field)
    return fields


def _holding(copy: CopyRow, code: str, item: str, profile: str) -> RawField:
    pairs: list[tuple[str, str | None]] = [
        ("b", code), ("c", code), ("f", copy.barcode), ("k", copy.call_number),
        ("r", item), ("u", copy.public_note),
    ]
    if profile == "koha":
        pairs += [
            ("e", copy.location_code),
            ("5", copy.acquired_on.isoformat() if copy.acquired_on else None),
            ("p", f"{copy.price:.2f}" if copy.price is not None else None),
            ("o", "1" if copy.status == CopyStatus.REFERENCE else None),
            ("2", "1" if copy.status == CopyStatus.LOST else None),
        ]
    elif profile == "pmb":
        pairs += [("j", copy.location_code), ("o", copy_status(copy))]
    return ("995", " ", " ", tuple([(c, v) for c, v in pairs if v]))


def copy_status(copy: CopyRow) -> str:
    """FM21.md §4: a copy's status, `on_loan` when an open loan says so."""
    return "on_loan" if copy.on_loan and copy.status == CopyStatus.AVAILABLE else copy.status


def unimarc_record(row: RecordRow, *, library_code: str, country: str, profile: str = "core",
                   status: str = "n") -> tuple[str, list[RawField]]:
    """The record's label and fields with its copies (one 995 each), in ascending tag
    order, as `marc.write_record` takes them."""
    created = row.created_at
    fields: list[RawField | None] = [
        ("001", None, None, control_number(library_code, row.id)),
        ("005", None, None, _stamp(row.updated_at)),
        ("010", " ", " ", (("a", _hyphenated(row.isbn13)),)) if row.isbn13 else None,
        ("073", " ", " ", (("a", row.ean),)) if row.ean else None,
        ("100", " ", " ", (("a", field_100(created, row.year, row.audience, row.title)),)),
    ]
    translated = bool(row.original_language and row.original_language not in row.languages[:1])
    language_pairs: list[tuple[str, str | None]] = [("a", code) for code in row.languages]
    fields.append(_data("101", [*language_pairs, ("c", row.original_language)],
                        ind1="1" if translated else "0"))
    fields.append(_one("102", row.country))
    statements = [s.strip() for s in (row.responsibility or "").split(" ; ") if s.strip()]
    fields.append(_data("200", [("a", row.title), ("e", row.subtitle)]
                        + [("f" if i == 0 else "g", s) for i, s in enumerate(statements)]
                        + [("h", row.part_number), ("i", row.part_name)], ind1="1"))
    fields.append(_one("205", row.edition))
    fields.append(_data("210", [("a", row.place), ("c", row.publisher),
                                ("d", str(row.year) if row.year is not None else None)]))
    if row.extent or row.illustrations or row.dimensions or row.accompanying_material:
        fields.append(_data("215", [("a", row.extent), ("c", row.illustrations),
                                    ("d", row.dimensions), ("e", row.accompanying_material)]))
    if row.series or row.series_number:
        fields.append(_data("225", [("a", row.series), ("v", row.series_number)], ind1="1"))
    fields.append(_one("300", row.note))
    fields.append(_one("330", row.summary))
    for heading, scheme in row.subjects:
        main, *subdivisions = heading.split(" -- ")
        fields.append(_data("606", [("a", main)] + [("x", s) for s in subdivisions]
                            + [("2", scheme)]))
    fields += [_one("610", word) for word in row.keywords]
    fields.append(_one("676", row.dewey))
    if row.cefr_level:
        fields.append(_data("686", [("a", row.cefr_level), ("2", "cecrl")]))
    fields += _people(row.people)
    fields.append(_data("801", [("a", country), ("b", library_code),
                                ("c", _ymd(created))], ind2="0"))
    item = item_type(row.media_type)
    fields += [_holding(copy, library_code, item, profile) for copy in row.copies]
    return leader(status, row.media_type), [f for f in fields if f is not None]


def deleted_record(record_id: int, deleted_at: datetime, *, library_code: str,
                   country: str) -> tuple[str, list[RawField]]:
    """A record announced as deleted in a delta package (leader/05 `d`)."""
    return leader("d", MediaType.BOOK), [
        ("001", None, None, control_number(library_code, record_id)),
        ("005", None, None, _stamp(deleted_at)),
        ("801", " ", "0", (("a", country), ("b", library_code),
                           ("c", _ymd(deleted_at)))),
    ]

"""Records (notices): create, edit, delete, and their cover image.

A `RecordInput` holds everything a person edits on a record; the services validate it all
before writing anything, so a bad value never leaves half a record behind. The search index
is kept up to date in the same transaction (`index_records` / `unindex_records`).

CEFR levels (A1…C2) belong to FLE material only: FLE methods, kits, or any record whose
subjects or keywords name it FLE (graded readers are books, "lectures FLE").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mediatheque.audit import changes, record_audit
from mediatheque.catalogue.isbn import is_bookland_ean, is_valid_ean13, parse_isbn
from mediatheque.catalogue.metadata import BookMetadata, Person
from mediatheque.catalogue.search import index_records, unindex_records
from mediatheque.errors import InvalidCover, InvalidValue, RecordHasLoans, UnknownRecord
from mediatheque.frozen import quick_init
from mediatheque.models import (
    Contribution,
    Contributor,
    Copy,
    Keyword,
    Loan,
    Record,
    RecordCover,
    RecordKeyword,
    RecordLanguage,
    RecordSubject,
    RecordTombstone,
    Subject,
)
from mediatheque.models.vocabulary import (
    Audience,
    CefrLevel,
    ContributorRole,
    MediaType,
    SubjectScheme,
    words,
)
from mediatheque.permissions import Actor, Permission

LANGUAGE_CODE = re.compile(r"^[a-z]{3}$")
MEDIA_TYPES = frozenset(words(MediaType))
AUDIENCES = frozenset(words(Audience))
CEFR_LEVELS = frozenset(words(CefrLevel))
ROLES = frozenset(words(ContributorRole))
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
FLE_MEDIA = frozenset({MediaType.FLE_METHOD, MediaType.KIT})
MAX_COVER_BYTES = 5 * 1024 * 1024
# Column widths of the record table (models/catalogue.py): checked before writing, so that
# PostgreSQL never refuses a value half-way through an import.
TEXT_LIMITS = {
    "title": 1000, "subtitle": 1000, "responsibility": 1000, "part_number": 100,
    "part_name": 500, "publisher": 500, "place": 200, "edition": 200, "dewey": 40,
    "series": 500, "series_number": 50, "extent": 200, "illustrations": 200,
    "dimensions": 100, "accompanying_material": 200, "metadata_source": 50,
}
PERSON_LIMITS = {"surname": 300, "forenames": 300, "dates": 50}
SUBJECT_LIMIT, KEYWORD_LIMIT = 500, 200


@quick_init
@dataclass(frozen=True)
class RecordInput:
    """A record as a person (or a source) gives it. `isbn` is the text as typed: an ISBN-10
    or -13 becomes `isbn13`; a valid EAN-13 that is not an ISBN (DVD, CD, game) becomes
    `ean`. Languages are ISO 639-2/B codes, the first one the main language."""

    title: str
    subtitle: str | None = None
    responsibility: str | None = None
    contributors: tuple[Person, ...] = ()
    publisher: str | None = None
    place: str | None = None
    year: int | None = None
    edition: str | None = None
    isbn: str | None = None
    ean: str | None = None
    languages: tuple[str, ...] = ()
    original_language: str | None = None
    country: str | None = None
    media_type: str = MediaType.BOOK
    audience: str = Audience.UNKNOWN
    cefr_level: str | None = None
    dewey: str | None = None
    series: str | None = None
    series_number: str | None = None
    part_number: str | None = None
    part_name: str | None = None
    extent: str | None = None
    illustrations: str | None = None
    dimensions: str | None = None
    accompanying_material: str | None = None
    summary: str | None = None
    note: str | None = None
    subjects: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    metadata_source: str | None = None

    @classmethod
    def from_metadata(cls, metadata: BookMetadata, *, title_fallback: str = "",
                      latest_year: int = 9999) -> RecordInput:
        """A record from what providers found. Values that would not fit (a language code
        that is not ISO 639-2, an over-long publisher) are dropped or clipped, since a source
        is not a person who can be asked to correct them."""
        return cls(**cls.fields_from_metadata(metadata, title_fallback=title_fallback,
                                              latest_year=latest_year))

    @staticmethod
    def fields_from_metadata(metadata: BookMetadata, *, title_fallback: str = "",
                             latest_year: int = 9999) -> dict[str, Any]:
        """from_metadata's fields, for a caller that completes them before making the
        record (the MARC importer: one record made instead of two)."""
        languages = tuple(code for code in metadata.languages if LANGUAGE_CODE.match(code))
        country = metadata.country.upper() if metadata.country else None
        media = metadata.media_type if metadata.media_type in MEDIA_TYPES else None
        return {
            "title": _clip("title", metadata.title) or title_fallback,
            "subtitle": _clip("subtitle", metadata.subtitle),
            "responsibility": _clip("responsibility", metadata.responsibility),
            "contributors": tuple(_clip_person(p) for p in metadata.contributors if p.surname),
            "publisher": _clip("publisher", metadata.publisher),
            "place": _clip("place", metadata.place),
            "year": metadata.year if metadata.year and 0 < metadata.year <= latest_year else None,
            "edition": _clip("edition", metadata.edition),
            "isbn": metadata.isbn13,
            "ean": metadata.ean if metadata.ean and is_valid_ean13(metadata.ean) else None,
            "languages": tuple(dict.fromkeys(languages)),
            "country": country if country and COUNTRY_CODE.match(country) else None,
            "media_type": media or MediaType.BOOK,
            "dewey": _clip("dewey", metadata.dewey),
            "series": _clip("series", metadata.series),
            "series_number": _clip("series_number", metadata.series_number),
            "extent": _clip("extent", metadata.extent),
            "summary": metadata.summary or None,
            "subjects": tuple(s[:SUBJECT_LIMIT] for s in metadata.subjects if s.strip()),
            "metadata_source": _clip("metadata_source", ",".join(metadata.sources)),
        }


def _clip(name: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return value.strip()[: TEXT_LIMITS[name]]


def _clip_person(person: Person) -> Person:
    return Person(
        surname=person.surname.strip()[: PERSON_LIMITS["surname"]],
        forenames=(person.forenames or "").strip()[: PERSON_LIMITS["forenames"]] or None,
        dates=(person.dates or "").strip()[: PERSON_LIMITS["dates"]] or None,
        role=person.role if person.role in ROLES else ContributorRole.AUTHOR,
        is_corporate=person.is_corporate,
    )


def resolve_identifiers(isbn: str | None, ean: str | None) -> tuple[str | None, str | None]:
    """(isbn13, ean) from what was typed. Raises InvalidIsbn for a bad ISBN and
    InvalidValue('ean') for a bad EAN."""
    isbn13: str | None = None
    other: str | None = None
    if isbn and isbn.strip():
        digits = re.sub(r"[\s-]", "", isbn)
        if len(digits) in (12, 13) and is_valid_ean13(digits) and not is_bookland_ean(
            digits.zfill(13)
        ):
            other = digits.zfill(13)
        else:
            isbn13 = parse_isbn(isbn).isbn13
    if ean and ean.strip():
        digits = re.sub(r"[\s-]", "", ean)
        if not is_valid_ean13(digits):
            raise InvalidValue("ean", ean.strip()[:40])
        if is_bookland_ean(digits.zfill(13)):
            isbn13 = isbn13 or digits
        else:
            other = other or digits.zfill(13)
    return isbn13, other


def is_fle_material(data: RecordInput) -> bool:
    return is_fle(data.media_type, data.subjects, data.keywords)


def is_fle(media_type: str, subjects: tuple[str, ...], keywords: tuple[str, ...]) -> bool:
    if media_type in FLE_MEDIA:
        return True
    labels = {_fold(label) for label in (*subjects, *keywords)}
    return "fle" in labels or any(label.startswith("fle ") for label in labels)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def validated_columns(
    data: RecordInput, *, latest_year: int,
    identifiers: tuple[str | None, str | None] | None = None,
) -> dict[str, Any]:
    """The record's column values, or InvalidValue / InvalidIsbn for the first wrong one.
    `identifiers`: (isbn13, ean) already checked by the caller (a bulk import)."""
    values = _text_columns(data)
    if data.year is not None and not 0 < data.year <= latest_year:
        raise InvalidValue("year", str(data.year))
    values["year"] = data.year
    values.update(_coded_columns(data))
    values["isbn13"], values["ean"] = identifiers or resolve_identifiers(data.isbn, data.ean)
    _check_links(data)
    return values


def _text_columns(data: RecordInput) -> dict[str, Any]:
    title = (data.title or "").strip()
    if not title:
        raise InvalidValue("title", data.title or "")
    values: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        value = title if name == "title" else getattr(data, name)
        if value:
            value = value.strip() or None
            if value is not None and len(value) > limit:
                raise InvalidValue(name, value[:40])
        values[name] = value or None
    values["summary"] = (data.summary or "").strip() or None
    values["note"] = (data.note or "").strip() or None
    return values


def _coded_columns(data: RecordInput) -> dict[str, Any]:
    if data.media_type not in MEDIA_TYPES:
        raise InvalidValue("media_type", data.media_type)
    if data.audience not in AUDIENCES:
        raise InvalidValue("audience", data.audience)
    level = (data.cefr_level or "").strip().upper() or None
    if level is not None and (level not in CEFR_LEVELS or not is_fle_material(data)):
        raise InvalidValue("cefr_level", data.cefr_level or "")
    country = (data.country or "").strip().upper() or None
    if country is not None and not COUNTRY_CODE.match(country):
        raise InvalidValue("country", data.country or "")
    for code in (*data.languages, *filter(None, [data.original_language])):
        if not LANGUAGE_CODE.match(code):
            raise InvalidValue("language", code)
    return {"media_type": data.media_type, "audience": data.audience, "cefr_level": level,
            "country": country, "original_language": data.original_language}


def _check_links(data: RecordInput) -> None:
    for person in data.contributors:
        if not person.surname.strip():
            raise InvalidValue("contributor", person.display())
        for name, limit in PERSON_LIMITS.items():
            if len(getattr(person, name) or "") > limit:
                raise InvalidValue("contributor", person.display()[:40])
        if person.role not in ROLES:
            raise InvalidValue("role", person.role)
    for heading in data.subjects:
        if len(heading.strip()) > SUBJECT_LIMIT:
            raise InvalidValue("subject", heading[:40])
    for word in data.keywords:
        if len(word.strip()) > KEYWORD_LIMIT:
            raise InvalidValue("keyword", word[:40])


def create_record(session: Session, actor: Actor, data: RecordInput, *, now: datetime) -> int:
    """Adds a record (without copies: see copies.add_copies); returns its id."""
    actor.require(Permission.CATALOGUE)
    values = validated_columns(data, latest_year=now.year + 1)
    record = Record(**values, created_at=now, updated_at=now)
    session.add(record)
    session.flush()
    _write_links(session, record.id, data)
    index_records(session, [record.id])
    record_audit(session, actor, action="record_create", entity="record", entity_id=record.id,
                 now=now, details={"title": record.title, "isbn": record.isbn13})
    return record.id


def update_record(session: Session, actor: Actor, record_id: int, data: RecordInput, *,
                  now: datetime) -> None:
    """Replaces every field of the record with `data` (copies are not touched)."""
    actor.require(Permission.CATALOGUE)
    record = _get(session, record_id)
    values = validated_columns(data, latest_year=now.year + 1)
    before = {name: getattr(record, name) for name in values}
    for name, value in values.items():
        setattr(record, name, value)
    record.updated_at = now
    for model in (RecordLanguage, Contribution, RecordSubject, RecordKeyword):
        session.execute(delete(model).where(model.record_id == record_id))
    session.flush()
    session.expire(record, ["languages", "contributions", "subjects", "keywords"])
    _write_links(session, record_id, data)
    index_records(session, [record_id])
    record_audit(session, actor, action="record_update", entity="record", entity_id=record_id,
                 now=now, details=changes(before, values))


def delete_record(session: Session, actor: Actor, record_id: int, *, now: datetime) -> None:
    """Deletes a record and its copies. Refused (RecordHasLoans) while a copy is on loan.
    Loan history stays (its copy and record links become empty); a tombstone tells the
    next FM21 delta export that the record is gone."""
    actor.require(Permission.DELETE)
    record = _get(session, record_id)
    on_loan = session.scalar(
        select(func.count()).select_from(Loan).join(Copy, Loan.copy_id == Copy.id)
        .where(Copy.record_id == record_id, Loan.returned_at.is_(None))
    ) or 0
    if on_loan:
        raise RecordHasLoans(record_id=record_id, on_loan=on_loan)
    copies = session.scalar(
        select(func.count()).select_from(Copy).where(Copy.record_id == record_id)
    )
    record_audit(session, actor, action="record_delete", entity="record", entity_id=record_id,
                 now=now, details={"title": record.title, "isbn": record.isbn13,
                                   "copies": copies})
    session.execute(delete(Copy).where(Copy.record_id == record_id))
    session.execute(delete(Record).where(Record.id == record_id))
    session.merge(RecordTombstone(record_id=record_id, deleted_at=now))
    session.expunge(record)
    session.flush()
    unindex_records(session, [record_id])


IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def image_type(data: bytes) -> str | None:
    """The MIME type of a PNG, JPEG, GIF or WebP image from its first bytes, else None."""
    for signature, mime in IMAGE_SIGNATURES:
        if data.startswith(signature):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def set_cover(session: Session, actor: Actor, record_id: int, data: bytes, *,
              source: str | None = None, now: datetime) -> str:
    """Stores the cover image (from a lookup, a file or the clipboard); returns its MIME
    type, read from the bytes themselves (a name or a declared type can lie)."""
    actor.require(Permission.CATALOGUE)
    if not data:
        raise InvalidCover(problem="empty", size=0)
    if len(data) > MAX_COVER_BYTES:
        raise InvalidCover(problem="too_large", size=len(data))
    mime = image_type(data)
    if mime is None:
        raise InvalidCover(problem="not_an_image", size=len(data))
    record = _get(session, record_id)
    session.merge(RecordCover(record_id=record_id, mime_type=mime, data=data,
                              source=(source or None) and source[:500]))
    record.updated_at = now
    session.flush()
    record_audit(session, actor, action="cover_set", entity="record", entity_id=record_id,
                 now=now, details={"type": mime, "bytes": len(data), "source": source})
    return mime


def remove_cover(session: Session, actor: Actor, record_id: int, *, now: datetime) -> None:
    actor.require(Permission.CATALOGUE)
    record = _get(session, record_id)
    session.execute(delete(RecordCover).where(RecordCover.record_id == record_id))
    record.updated_at = now
    session.flush()
    record_audit(session, actor, action="cover_remove", entity="record", entity_id=record_id,
                 now=now)


def _get(session: Session, record_id: int) -> Record:
    record = session.get(Record, record_id)
    if record is None:
        raise UnknownRecord(record_id)
    return record


def _write_links(session: Session, record_id: int, data: RecordInput) -> None:
    add_languages(session, record_id, data.languages)
    add_contributions(session, record_id, data.contributors)
    link_subjects(session, record_id, data.subjects)
    link_keywords(session, record_id, data.keywords)
    session.flush()


def add_languages(session: Session, record_id: int, codes: tuple[str, ...]) -> None:
    for position, code in enumerate(dict.fromkeys(codes)):
        session.add(RecordLanguage(record_id=record_id, position=position, code=code))


def add_contributions(session: Session, record_id: int, people: tuple[Person, ...],
                      *, first_position: int = 0) -> None:
    for position, person in enumerate(people, start=first_position):
        contributor_id = contributor_id_for(session, person)
        session.add(Contribution(record_id=record_id, position=position,
                                 contributor_id=contributor_id, role=person.role))


def contributor_id_for(session: Session, person: Person) -> int:
    """The contributor with the same surname and forenames (and dates, when both say),
    created when there is none."""
    surname = person.surname.strip()
    forenames = (person.forenames or "").strip() or None
    dates = (person.dates or "").strip() or None
    query = select(Contributor.id, Contributor.dates).where(
        Contributor.surname == surname,
        Contributor.forenames == forenames if forenames else Contributor.forenames.is_(None),
    ).order_by(Contributor.id)
    candidates = session.execute(query).all()
    for candidate_id, candidate_dates in candidates:
        if dates is None or candidate_dates == dates:
            return int(candidate_id)
    contributor = Contributor(surname=surname, forenames=forenames, dates=dates,
                              is_corporate=person.is_corporate)
    session.add(contributor)
    session.flush()
    return contributor.id


def link_subjects(session: Session, record_id: int, headings: tuple[str, ...]) -> None:
    for heading in dict.fromkeys(h.strip() for h in headings if h.strip()):
        subject_id = session.scalar(select(Subject.id).where(Subject.heading == heading))
        if subject_id is None:
            scheme = SubjectScheme.RAMEAU if " -- " in heading else SubjectScheme.LOCAL
            subject = Subject(heading=heading, scheme=scheme)
            session.add(subject)
            session.flush()
            subject_id = subject.id
        session.add(RecordSubject(record_id=record_id, subject_id=subject_id))


def link_keywords(session: Session, record_id: int, keywords: tuple[str, ...]) -> None:
    for word in dict.fromkeys(w.strip() for w in keywords if w.strip()):
        keyword_id = session.scalar(select(Keyword.id).where(Keyword.word == word))
        if keyword_id is None:
            keyword = Keyword(word=word)
            session.add(keyword)
            session.flush()
            keyword_id = keyword.id
        session.add(RecordKeyword(record_id=record_id, keyword_id=keyword_id))


def record_input_fields() -> tuple[str, ...]:
    return tuple(f.name for f in fields(RecordInput))

"""One record with its copies and their status: the detail pane and `catalogue show`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediatheque.catalogue.metadata import Person
from mediatheque.errors import UnknownRecord
from mediatheque.models import (
    Contribution,
    Contributor,
    Copy,
    Keyword,
    Loan,
    Location,
    PendingLookup,
    Record,
    RecordCover,
    RecordKeyword,
    RecordLanguage,
    RecordSubject,
    Subject,
)


@dataclass(frozen=True)
class CopyLine:
    copy_id: int
    barcode: str
    call_number: str | None
    location: str | None  # code
    location_label: str | None
    status: str  # physical status (CopyStatus); being on loan is `on_loan`
    on_loan: bool
    due_on: date | None
    acquired_on: date | None


@dataclass(frozen=True)
class RecordDetail:
    record_id: int
    title: str
    subtitle: str | None
    responsibility: str | None
    contributors: tuple[Person, ...]
    publisher: str | None
    place: str | None
    year: int | None
    edition: str | None
    isbn13: str | None
    ean: str | None
    languages: tuple[str, ...]
    country: str | None
    media_type: str
    audience: str
    cefr_level: str | None
    dewey: str | None
    series: str | None
    series_number: str | None
    extent: str | None
    summary: str | None
    note: str | None
    subjects: tuple[str, ...]
    keywords: tuple[str, ...]
    has_cover: bool
    metadata_source: str | None
    pending_lookup: bool
    created_at: datetime
    updated_at: datetime
    copies: tuple[CopyLine, ...]


def record_detail(session: Session, record_id: int) -> RecordDetail:
    """Raises UnknownRecord when there is no such record."""
    record = session.get(Record, record_id)
    if record is None:
        raise UnknownRecord(record_id)
    contributors = tuple(
        Person(surname=surname, forenames=forenames, dates=dates, role=role,
               is_corporate=is_corporate)
        for surname, forenames, dates, role, is_corporate in session.execute(
            select(Contributor.surname, Contributor.forenames, Contributor.dates,
                   Contribution.role, Contributor.is_corporate)
            .join(Contributor, Contributor.id == Contribution.contributor_id)
            .where(Contribution.record_id == record_id)
            .order_by(Contribution.position)
        )
    )
    return RecordDetail(
        record_id=record.id, title=record.title, subtitle=record.subtitle,
        responsibility=record.responsibility, contributors=contributors,
        publisher=record.publisher, place=record.place, year=record.year,
        edition=record.edition, isbn13=record.isbn13, ean=record.ean,
        languages=tuple(session.scalars(
            select(RecordLanguage.code).where(RecordLanguage.record_id == record_id)
            .order_by(RecordLanguage.position))),
        country=record.country, media_type=record.media_type, audience=record.audience,
        cefr_level=record.cefr_level, dewey=record.dewey, series=record.series,
        series_number=record.series_number, extent=record.extent, summary=record.summary,
        note=record.note,
        subjects=tuple(session.scalars(
            select(Subject.heading).join(RecordSubject, RecordSubject.subject_id == Subject.id)
            .where(RecordSubject.record_id == record_id).order_by(Subject.heading))),
        keywords=tuple(session.scalars(
            select(Keyword.word).join(RecordKeyword, RecordKeyword.keyword_id == Keyword.id)
            .where(RecordKeyword.record_id == record_id).order_by(Keyword.word))),
        has_cover=_exists(session, select(RecordCover.record_id)
                          .where(RecordCover.record_id == record_id)),
        metadata_source=record.metadata_source,
        pending_lookup=_exists(session, select(PendingLookup.record_id)
                               .where(PendingLookup.record_id == record_id)),
        created_at=record.created_at, updated_at=record.updated_at,
        copies=copy_lines(session, record_id),
    )


def copy_lines(session: Session, record_id: int) -> tuple[CopyLine, ...]:
    """The copies of a record in barcode order, with their open loan if any."""
    rows = session.execute(
        select(Copy.id, Copy.barcode, Copy.call_number, Copy.location_code, Location.label,
               Copy.status, Loan.id.label("loan_id"), Loan.due_on, Copy.acquired_on)
        .outerjoin(Location, Location.code == Copy.location_code)
        .outerjoin(Loan, (Loan.copy_id == Copy.id) & Loan.returned_at.is_(None))
        .where(Copy.record_id == record_id)
        .order_by(Copy.barcode)
    )
    return tuple(
        CopyLine(copy_id=row.id, barcode=row.barcode, call_number=row.call_number,
                 location=row.location_code, location_label=row.label, status=row.status,
                 on_loan=row.loan_id is not None, due_on=row.due_on,
                 acquired_on=row.acquired_on)
        for row in rows
    )


def record_cover(session: Session, record_id: int) -> tuple[bytes, str] | None:
    """The cover image and its MIME type, or None when the record has none."""
    row = session.execute(
        select(RecordCover.data, RecordCover.mime_type).where(RecordCover.record_id == record_id)
    ).first()
    return (bytes(row.data), row.mime_type) if row is not None else None


def detail_json(detail: RecordDetail) -> dict[str, Any]:
    """`catalogue show --json`: {"record": {...}, "copies": [...]}, dates in ISO 8601."""
    record = asdict(detail)
    copies = record.pop("copies")
    record["contributors"] = [asdict(person) for person in detail.contributors]
    return _iso({"record": record, "copies": copies})


def _iso(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _iso(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_iso(item) for item in value]
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    return value


def _exists(session: Session, query: Any) -> bool:
    return session.execute(query.limit(1)).first() is not None

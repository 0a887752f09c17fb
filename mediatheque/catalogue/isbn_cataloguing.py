"""Cataloguing by ISBN: the local catalogue first, then the providers, then one short write.

Offline (or when every provider fails) the record is saved anyway with its ISBN and whatever
is known, titled with the hyphenated ISBN so that it can be found, and queued in
`pending_lookup`; `complete_pending` fills the queued records later, one short transaction
each, without ever overwriting what a librarian has typed since.

Network calls never run inside a write transaction (lookup_isbn makes its own short ones).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediatheque.audit import record_audit
from mediatheque.catalogue.copies import CopyInput, add_copies
from mediatheque.catalogue.isbn import Isbn, parse_isbn
from mediatheque.catalogue.lookup import (
    LookupOutcome,
    ProviderHealth,
    fetch_cover,
    lookup_isbn,
    reference_answer,
)
from mediatheque.catalogue.metadata import BookMetadata
from mediatheque.catalogue.provider_settings import ProviderSettings
from mediatheque.catalogue.records import (
    COUNTRY_CODE,
    LANGUAGE_CODE,
    RecordInput,
    add_contributions,
    add_languages,
    create_record,
    link_subjects,
    set_cover,
)
from mediatheque.catalogue.search import index_records
from mediatheque.db import Database
from mediatheque.errors import InvalidCover, InvalidIsbn, LookupCancelled
from mediatheque.models import (
    Contribution,
    PendingLookup,
    Record,
    RecordCover,
    RecordLanguage,
    RecordSubject,
)
from mediatheque.permissions import Actor, Permission

# Fields a later lookup may fill when the record still has them empty.
FILLABLE = ("subtitle", "responsibility", "publisher", "place", "year", "edition", "extent",
            "country", "series", "series_number", "dewey", "summary")


@dataclass(frozen=True)
class CataloguedRecord:
    record_id: int
    title: str
    barcodes: tuple[str, ...]
    pending_lookup: bool
    existing: bool  # the ISBN was already held: no record was added


@dataclass(frozen=True)
class CompletionReport:
    completed: int       # records filled and taken off the queue
    not_found: int       # taken off the queue: every provider answered, none knew the ISBN
    still_pending: int   # left in the queue (providers still failing, or cancelled)


def fallback_title(isbn: Isbn) -> str:
    return isbn.hyphenated()


def held_record(session: Session, isbn13: str) -> tuple[int, str] | None:
    row = session.execute(
        select(Record.id, Record.title).where(Record.isbn13 == isbn13).order_by(Record.id)
    ).first()
    return (int(row[0]), str(row[1])) if row else None


def _is_pending(session: Session, record_id: int) -> bool:
    return session.get(PendingLookup, record_id) is not None


def catalogue_by_isbn(
    database: Database,
    isbn_text: str,
    *,
    actor: Actor,
    copies: int = 1,
    copy_template: CopyInput | None = None,
    offline: bool = False,
    settings: ProviderSettings,
    health: ProviderHealth,
    now: datetime,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CataloguedRecord:
    """Catalogues a book by its ISBN with `copies` copies (0 for none). An ISBN already in
    the catalogue adds nothing and comes back with `existing=True` (the caller may offer
    add_copies). Raises InvalidIsbn before anything else, LookupCancelled if cancelled
    (nothing written)."""
    actor.require(Permission.CATALOGUE)
    isbn = parse_isbn(isbn_text)
    with database.read() as session:
        held = held_record(session, isbn.isbn13)
        if held:
            return CataloguedRecord(held[0], held[1], (), _is_pending(session, held[0]), True)
    failure: str | None
    if offline:
        metadata, pending, failure = BookMetadata(isbn13=isbn.isbn13), True, "offline"
        reference = reference_answer(database, isbn.isbn13)  # FM21 reference catalogues
        if reference is not None:
            metadata, pending, failure = replace(reference, isbn13=isbn.isbn13), False, None
    else:
        outcome = lookup_isbn(database, isbn.isbn13, settings=settings, health=health,
                              now=now, cancelled=cancelled, progress=progress)
        metadata, pending = outcome.metadata, outcome.pending
        failure = _failure_text(outcome.failures)
    cover = fetch_cover(metadata.cover_url, settings) if metadata.cover_url and not offline \
        else None
    if cancelled is not None and cancelled():
        raise LookupCancelled(isbn.isbn13)
    data = replace(RecordInput.from_metadata(metadata, title_fallback=fallback_title(isbn),
                                             latest_year=now.year + 1), isbn=isbn.isbn13)
    with database.write() as session:
        held = held_record(session, isbn.isbn13)  # another desk may have been quicker
        if held:
            return CataloguedRecord(held[0], held[1], (), _is_pending(session, held[0]), True)
        record_id = create_record(session, actor, data, now=now)
        barcodes = add_copies(session, actor, record_id, copy_template or CopyInput(), copies,
                              now=now) if copies else []
        if pending:
            queue_pending_lookup(session, actor, record_id, isbn.isbn13, now=now,
                                 attempted=not offline, failure=failure)
        if cover is not None:
            _try_cover(session, actor, record_id, cover[0], source=metadata.cover_url, now=now)
    return CataloguedRecord(record_id, data.title, tuple(barcodes), pending, False)


def queue_pending_lookup(session: Session, actor: Actor, record_id: int, isbn13: str, *,
                         now: datetime, attempted: bool, failure: str | None) -> None:
    """Puts a record saved without its details (lookup failed or offline) in the queue that
    complete_pending works through later. `attempted`: a lookup was already tried now."""
    actor.require(Permission.CATALOGUE)
    session.merge(PendingLookup(
        record_id=record_id, isbn13=isbn13, queued_at=now, attempts=1 if attempted else 0,
        last_attempt_at=now if attempted else None, last_error=(failure or "")[:200] or None,
    ))
    session.flush()


def _try_cover(session: Session, actor: Actor, record_id: int, data: bytes, *,
               source: str | None, now: datetime) -> None:
    with suppress(InvalidCover):  # a provider's broken image is no reason to lose the record
        set_cover(session, actor, record_id, data, source=source, now=now)


def _failure_text(failures: tuple[object, ...]) -> str | None:
    text = "; ".join(str(failure) for failure in failures)
    return text[:200] or None


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PendingLookup)) or 0


def complete_pending(
    database: Database,
    *,
    actor: Actor,
    settings: ProviderSettings,
    health: ProviderHealth,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CompletionReport:
    """Looks the queued records up again. A record whose lookup is complete gets the fields
    it still lacks (never those a person has filled in) and leaves the queue; otherwise its
    attempt is counted. Each record is its own short transaction, so stopping half-way
    (cancel, power cut) keeps everything already done."""
    actor.require(Permission.CATALOGUE)
    with database.read() as session:
        queue = session.execute(
            select(PendingLookup.record_id, PendingLookup.isbn13)
            .order_by(PendingLookup.queued_at, PendingLookup.record_id)
        ).all()
    completed = not_found = 0
    for done, (record_id, isbn13) in enumerate(queue):
        if cancelled is not None and cancelled():
            break
        try:
            outcome = lookup_isbn(database, isbn13, settings=settings, health=health, now=now,
                                  cancelled=cancelled)
        except LookupCancelled:
            break
        except InvalidIsbn:
            # A damaged queue entry can never be completed: it leaves the queue.
            outcome = LookupOutcome(isbn13=isbn13, metadata=BookMetadata(), pending=False)
        metadata = outcome.metadata
        cover = None
        if not outcome.pending and metadata.cover_url:
            with database.read() as session:
                has_cover = session.get(RecordCover, record_id) is not None
            cover = None if has_cover else fetch_cover(metadata.cover_url, settings)
        with database.write() as session:
            result = _apply_outcome(session, actor, record_id, outcome, cover, now=now)
        completed += result == "completed"
        not_found += result == "not_found"
        if progress is not None:
            progress(done + 1, len(queue))
    with database.read() as session:
        still = pending_count(session)
    return CompletionReport(completed=completed, not_found=not_found, still_pending=still)


def _apply_outcome(session: Session, actor: Actor, record_id: int, outcome: LookupOutcome,
                   cover: tuple[bytes, str] | None, *, now: datetime) -> str:
    """Writes one completion attempt; says "completed", "not_found", "pending" or "gone"."""
    queued = session.get(PendingLookup, record_id)
    if queued is None:
        return "gone"  # completed by another desk, or the record was deleted
    if outcome.pending:
        queued.attempts += 1
        queued.last_attempt_at = now
        queued.last_error = _failure_text(outcome.failures)
        return "pending"
    metadata = outcome.metadata
    filled = fill_empty_fields(session, record_id, metadata, now=now)
    if filled:
        record_audit(session, actor, action="record_complete", entity="record",
                     entity_id=record_id, now=now, details={"filled": filled})
    if cover is not None:
        _try_cover(session, actor, record_id, cover[0], source=metadata.cover_url, now=now)
    session.delete(queued)
    return "not_found" if metadata.is_empty else "completed"


def fill_empty_fields(session: Session, record_id: int, metadata: BookMetadata, *,
                      now: datetime) -> list[str]:
    """Fills the record's empty fields from `metadata`; returns the names filled. The
    title counts as empty while it is still the ISBN placeholder."""
    record = session.get(Record, record_id)
    if record is None or metadata.is_empty:
        return []
    found = RecordInput.from_metadata(metadata, latest_year=now.year + 1)
    filled: list[str] = []
    isbn13 = record.isbn13 or ""
    if found.title and record.title in (isbn13, _hyphenated(isbn13)):
        record.title = found.title
        filled.append("title")
    for name in FILLABLE:
        value = getattr(found, name)
        if value and not getattr(record, name):
            if name == "country" and not COUNTRY_CODE.match(value):
                continue
            setattr(record, name, value)
            filled.append(name)
    if not record.metadata_source and found.metadata_source:
        record.metadata_source = found.metadata_source
    if found.contributors and not _has(session, Contribution, record_id):
        add_contributions(session, record_id, found.contributors)
        filled.append("contributors")
    languages = tuple(code for code in found.languages if LANGUAGE_CODE.match(code))
    if languages and not _has(session, RecordLanguage, record_id):
        add_languages(session, record_id, languages)
        filled.append("languages")
    if found.subjects and not _has(session, RecordSubject, record_id):
        link_subjects(session, record_id, found.subjects)
        filled.append("subjects")
    record.updated_at = now
    session.flush()
    index_records(session, [record_id])
    return filled


def _has(session: Session, model: type[Contribution] | type[RecordLanguage]
         | type[RecordSubject], record_id: int) -> bool:
    return bool(session.scalar(
        select(func.count()).select_from(model).where(model.record_id == record_id)
    ))


def _hyphenated(isbn13: str) -> str:
    return fallback_title(Isbn(isbn13)) if isbn13 else ""

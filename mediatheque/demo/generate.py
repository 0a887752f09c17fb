"""Filling an empty database with a realistic demo library (`mediatheque demo`).

Everything is computed in Python from one `random.Random(seed)` (the same seed gives the same
library) and written with Core bulk inserts in batches, primary keys assigned here, so that
200,000 records and a million loans take minutes, not hours. The caller owns the
transaction: a cancelled or failed run leaves nothing behind.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from mediatheque.barcodes import BarcodeKind, allocate_barcodes
from mediatheque.bulk_work import bulk_work
from mediatheque.catalogue.search_index import rebuild_search_index
from mediatheque.circulation.activity import fill_borrower_months
from mediatheque.demo.catalogue import (
    CatalogueMaker,
    Row,
    make_contributors,
    subject_headings,
    vocabulary_rows,
)
from mediatheque.demo.circulation import LoanLayout, hold_rows, loan_batches
from mediatheque.demo.copies import CopyFacts, copy_batches, spread_copies
from mediatheque.demo.members import MemberFacts, member_rows
from mediatheque.demo.pools import KEYWORDS
from mediatheque.demo.timeline import WINDOW_DAYS, Timeline
from mediatheque.errors import DatabaseNotEmpty, InvalidValue, MediathequeError
from mediatheque.library import initialise_library
from mediatheque.members.search_index import rebuild_member_index
from mediatheque.models import (
    ClosedWeekday,
    Closure,
    Contribution,
    Contributor,
    Copy,
    Hold,
    Keyword,
    Loan,
    LoanRule,
    Location,
    Member,
    MemberCategory,
    Record,
    RecordKeyword,
    RecordLanguage,
    RecordSubject,
    Renewal,
    Subject,
)
from mediatheque.models.vocabulary import ClosureKind
from mediatheque.settings import LibrarySettings, load_library_settings

DEMO_LIBRARY = LibrarySettings(
    name="Alliance Française d'Almaty (démo)",
    code="KZ-ALA-DEMO",
    city="Almaty",
    country="KZ",
    timezone="Asia/Almaty",
)
BATCH_SIZE = 10_000
MAX_CONTRIBUTORS = 4000
# Public holidays of Kazakhstan the demo library closes for: month, day, days, reason.
HOLIDAYS = (
    (3, 21, 3, "Naouryz (Наурыз мейрамы)"),
    (12, 16, 1, "Jour de l'Indépendance (Тәуелсіздік күні)"),
)
WITH_IDS: tuple[Any, ...] = (Closure, Contributor, Subject, Keyword, Record, Copy, Member, Loan,
                             Renewal, Hold)


@dataclass(frozen=True)
class DemoCounts:
    records: int
    copies: int
    members: int
    loans: int


@dataclass
class DemoCancelled(MediathequeError):
    """The person cancelled the generation; the caller's transaction is rolled back."""

    code: ClassVar[str] = "cancelled"

    def __str__(self) -> str:
        return "demo generation cancelled"


@bulk_work()
def generate_demo(
    session: Session,
    *,
    records: int,
    copies_per_record: float,
    members: int,
    loans: int,
    seed: int,
    today: date,
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> DemoCounts:
    """Fills an empty database with a demo library; returns what was actually written
    (fewer loans than asked when the copies cannot hold that many in a year)."""
    _validate(records, copies_per_record, members, loans, now)
    _refuse_non_empty(session)
    settings = load_library_settings(session)
    if not settings.is_initialised:
        settings = initialise_library(session, DEMO_LIBRARY)
    copies = max(records, round(records * copies_per_record)) if records else 0
    writer = _Writer(session, progress, cancelled, total=records + copies + members + loans)
    writer.check()
    rng = random.Random(seed)
    first = {model.__tablename__: _next_id(session, model) for model in WITH_IDS}
    loan_days, max_renewals = _default_rule(session)
    timeline = Timeline(
        today=today, now=now, zone=settings.zone,
        closed_weekdays=set(session.scalars(select(ClosedWeekday.weekday))),
        closures=_holidays(session, today, first["closure"], writer),
        horizon_days=3 * loan_days + 100,
    )

    contributors = make_contributors(
        rng, min(MAX_CONTRIBUTORS, max(40, records // 50)), first["contributor"]
    )
    writer.insert(Contributor, contributors.rows)
    subject_rows, subject_ids = vocabulary_rows(
        subject_headings(), _pairs(session, Subject.heading, Subject.id),
        first["subject"], "heading",
    )
    keyword_rows, keyword_ids = vocabulary_rows(
        list(KEYWORDS), _pairs(session, Keyword.word, Keyword.id),
        first["keyword"], "word",
    )
    writer.insert(Subject, subject_rows)
    writer.insert(Keyword, keyword_rows)

    maker = CatalogueMaker(rng, timeline, contributors, subject_ids, keyword_ids)
    for start in range(0, records, BATCH_SIZE):
        count = min(BATCH_SIZE, records - start)
        rows = maker.records(first["record"] + start, count)
        for model in (Record, RecordLanguage, Contribution, RecordSubject, RecordKeyword):
            writer.insert(model, rows[model.__tablename__])
        writer.advance(count)

    copy_facts = CopyFacts()
    locations = set(session.scalars(select(Location.code)))
    for batch in copy_batches(
        rng, timeline, maker.facts, spread_copies(rng, maker.facts, copies),
        first_record_id=first["record"], first_copy_id=first["copy"],
        barcodes=_barcodes(session, settings.barcode_prefix, BarcodeKind.COPY, copies),
        locations=locations, batch_size=BATCH_SIZE, out=copy_facts,
    ):
        writer.insert(Copy, batch)
        writer.advance(len(batch))

    member_facts = MemberFacts()
    categories = [
        (category_id, code, months) for category_id, code, months in session.execute(
            select(MemberCategory.id, MemberCategory.code, MemberCategory.membership_months)
            .order_by(MemberCategory.id)
        )
    ]
    people = member_rows(
        rng, timeline, count=members if categories else 0, first_id=first["member"],
        barcodes=_barcodes(session, settings.barcode_prefix, BarcodeKind.MEMBER, members),
        categories=categories, out=member_facts,
    )
    writer.insert(Member, people)
    writer.advance(len(people))

    layout = LoanLayout(rng, timeline, copy_facts, member_facts, loan_days=loan_days,
                        max_renewals=max_renewals, check=writer.check)
    log = layout.run(loans)
    for loan_rows, renewal_rows in loan_batches(
        log, timeline, records=maker.facts, copies=copy_facts, members=member_facts,
        first_ids=first, batch_size=BATCH_SIZE,
    ):
        writer.insert(Loan, loan_rows)
        writer.insert(Renewal, renewal_rows)
        writer.advance(len(loan_rows))
    writer.insert(Hold, hold_rows(
        rng, timeline, log, copies=copy_facts, members=member_facts,
        count=min(200, max(2, len(people) // 20)), first_ids=first,
    ))
    _advance_sequences(session, writer.filled)
    fill_borrower_months(session, load_library_settings(session).zone)
    rebuild_search_index(session, cancelled=cancelled)
    rebuild_member_index(session)
    writer.finish()
    return DemoCounts(records=records, copies=copies, members=len(people), loans=len(log))


class _Writer:
    """Bulk inserts in batches, with progress and cancellation between them."""

    def __init__(self, session: Session, progress: Callable[[int, int], None] | None,
                 cancelled: Callable[[], bool] | None, total: int) -> None:
        self.session = session
        self.progress = progress
        self.cancelled = cancelled
        self.total = max(1, total)
        self.done = 0
        self.filled: list[str] = []

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise DemoCancelled()

    def insert(self, model: Any, rows: list[Row]) -> None:
        if not rows:
            return
        self.check()
        table = model.__table__
        for start in range(0, len(rows), BATCH_SIZE):
            self.session.execute(insert(table), rows[start:start + BATCH_SIZE])
        if table.name not in self.filled:
            self.filled.append(table.name)

    def advance(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.progress is not None and self.done < self.total:
            self.progress(self.total, self.total)


def _validate(records: int, copies_per_record: float, members: int, loans: int,
              now: datetime) -> None:
    for name, value in (("records", records), ("members", members), ("loans", loans)):
        if value < 0:
            raise InvalidValue(name, str(value))
    if records and not (math.isfinite(copies_per_record) and 1 <= copies_per_record <= 100):
        raise InvalidValue("copies_per_record", str(copies_per_record))
    # Generated barcodes have seven digits of sequence number.
    if records * max(1.0, copies_per_record) >= 9_000_000:
        raise InvalidValue("records", str(records))
    if members >= 9_000_000:
        raise InvalidValue("members", str(members))
    if now.tzinfo is None:
        raise InvalidValue("now", now.isoformat())


def _refuse_non_empty(session: Session) -> None:
    """Demo data must never be mixed into a real library."""
    for what, model in (("records", Record), ("members", Member)):
        count = session.scalar(select(func.count()).select_from(model)) or 0
        if count:
            raise DatabaseNotEmpty(what=what, count=count)


def _next_id(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.max(model.id))) or 0) + 1


def _pairs(session: Session, key: Any, value: Any) -> dict[str, int]:
    return dict(session.execute(select(key, value)).all())


def _default_rule(session: Session) -> tuple[int, int]:
    rule = session.scalars(
        select(LoanRule).where(LoanRule.member_category_id.is_(None), LoanRule.media_type.is_(None))
    ).first()
    return (rule.loan_days, rule.max_renewals) if rule else (21, 1)


def _barcodes(session: Session, prefix: str, kind: BarcodeKind, count: int) -> list[str]:
    return allocate_barcodes(session, prefix, kind, count) if count else []


def _holidays(session: Session, today: date, first_id: int,
              writer: _Writer) -> list[tuple[date, date]]:
    """Adds the public holidays of the past year (unless a closure is already there) and
    returns every dated closure that touches the year of loans."""
    window_start = today - timedelta(days=WINDOW_DAYS)
    existing = [(start, end) for start, end in session.execute(
        select(Closure.start_on, Closure.end_on).where(Closure.end_on >= window_start)
    )]
    rows: list[Row] = []
    for year in (today.year - 1, today.year):
        for month, day, length, reason in HOLIDAYS:
            start = date(year, month, day)
            end = start + timedelta(days=length - 1)
            if not window_start < start <= today:
                continue
            if any(s <= end and start <= e for s, e in existing):
                continue
            rows.append({"id": first_id + len(rows), "start_on": start, "end_on": end,
                         "kind": ClosureKind.HOLIDAY, "reason": reason})
            existing.append((start, end))
    writer.insert(Closure, rows)
    return existing


def _advance_sequences(session: Session, tables: list[str]) -> None:
    """PostgreSQL: ids were given explicitly, so the serial sequences must catch up."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        if table in {model.__tablename__ for model in WITH_IDS}:
            session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            ))

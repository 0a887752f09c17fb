"""The demo library generator: sound data (no overlapping loans, nothing in the future,
valid identifiers, clean foreign keys), realistic content, reproducible, never mixed into a
real library, cancellable without leaving anything behind."""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from mediatheque.barcodes import BarcodeKind, parse_generated
from mediatheque.db import Database, sqlite_url
from mediatheque.demo import DEMO_LIBRARY, DemoCancelled, DemoCounts, generate_demo
from mediatheque.errors import DatabaseNotEmpty, InvalidValue
from mediatheque.library import initialise_library
from mediatheque.models import (
    Closure,
    Copy,
    Hold,
    Loan,
    Member,
    MemberCategory,
    Record,
    RecordLanguage,
    Renewal,
)
from mediatheque.settings import LibrarySettings, load_library_settings
from mediatheque.startup import open_database

TODAY = date(2026, 3, 14)  # a Saturday
NOW = datetime(2026, 3, 14, 11, 0, tzinfo=UTC)  # 16:00 in Almaty
ALMATY = ZoneInfo("Asia/Almaty")
SIZE = {"records": 300, "copies_per_record": 2.0, "members": 40, "loans": 1500}
KAZAKH_LETTERS = set("ӘҒҚҢӨҰҮҺІәғқңөұүһі")
SUNDAY = 6


def _open(directory: Path) -> Database:
    return open_database(sqlite_url(directory / "t.db"), data_dir=directory, now=NOW).database


def _generate(database: Database, seed: int = 1, **overrides: float) -> DemoCounts:
    size = {**SIZE, **overrides}
    with database.write() as session:
        return generate_demo(
            session, records=int(size["records"]), copies_per_record=size["copies_per_record"],
            members=int(size["members"]), loans=int(size["loans"]), seed=seed, today=TODAY,
            now=NOW,
        )


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Database]:
    database = _open(tmp_path)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoCounts]]:
    """One demo library at the test size, shared by the read-only checks."""
    database = _open(tmp_path_factory.mktemp("demo"))
    counts = _generate(database)
    yield database, counts
    database.dispose()


@pytest.fixture
def session(demo: tuple[Database, DemoCounts]) -> Iterator[Session]:
    with demo[0].read() as reading:
        yield reading


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _isbn_ok(code: str) -> bool:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(code[:12]))
    return len(code) == 13 and code.isdigit() and (10 - total % 10) % 10 == int(code[12])


def _local_day(instant: datetime) -> date:
    return instant.astimezone(ALMATY).date()


# --- counts and identifiers ----------------------------------------------------------------


def test_the_counts_returned_are_the_rows_written(demo: tuple[Database, DemoCounts],
                                                   session: Session) -> None:
    counts = demo[1]
    assert counts == DemoCounts(records=300, copies=600, members=40, loans=1500)
    assert _count(session, Record) == counts.records
    assert _count(session, Copy) == counts.copies
    assert _count(session, Member) == counts.members
    assert _count(session, Loan) == counts.loans
    without_copy = session.scalar(
        select(func.count()).select_from(Record).where(~Record.copies.any())
    )
    assert without_copy == 0


def test_barcodes_are_unique_generated_codes_of_the_right_kind(session: Session) -> None:
    prefix = load_library_settings(session).barcode_prefix
    for model, kind in ((Copy, BarcodeKind.COPY), (Member, BarcodeKind.MEMBER)):
        codes = list(session.scalars(select(model.barcode)))
        assert len(codes) == len(set(codes))
        parsed = [parse_generated(code) for code in codes]
        assert all(p is not None and p[0] == prefix and p[1] == kind for p in parsed)


def test_isbns_and_eans_have_valid_check_digits_and_isbns_are_unique(session: Session) -> None:
    rows = session.execute(select(Record.isbn13, Record.ean, Record.media_type)).all()
    isbns = [isbn for isbn, _, _ in rows if isbn]
    eans = [ean for _, ean, _ in rows if ean]
    assert len(isbns) > 150 and len(eans) > 5
    assert all(isbn[:3] in ("978", "979") and _isbn_ok(isbn) for isbn in isbns)
    assert len(isbns) == len(set(isbns))
    assert all(_isbn_ok(ean) and ean[:3] not in ("978", "979") for ean in eans)
    assert all(isbn is None for isbn, _, media in rows if media in ("dvd", "music_cd"))


# --- loans -------------------------------------------------------------------------------


def test_a_copy_never_has_two_loans_at_once(session: Session) -> None:
    loans = session.execute(
        select(Loan.copy_id, Loan.loaned_at, Loan.returned_at)
        .order_by(Loan.copy_id, Loan.loaned_at)
    ).all()
    assert loans
    for previous, current in pairwise(loans):
        if previous.copy_id == current.copy_id:
            # only the last loan of a copy may be open, and it ended before the next began
            assert previous.returned_at is not None
            assert previous.returned_at <= current.loaned_at
    open_per_copy = Tally(copy for copy, _, returned in loans if returned is None)
    assert open_per_copy and max(open_per_copy.values()) == 1


def test_nothing_happens_in_the_future_and_returns_follow_loans(session: Session) -> None:
    for loaned, due, returned, recorded in session.execute(
        select(Loan.loaned_at, Loan.due_on, Loan.returned_at, Loan.recorded_at)
    ):
        assert loaned.tzinfo is not None and loaned <= NOW and recorded <= NOW
        assert due > _local_day(loaned)
        assert returned is None or loaned < returned <= NOW
    for model in (Record, Copy, Member):
        assert session.scalar(select(func.max(model.created_at))) <= NOW
        assert session.scalar(select(func.max(model.updated_at))) <= NOW
    assert session.scalar(select(func.max(Renewal.renewed_at))) <= NOW
    assert session.scalar(select(func.max(Hold.placed_at))) <= NOW
    assert session.scalar(select(func.max(Copy.acquired_on))) <= TODAY


def test_loans_span_the_last_twelve_months_on_open_days(session: Session) -> None:
    closed = {
        start + timedelta(days=offset)
        for start, end in session.execute(select(Closure.start_on, Closure.end_on))
        for offset in range((end - start).days + 1)
    }
    assert closed, "a public holiday is part of the demo calendar"
    days = [_local_day(at) for at in session.scalars(select(Loan.loaned_at))]
    assert min(days) >= TODAY - timedelta(days=365)
    assert min(days) < TODAY - timedelta(days=300) and max(days) > TODAY - timedelta(days=10)
    assert all(day.weekday() != SUNDAY and day not in closed for day in days)
    for due in session.scalars(select(Loan.due_on)):
        assert due.weekday() != SUNDAY and due not in closed
    returns = [_local_day(at) for at in session.scalars(
        select(Loan.returned_at).where(Loan.returned_at.is_not(None)))]
    assert all(day.weekday() != SUNDAY for day in returns)


def test_some_open_loans_are_overdue_and_some_are_not(session: Session) -> None:
    dues = list(session.scalars(select(Loan.due_on).where(Loan.returned_at.is_(None))))
    overdue = [due for due in dues if due < TODAY]
    assert overdue and len(overdue) < len(dues)
    assert _count(session, Loan) - len(dues) > len(dues)  # most loans have come back


def test_renewal_rows_match_the_loan_counts_and_extend_the_due_date(session: Session) -> None:
    renewals = session.execute(
        select(Renewal.loan_id, Renewal.renewed_at, Renewal.previous_due_on, Renewal.new_due_on)
        .order_by(Renewal.loan_id, Renewal.renewed_at)
    ).all()
    assert renewals
    per_loan = Tally(row.loan_id for row in renewals)
    loans = {row.id: row for row in session.execute(
        select(Loan.id, Loan.renewals, Loan.loaned_at, Loan.returned_at, Loan.due_on))}
    assert {i: loan.renewals for i, loan in loans.items() if loan.renewals} == dict(per_loan)
    last_due: dict[int, date] = {}
    for row in renewals:
        loan = loans[row.loan_id]
        assert row.new_due_on > row.previous_due_on
        assert loan.loaned_at < row.renewed_at
        assert loan.returned_at is None or row.renewed_at < loan.returned_at
        assert _local_day(row.renewed_at) <= row.previous_due_on
        last_due[row.loan_id] = row.new_due_on
    assert all(loans[loan_id].due_on == due for loan_id, due in last_due.items())


def test_loans_keep_snapshots_of_record_member_and_copy(session: Session) -> None:
    rows = session.execute(
        select(Loan.record_id, Copy.record_id, Loan.member_category_id, Member.category_id,
               Loan.media_type, Record.media_type, Loan.language, RecordLanguage.code)
        .join(Copy, Copy.id == Loan.copy_id)
        .join(Member, Member.id == Loan.member_id)
        .join(Record, Record.id == Loan.record_id)
        .join(RecordLanguage, (RecordLanguage.record_id == Record.id)
              & (RecordLanguage.position == 0))
    ).all()
    assert len(rows) == _count(session, Loan)
    for row in rows:
        assert row[0] == row[1] and row[2] == row[3] and row[4] == row[5] and row[6] == row[7]


def test_only_copies_on_the_shelves_are_lent_and_popularity_is_skewed(session: Session) -> None:
    open_statuses = session.scalars(
        select(Copy.status).join(Loan, Loan.copy_id == Copy.id).where(Loan.returned_at.is_(None))
    ).all()
    assert set(open_statuses) == {"available"}
    per_copy = sorted(Tally(session.scalars(select(Loan.copy_id))).values(), reverse=True)
    assert per_copy[0] >= 4 * (sum(per_copy) / len(per_copy))


def test_holds_are_waiting_or_ready_with_a_free_copy(session: Session) -> None:
    holds = session.execute(select(Hold.status, Hold.copy_id, Hold.ready_at, Hold.placed_at,
                                   Hold.pickup_by)).all()
    assert {hold.status for hold in holds} == {"waiting", "ready"}
    on_loan = set(session.scalars(select(Loan.copy_id).where(Loan.returned_at.is_(None))))
    for hold in holds:
        if hold.status == "ready":
            assert hold.copy_id not in on_loan
            assert hold.placed_at < hold.ready_at <= NOW
            assert hold.pickup_by >= TODAY


def test_more_loans_than_the_year_can_hold_are_cut_to_what_fits(empty_db: Database) -> None:
    counts = _generate(empty_db, records=3, copies_per_record=1.0, members=5, loans=10_000)
    with empty_db.read() as reading:
        assert counts.loans == _count(reading, Loan)
        assert 10 < counts.loans < 3 * 365 // 2


def test_before_opening_time_nothing_has_happened_today_yet(empty_db: Database) -> None:
    early = datetime(2026, 3, 14, 3, 0, tzinfo=UTC)  # 08:00 in Almaty, before opening
    with empty_db.write() as writing:
        generate_demo(writing, records=60, copies_per_record=1.5, members=10, loans=300,
                      seed=5, today=TODAY, now=early)
    with empty_db.read() as reading:
        last = reading.scalar(select(func.max(Loan.loaned_at)))
        assert last is not None and last < early and _local_day(last) < TODAY
        returned = reading.scalar(select(func.max(Loan.returned_at)))
        assert returned is not None and returned < early
        assert _count(reading, Copy) == round(60 * 1.5)


@pytest.mark.parametrize("field, value", [("copies_per_record", 0.5), ("records", -1),
                                          ("loans", -5)])
def test_impossible_sizes_are_refused(empty_db: Database, field: str, value: float) -> None:
    with pytest.raises(InvalidValue) as raised, empty_db.write() as writing:
        generate_demo(writing, **{**SIZE, field: value}, seed=1,  # type: ignore[arg-type]
                      today=TODAY, now=NOW)
    assert raised.value.field == field


# --- content -----------------------------------------------------------------------------


def test_titles_and_languages_are_french_russian_and_kazakh(session: Session) -> None:
    titles = list(session.scalars(select(Record.title)))
    assert any(KAZAKH_LETTERS & set(title) for title in titles)
    assert any("а" <= char <= "я" for title in titles for char in title)
    assert any(char in "éèàç" for title in titles for char in title)
    assert len(set(titles)) > 0.8 * len(titles)
    codes = set(session.scalars(select(RecordLanguage.code)))
    assert {"fre", "rus", "kaz", "eng"} <= codes
    media = Tally(session.scalars(select(Record.media_type)))
    assert media.most_common(1)[0][0] == "book" and len(media) >= 6
    levels = set(session.scalars(
        select(Record.cefr_level).where(Record.media_type == "fle_method")))
    assert levels and levels <= {"A1", "A2", "B1", "B2", "C1", "C2"}


def test_call_numbers_use_the_class_and_three_letters(session: Session) -> None:
    numbers = list(session.scalars(select(Copy.call_number)))
    assert all(numbers)
    assert any(n.startswith("843 ") and len(n) == 7 and n[4:].isupper() for n in numbers)
    assert any(any(char in KAZAKH_LETTERS for char in n) for n in numbers) or any(
        n.startswith("894.345 ") for n in numbers)


def test_members_have_sound_memberships_spread_over_categories(session: Session) -> None:
    members = session.execute(select(Member.membership_start, Member.membership_expiry,
                                     Member.preferred_language, Member.category_id,
                                     Member.email)).all()
    assert all(start <= expiry for start, expiry, *_ in members)
    assert any(expiry < TODAY for _, expiry, *_ in members)
    assert sum(expiry >= TODAY for _, expiry, *_ in members) > len(members) // 2
    assert len({language for _, _, language, *_ in members}) >= 3
    assert len({category for *_, category, _ in members}) >= 3
    assert sum(email is not None for *_, email in members) > len(members) // 2
    categories = session.scalar(select(func.count()).select_from(MemberCategory))
    assert categories == 5


def test_the_demo_library_is_initialised_when_needed(session: Session) -> None:
    settings = load_library_settings(session)
    assert (settings.name, settings.code) == (DEMO_LIBRARY.name, DEMO_LIBRARY.code)


def test_an_existing_library_identity_is_kept(empty_db: Database) -> None:
    with empty_db.write() as writing:
        initialise_library(writing, LibrarySettings(name="AF Karaganda", code="KZ-KAR"))
    _generate(empty_db, records=20, members=5, loans=30)
    with empty_db.read() as reading:
        assert load_library_settings(reading).code == "KZ-KAR"


def test_foreign_keys_and_integrity_are_clean(demo: tuple[Database, DemoCounts]) -> None:
    with demo[0].engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


# --- reproducible, safe, cancellable ------------------------------------------------------


def _fingerprint(database: Database) -> tuple[list[object], ...]:
    with database.read() as reading:
        return (
            list(reading.execute(select(Record.title, Record.isbn13).order_by(Record.id))),
            list(reading.execute(select(Member.last_name, Member.barcode).order_by(Member.id))),
            list(reading.execute(
                select(Loan.copy_id, Loan.member_id, Loan.loaned_at, Loan.returned_at)
                .order_by(Loan.id))),
        )


def test_the_same_seed_gives_the_same_library(demo: tuple[Database, DemoCounts],
                                              tmp_path: Path) -> None:
    again, other = _open(tmp_path / "a"), _open(tmp_path / "b")
    try:
        _generate(again, seed=1)
        _generate(other, seed=2)
        assert _fingerprint(again) == _fingerprint(demo[0])
        assert _fingerprint(other)[0] != _fingerprint(demo[0])[0]
    finally:
        again.dispose()
        other.dispose()


def test_a_library_with_records_is_refused(demo: tuple[Database, DemoCounts]) -> None:
    with pytest.raises(DatabaseNotEmpty) as raised:
        _generate(demo[0])
    assert (raised.value.what, raised.value.count) == ("records", 300)


def test_a_library_with_only_members_is_refused(empty_db: Database) -> None:
    with empty_db.write() as writing:
        initialise_library(writing, LibrarySettings(name="AF Almaty", code="KZ-ALA"))
        category = writing.scalars(select(MemberCategory.id)).first()
        writing.add(Member(barcode="X1", first_name="Aigerim", last_name="Seitkali",
                           category_id=category, membership_start=TODAY,
                           membership_expiry=TODAY, created_at=NOW, updated_at=NOW))
    with pytest.raises(DatabaseNotEmpty) as raised:
        _generate(empty_db)
    assert (raised.value.what, raised.value.count) == ("members", 1)
    with empty_db.read() as reading:
        assert _count(reading, Record) == 0


def test_cancelling_raises_and_leaves_nothing_behind(empty_db: Database) -> None:
    asked: list[int] = []
    progress: list[tuple[int, int]] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 12  # after some rows have been written

    with pytest.raises(DemoCancelled) as raised, empty_db.write() as writing:
        generate_demo(writing, **SIZE, seed=1, today=TODAY, now=NOW,  # type: ignore[arg-type]
                      progress=lambda done, total: progress.append((done, total)),
                      cancelled=cancelled)
    assert raised.value.code == "cancelled"
    assert progress and progress[0][0] > 0  # records had been inserted before the cancel
    with empty_db.read() as reading:
        for model in (Record, Copy, Member, Loan, MemberCategory):
            assert _count(reading, model) == 0
        assert not load_library_settings(reading).is_initialised


def test_progress_rises_to_the_total(empty_db: Database) -> None:
    calls: list[tuple[int, int]] = []
    with empty_db.write() as writing:
        generate_demo(writing, **SIZE, seed=3, today=TODAY, now=NOW,  # type: ignore[arg-type]
                      progress=lambda done, total: calls.append((done, total)))
    assert len(calls) >= 4
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (calls[-1][1], calls[-1][1])


@pytest.mark.postgresql
def test_postgresql_gets_the_same_library_and_usable_sequences(pg_url: URL,
                                                               tmp_path: Path) -> None:
    size = {"records": 120, "members": 15, "loans": 400}
    database = open_database(pg_url, data_dir=tmp_path, now=NOW).database
    reference = _open(tmp_path)
    try:
        counts = _generate(database, **size)
        assert counts == _generate(reference, **size)
        assert _fingerprint(database) == _fingerprint(reference)
        with database.write() as writing:
            assert _count(writing, Loan) == counts.loans
            for table in ("record", "copy", "member", "loan", "renewal", "contributor", "hold"):
                following = writing.execute(
                    text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")).scalar()
                highest = writing.execute(text(f"SELECT max(id) FROM {table}")).scalar()
                assert following == highest + 1
            writing.rollback()
    finally:
        database.dispose()
        reference.dispose()

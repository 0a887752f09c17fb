"""Loans, refusals, overrides and returns, on both engines."""

from __future__ import annotations

import json
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from mediatheque.circulation import (
    ScanKind,
    check_out,
    classify_scan,
    member_by_barcode,
    member_panel,
    place_hold,
    return_copy,
)
from mediatheque.circulation.config import CirculationSettings, save_circulation_settings
from mediatheque.db import Database
from mediatheque.errors import InvalidValue, LoanRefused, PermissionDenied, UnknownBarcode
from mediatheque.formatting import long_day
from mediatheque.messages import describe_error
from mediatheque.models import AuditEntry, Copy, Hold, Loan, Member, Record, ReplacedCard
from mediatheque.permissions import Actor
from tests.conftest import NOW
from tests.core.circulation_world import World, add_member, add_record, build_world

LIBRARIAN = Actor(login="desk", role="librarian", staff_id=None)
DIRECTOR = Actor(login="boss", role="director")


@pytest.fixture
def world(database: Database) -> World:
    return build_world(database)


def lend(world: World, member_id: int, barcode: str, **kwargs: object):  # type: ignore[no-untyped-def]
    with world.database.write() as session:
        return check_out(session, kwargs.pop("actor", LIBRARIAN), member_id=member_id,  # type: ignore[arg-type]
                         copy_barcode=barcode, now=kwargs.pop("now", NOW), **kwargs)  # type: ignore[arg-type]


def refusal(world: World, member_id: int, barcode: str, **kwargs: object) -> LoanRefused:
    with pytest.raises(LoanRefused) as caught:
        lend(world, member_id, barcode, **kwargs)
    assert describe_error(caught.value)  # a sentence exists for it
    return caught.value


def audit(world: World, action: str) -> list[dict[str, object]]:
    with world.database.read() as session:
        return [
            {"entity": e.entity, "entity_id": e.entity_id, "actor": e.actor,
             "happened_at": e.happened_at, "recorded_at": e.recorded_at,
             "details": json.loads(e.details), "raw": e.details}
            for e in session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                     .order_by(AuditEntry.id))
        ]


def loan_count(world: World) -> int:
    with world.database.read() as session:
        return session.scalar(select(func.count()).select_from(Loan)) or 0


def test_a_loan_snapshots_member_and_record_and_is_audited(world: World) -> None:
    done = lend(world, world.alice, " C1 ")
    assert done.copy_barcode == "C1" and done.title == "Les Misérables"
    assert done.due_on == date(2026, 12, 12) and done.overridden is None
    with world.database.read() as session:
        loan = session.get(Loan, done.loan_id)
        member = session.get(Member, world.alice)
        assert loan is not None and member is not None
        assert loan.member_category_id == member.category_id
        assert (loan.media_type, loan.language, loan.record_id) == ("book", "fre", world.hugo)
        assert loan.loaned_at == NOW and loan.recorded_at == NOW and loan.returned_at is None
        copy_id = loan.copy_id
    [entry] = audit(world, "loan")
    assert (entry["entity"], entry["entity_id"], entry["actor"]) == (
        "loan", str(done.loan_id), "desk")
    # The loan row names the member until it is anonymised; the trail must not keep the
    # link behind its back (the reading history would survive the anonymisation).
    assert entry["details"] == {"copy_id": copy_id, "due_on": "2026-12-12"}
    assert "Alice" not in str(entry["raw"])


def test_a_paper_loan_uses_at_for_dates_and_now_for_recording(world: World) -> None:
    at = NOW - timedelta(days=3)  # Wed 18 Nov
    done = lend(world, world.alice, "C1", at=at)
    assert done.due_on == date(2026, 12, 9)
    with world.database.read() as session:
        loan = session.get(Loan, done.loan_id)
        assert loan is not None and loan.loaned_at == at and loan.recorded_at == NOW
    [entry] = audit(world, "loan")
    assert entry["happened_at"] == at and entry["recorded_at"] == NOW


def test_unknown_copy_and_unknown_member(world: World) -> None:
    assert refusal(world, world.alice, "NOPE").reason == "unknown_barcode"
    assert refusal(world, 9999, "C1").reason == "unknown_member"
    assert loan_count(world) == 0


def test_expired_and_blocked_members_are_refused(world: World) -> None:
    with world.database.write() as session:
        expired = add_member(session, "M-OLD", expiry=date(2026, 11, 1))
        blocked = add_member(session, "M-BLK", status="blocked")
    error = refusal(world, expired, "C1")
    assert error.reason == "membership_expired" and error.detail == {"expired_on": "2026-11-01"}
    assert error.details()["reason"] == "membership_expired"
    assert refusal(world, blocked, "C1").reason == "member_blocked"
    assert loan_count(world) == 0


def test_a_replaced_card_is_refused_with_its_member(world: World) -> None:
    with world.database.write() as session:
        session.add(ReplacedCard(barcode="OLD-CARD", member_id=world.alice, replaced_at=NOW))
    with world.database.read() as session:
        assert member_by_barcode(session, "M-ALICE") == world.alice
        with pytest.raises(LoanRefused) as caught:
            member_by_barcode(session, "OLD-CARD")
        assert caught.value.reason == "card_replaced" and caught.value.member_id == world.alice
        with pytest.raises(LoanRefused) as unknown:
            member_by_barcode(session, "WHO")
        assert unknown.value.reason == "unknown_member"
        assert classify_scan(session, "OLD-CARD").kind == ScanKind.REPLACED_CARD


def test_loan_limit(world: World) -> None:
    with world.database.write() as session:
        barcodes = tuple(f"X{n}" for n in range(6))
        add_record(session, "Série", barcodes)
    for barcode in barcodes[:5]:
        lend(world, world.alice, barcode)
    error = refusal(world, world.alice, barcodes[5])
    assert error.reason == "loan_limit" and error.detail == {"limit": 5}
    assert loan_count(world) == 5


def test_overdue_copies_block_new_loans_unless_configured(world: World) -> None:
    lend(world, world.alice, "C1", at=NOW - timedelta(days=40))  # due long ago
    error = refusal(world, world.alice, "C3")
    assert error.reason == "has_overdue" and error.detail == {"overdue": 1}
    with world.database.write() as session:
        save_circulation_settings(session, CirculationSettings(block_when_overdue=False))
    assert lend(world, world.alice, "C3").copy_barcode == "C3"


def test_the_last_notice_level_blocks_even_when_overdue_loans_do_not(world: World) -> None:
    from mediatheque.reports.notice_settings import NoticeSettings, save_notice_settings

    lend(world, world.alice, "C1", at=NOW - timedelta(days=70))  # 49 days late: level 3
    lend(world, world.boris, "C2", at=NOW - timedelta(days=40))  # 19 days late: level 1
    with world.database.write() as session:
        save_circulation_settings(session, CirculationSettings(block_when_overdue=False))
    error = refusal(world, world.alice, "C3")
    assert error.reason == "has_overdue" and error.detail == {"overdue": 1, "last_notice": True}
    assert lend(world, world.boris, "C3").copy_barcode == "C3"
    with world.database.write() as session:
        save_notice_settings(session, NoticeSettings(block_at_last_level=False))
    assert lend(world, world.alice, "D1").copy_barcode == "D1"


@pytest.mark.parametrize("status", ["reference", "repair", "lost", "missing", "withdrawn"])
def test_a_copy_not_available_is_not_for_loan(database: Database, status: str) -> None:
    world = build_world(database)
    with database.write() as session:
        add_record(session, "Dictionnaire", ("REF1",), status=status)
    error = refusal(world, world.alice, "REF1")
    assert error.reason == "not_for_loan" and error.detail == {"status": status}


def test_a_copy_on_loan_says_to_whom_and_until_when(world: World) -> None:
    lend(world, world.alice, "C1")
    error = refusal(world, world.boris, "C1")
    assert error.reason == "copy_on_loan"
    assert error.detail == {"on_loan_to": world.alice, "due": "2026-12-12"}
    assert long_day(date(2026, 12, 12)) in describe_error(error)  # written in words


def test_the_same_copy_scanned_twice_is_already_borrowed(world: World) -> None:
    lend(world, world.alice, "C1")
    error = refusal(world, world.alice, "C1")
    assert error.reason == "already_borrowed" and error.detail == {"due": "2026-12-12"}
    assert loan_count(world) == 1


def test_a_copy_put_aside_is_held_for_its_member_only(world: World) -> None:
    lend(world, world.alice, "C3")
    with world.database.write() as session:
        place_hold(session, LIBRARIAN, member_id=world.boris, record_id=world.zola, now=NOW)
        returned = return_copy(session, LIBRARIAN, copy_barcode="C3", now=NOW)
    assert returned.hold_for is not None and returned.hold_for.member_id == world.boris
    error = refusal(world, world.alice, "C3")
    assert error.reason == "held_for_other" and error.detail == {"held_for": world.boris}
    done = lend(world, world.boris, "C3")
    with world.database.read() as session:
        status = session.scalars(select(Hold.status)).one()
    assert done.copy_barcode == "C3" and status == "fulfilled"


def test_a_waiting_queue_keeps_the_last_free_copy(world: World) -> None:
    """Boris waits for Les Misérables (C1, C2 both on the shelf after a return): Alice may
    take one copy, not the last one the queue needs."""
    with world.database.write() as session:
        place_hold(session, LIBRARIAN, member_id=world.boris, record_id=world.hugo, now=NOW)
    assert lend(world, world.alice, "C1").copy_barcode == "C1"  # C2 remains for Boris
    assert refusal(world, world.alice, "C2").reason in ("held_for_other", "already_borrowed")
    with world.database.write() as session:
        carol = add_member(session, "M-CAROL")
    error = refusal(world, carol, "C2")
    assert error.reason == "held_for_other" and error.detail == {"held_for": world.boris}
    assert lend(world, world.boris, "C2").copy_barcode == "C2"


def test_override_needs_a_reason_and_the_permission_and_is_audited(world: World) -> None:
    with world.database.write() as session:
        expired = add_member(session, "M-OLD", expiry=date(2026, 11, 1))
    with pytest.raises(InvalidValue):
        lend(world, expired, "C1", override_reason="   ")
    with pytest.raises(PermissionDenied):
        lend(world, expired, "C1", override_reason="renewal paid", actor=DIRECTOR)
    done = lend(world, expired, "C1", override_reason="renewal paid today")
    assert done.overridden == "membership_expired"
    [entry] = audit(world, "override")
    assert entry["details"]["refusals"] == ["membership_expired"]  # type: ignore[index]
    assert entry["details"]["reason"] == "renewal paid today"  # type: ignore[index]


def test_override_never_lends_a_copy_in_someone_elses_hands(world: World) -> None:
    lend(world, world.alice, "C1")
    assert refusal(world, world.boris, "C1", override_reason="sure").reason == "copy_on_loan"


def test_a_director_may_not_lend(world: World) -> None:
    with pytest.raises(PermissionDenied):
        lend(world, world.alice, "C1", actor=DIRECTOR)
    assert loan_count(world) == 0


def test_return_counts_late_calendar_days_and_is_audited(world: World) -> None:
    lend(world, world.alice, "C1", at=NOW - timedelta(days=30))  # due 12 days ago
    with world.database.write() as session:
        done = return_copy(session, LIBRARIAN, copy_barcode="C1", now=NOW)
    assert done.was_on_loan and done.member_id == world.alice and done.late_days == 9
    assert done.hold_for is None
    with world.database.read() as session:
        loan = session.scalars(select(Loan)).one()
        assert loan.returned_at == NOW
    [entry] = audit(world, "return")
    assert entry["details"]["late_days"] == 9  # type: ignore[index]


def test_returning_a_copy_not_on_loan_is_harmless(world: World) -> None:
    lend(world, world.alice, "C1")
    with world.database.write() as session:
        first = return_copy(session, LIBRARIAN, copy_barcode="C1", now=NOW)
    with world.database.write() as session:
        second = return_copy(session, LIBRARIAN, copy_barcode="C1", now=NOW)
    assert first.was_on_loan and not second.was_on_loan and second.member_id is None
    with pytest.raises(UnknownBarcode), world.database.write() as session:
        return_copy(session, LIBRARIAN, copy_barcode="GARBAGE&é\"", now=NOW)


def test_a_lost_copy_that_comes_back_is_available_again(world: World) -> None:
    with world.database.write() as session:
        copy = session.scalars(select(Copy).where(Copy.barcode == "C2")).one()
        copy.status = "lost"
    with world.database.write() as session:
        done = return_copy(session, LIBRARIAN, copy_barcode="C2", now=NOW)
    with world.database.read() as session:
        status = session.scalar(select(Copy.status).where(Copy.barcode == "C2"))
    assert not done.was_on_loan and status == "available"


def test_return_with_a_waiting_hold_puts_the_copy_aside(world: World) -> None:
    lend(world, world.alice, "C3")
    with world.database.write() as session:
        place_hold(session, LIBRARIAN, member_id=world.boris, record_id=world.zola, now=NOW)
    with world.database.write() as session:
        done = return_copy(session, LIBRARIAN, copy_barcode="C3", now=NOW)
    assert done.hold_for is not None
    assert done.hold_for.member_name == "Борис Ким"
    assert done.hold_for.pickup_by == date(2026, 11, 28)  # 7 days, a Saturday
    with world.database.read() as session:
        hold = session.execute(select(Hold.status, Hold.copy_id)).one()
        panel = member_panel(session, world.boris, now=NOW)
    assert hold.status == "ready" and hold.copy_id is not None
    assert "holds_ready" in panel.warnings and panel.holds[0].copy_barcode == "C3"
    # Scanning it again in return mode says the same, without a second hold change.
    with world.database.write() as session:
        again = return_copy(session, LIBRARIAN, copy_barcode="C3", now=NOW)
    assert again.hold_for == done.hold_for and not again.was_on_loan


def test_classify_scan(world: World) -> None:
    with world.database.write() as session:
        record = session.get(Record, world.zola)
        assert record is not None
        record.isbn13 = "9782070360024"
    with world.database.read() as session:
        member = classify_scan(session, "M-ALICE\n")
        copy = classify_scan(session, "C3")
        isbn = classify_scan(session, "978-2-07-036002-4")
        unknown_isbn = classify_scan(session, "9780306406157")
        bad_isbn = classify_scan(session, "9782070360025")
        garbage = classify_scan(session, "&é\"'(-è_çà")
        empty = classify_scan(session, "   ")
        huge = classify_scan(session, "1" * 500)
    assert (member.kind, member.member_id, member.code) == (ScanKind.MEMBER, world.alice,
                                                            "M-ALICE")
    assert (copy.kind, copy.record_id) == (ScanKind.COPY, world.zola)
    assert (isbn.kind, isbn.record_id, isbn.isbn13) == (ScanKind.ISBN, world.zola,
                                                        "9782070360024")
    assert unknown_isbn.kind == ScanKind.ISBN and unknown_isbn.record_id is None
    assert {bad_isbn.kind, garbage.kind, empty.kind, huge.kind} == {ScanKind.UNKNOWN}


def test_member_panel(world: World) -> None:
    with world.database.write() as session:
        opted_in = session.get(Member, world.alice)
        assert opted_in is not None
        opted_in.history_opt_in = True  # keeps her past loans: history_count counts them
    lend(world, world.alice, "C1", at=NOW - timedelta(days=30))
    lend(world, world.alice, "D1", override_reason="has overdue, agreed")
    with world.database.write() as session:
        return_copy(session, LIBRARIAN, copy_barcode="C1", now=NOW)
    lend(world, world.alice, "C1", at=NOW - timedelta(days=25))
    with world.database.write() as session:
        member = session.get(Member, world.alice)
        assert member is not None
        member.membership_expiry = date(2026, 12, 1)
    with world.database.read() as session:
        panel = member_panel(session, world.alice, now=NOW)
    assert (panel.first_name, panel.barcode, panel.category) == ("Alice", "M-ALICE", "Adulte")
    assert [line.copy_barcode for line in panel.loans] == ["C1", "D1"]
    overdue = panel.loans[0]
    assert overdue.overdue and overdue.late_days == 4 and overdue.title == "Les Misérables"
    assert not panel.loans[1].overdue and panel.loans[1].late_days == 0
    assert panel.history_count == 1
    assert panel.warnings == ("expires_soon", "has_overdue")
    with world.database.read() as session, pytest.raises(LoanRefused):
        member_panel(session, 4242, now=NOW)


def test_a_returned_loan_forgets_its_member_unless_they_keep_their_history(
    world: World,
) -> None:
    lend(world, world.alice, "C1")
    lend(world, world.boris, "C3")
    with world.database.write() as session:
        boris = session.get(Member, world.boris)
        assert boris is not None
        boris.history_opt_in = True
        first = return_copy(session, LIBRARIAN, copy_barcode="C1", now=NOW)
        second = return_copy(session, LIBRARIAN, copy_barcode="C3", now=NOW)
    assert (first.member_id, second.member_id) == (world.alice, world.boris)  # for the desk
    with world.database.read() as session:
        kept = dict(session.execute(select(Loan.copy_id, Loan.member_id)).all())
        statistics = session.execute(select(Loan.member_category_id, Loan.media_type)).all()
    assert sorted(kept.values(), key=str) == sorted([None, world.boris], key=str)
    assert all(category is not None and media for category, media in statistics)
    with world.database.read() as session:
        assert member_panel(session, world.alice, now=NOW).history_count == 0
        assert member_panel(session, world.boris, now=NOW).history_count == 1


def test_the_months_active_borrowers_survive_the_anonymisation(world: World) -> None:
    from mediatheque.models import BorrowerMonth
    from mediatheque.reports.monthly import month_span, month_summary

    lend(world, world.alice, "C1")
    lend(world, world.alice, "C3")  # the same month: still one borrower
    lend(world, world.boris, "D1")
    with world.database.write() as session:
        for barcode in ("C1", "C3", "D1"):
            return_copy(session, LIBRARIAN, copy_barcode=barcode, now=NOW)
    with world.database.read() as session:
        assert session.scalar(select(func.count()).select_from(Loan)
                              .where(Loan.member_id.is_not(None))) == 0  # anonymised
        rows = session.execute(select(BorrowerMonth.month, BorrowerMonth.member_id)).all()
        summary = month_summary(session, month_span(NOW.date(), ZoneInfo("Asia/Almaty")))
    assert sorted(rows) == sorted([("2026-11", world.alice), ("2026-11", world.boris)])
    assert (summary.loans, summary.active_members) == (3, 2)

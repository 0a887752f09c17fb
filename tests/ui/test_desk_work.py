"""What the desk does with a scanned code (mediatheque/ui/desk_work.py, no Qt), on SQLite
and PostgreSQL: routing, refusals that leave nothing half-written, returns with a hold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from mediatheque.circulation import place_hold
from mediatheque.db import Database
from mediatheque.models import AuditEntry, Loan, ReplacedCard
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.ui import desk_work
from tests.conftest import NOW
from tests.core.circulation_world import World, add_record, build_world

ISBN = "9782070360024"


@pytest.fixture
def world(database: Database) -> World:
    built = build_world(database)
    with database.write() as session:
        add_record(session, "Dictionnaire", ("REF1",), status="reference")
        session.add(ReplacedCard(barcode="M-OLD", member_id=built.alice, replaced_at=NOW))
    return built


def scan(world: World, code: str, member_id: int | None = None,
         return_mode: bool = False, now=NOW) -> desk_work.Outcome:  # type: ignore[no-untyped-def]
    return desk_work.process_scan(world.database, LOCAL_ADMIN, code, member_id=member_id,
                                  return_mode=return_mode, now=now)


def count(database: Database, model: type, *where: object) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_routing(world: World) -> None:
    opened = scan(world, "M-ALICE")
    assert isinstance(opened, desk_work.MemberOpened)
    assert opened.panel.member_id == world.alice and opened.panel.loans == ()
    lent = scan(world, "C1", world.alice)
    assert isinstance(lent, desk_work.Lent) and lent.done.title == "Les Misérables"
    assert [line.copy_barcode for line in lent.panel.loans] == ["C1"]
    back = scan(world, "C1")  # no member open: a return
    assert isinstance(back, desk_work.Returned) and back.done.was_on_loan
    assert back.member_name == "Alice Durand" and back.panel is None
    scan(world, "C1", world.alice)
    in_return_mode = scan(world, "C1", world.alice, return_mode=True)
    assert isinstance(in_return_mode, desk_work.Returned)
    assert in_return_mode.panel is not None and in_return_mode.panel.loans == ()
    again = scan(world, "C1")
    assert isinstance(again, desk_work.Returned) and not again.done.was_on_loan  # harmless
    isbn = scan(world, ISBN)
    assert isinstance(isbn, desk_work.IsbnScanned) and isbn.isbn13 == ISBN
    assert isinstance(scan(world, "NOPE"), desk_work.Unknown)
    replaced = scan(world, "M-OLD", world.boris)
    assert isinstance(replaced, desk_work.Refused)
    assert replaced.error.reason == "card_replaced" and replaced.panel is not None


def test_a_refusal_writes_nothing(world: World) -> None:
    before = count(world.database, AuditEntry)
    refused = scan(world, "REF1", world.alice)
    assert isinstance(refused, desk_work.Refused) and refused.error.reason == "not_for_loan"
    assert refused.panel is not None and refused.panel.member_id == world.alice
    assert count(world.database, Loan) == 0 and count(world.database, AuditEntry) == before
    overridden = desk_work.lend(world.database, LOCAL_ADMIN, "REF1", member_id=world.alice,
                                now=NOW, override_reason="exam tomorrow")
    assert isinstance(overridden, desk_work.Lent) and overridden.done.overridden


def test_on_loan_elsewhere_then_return_first(world: World) -> None:
    scan(world, "C3", world.boris)
    refused = scan(world, "C3", world.alice)
    assert isinstance(refused, desk_work.Refused) and refused.error.reason == "copy_on_loan"
    moved = desk_work.lend(world.database, LOCAL_ADMIN, "C3", member_id=world.alice,
                           now=NOW + timedelta(minutes=1), return_first=True)
    assert isinstance(moved, desk_work.Lent)
    assert count(world.database, Loan, Loan.returned_at.is_(None)) == 1


def test_return_with_a_hold_and_renewals(world: World) -> None:
    scan(world, "C3", world.alice)
    with world.database.write() as session:
        place_hold(session, LOCAL_ADMIN, member_id=world.boris, record_id=world.zola, now=NOW)
    renewed = desk_work.renew_everything(world.database, LOCAL_ADMIN, member_id=world.alice,
                                         now=NOW + timedelta(days=10))
    assert isinstance(renewed, desk_work.Renewed)
    assert renewed.renewed == () and [r.reason for r in renewed.refused] == ["held_for_other"]
    back = scan(world, "C3", now=NOW + timedelta(days=40))
    assert isinstance(back, desk_work.Returned)
    assert back.done.late_days > 0
    assert back.done.hold_for is not None and back.done.hold_for.member_id == world.boris
    one = desk_work.renew_one(world.database, LOCAL_ADMIN, "C1", member_id=world.alice, now=NOW)
    assert isinstance(one, desk_work.Failed | desk_work.Refused)  # C1 is not on loan

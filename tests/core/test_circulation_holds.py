"""Renewals (one and all) and holds (queue, cancel, expire), on both engines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from mediatheque.circulation import (
    cancel_hold,
    check_out,
    expire_holds,
    member_panel,
    place_hold,
    renew_all,
    renew_loan,
    return_copy,
)
from mediatheque.db import Database
from mediatheque.errors import LoanRefused, UnknownHold, UnknownRecord
from mediatheque.models import Hold, LoanRule, Renewal
from mediatheque.permissions import Actor
from tests.conftest import NOW
from tests.core.circulation_world import World, add_member, build_world

DESK = Actor(login="desk", role="librarian")


@pytest.fixture
def world(database: Database) -> World:
    return build_world(database)


def lend(world: World, member_id: int, barcode: str, **kwargs: object) -> None:
    with world.database.write() as session:
        check_out(session, DESK, member_id=member_id, copy_barcode=barcode, now=NOW,
                  **kwargs)  # type: ignore[arg-type]


def renew(world: World, barcode: str, now: object = NOW) -> object:
    with world.database.write() as session:
        return renew_loan(session, DESK, copy_barcode=barcode, now=now)  # type: ignore[arg-type]


def hold(world: World, member_id: int, record_id: int, now: object = NOW) -> object:
    with world.database.write() as session:
        return place_hold(session, DESK, member_id=member_id, record_id=record_id,
                          now=now)  # type: ignore[arg-type]


def statuses(world: World) -> list[tuple[int, str]]:
    with world.database.read() as session:
        return [(m, s) for m, s in session.execute(
            select(Hold.member_id, Hold.status).order_by(Hold.id))]


def test_renewal_gives_a_new_period_then_hits_the_limit(world: World) -> None:
    lend(world, world.alice, "C1", at=NOW - timedelta(days=10))  # due 2 Dec
    later = NOW + timedelta(days=5)  # Thu 26 Nov
    done = renew(world, "C1", later)
    assert done.due_on == date(2026, 12, 17)  # type: ignore[attr-defined]
    with world.database.read() as session:
        events = session.execute(select(Renewal.previous_due_on, Renewal.new_due_on)).all()
    assert events == [(date(2026, 12, 2), date(2026, 12, 17))]
    with pytest.raises(LoanRefused) as caught:
        renew(world, "C1", later)
    assert caught.value.reason == "renewal_limit" and caught.value.detail == {"limit": 1}


def test_an_overdue_loan_is_not_renewed_unless_the_rule_says_so(world: World) -> None:
    lend(world, world.alice, "C1", at=NOW - timedelta(days=30))
    with pytest.raises(LoanRefused) as caught:
        renew(world, "C1")
    assert caught.value.reason == "overdue_renewal"
    with world.database.write() as session:
        rule = session.scalars(select(LoanRule)).one()
        rule.renew_when_overdue = True
    assert renew(world, "C1").due_on == date(2026, 12, 12)  # type: ignore[attr-defined]


def test_renewal_refused_when_someone_waits_for_the_record(world: World) -> None:
    lend(world, world.alice, "C3")
    hold(world, world.boris, world.zola)
    with pytest.raises(LoanRefused) as caught:
        renew(world, "C3")
    assert caught.value.reason == "held_for_other"


def test_renewing_a_copy_not_on_loan(world: World) -> None:
    with pytest.raises(LoanRefused) as caught:
        renew(world, "C1")
    assert caught.value.reason == "not_on_loan"
    with pytest.raises(LoanRefused) as unknown:
        renew(world, "ZZZ")
    assert unknown.value.reason == "unknown_barcode"


def test_renew_all_renews_what_it_may(world: World) -> None:
    lend(world, world.alice, "C1", at=NOW - timedelta(days=10))
    lend(world, world.alice, "C3", at=NOW - timedelta(days=10))
    hold(world, world.boris, world.zola)
    with world.database.write() as session:
        done, refused = renew_all(session, DESK, member_id=world.alice, now=NOW)
    assert [d.copy_barcode for d in done] == ["C1"]
    assert [(r.copy_barcode, r.reason) for r in refused] == [("C3", "held_for_other")]


def test_the_queue_is_served_in_order(world: World) -> None:
    with world.database.write() as session:
        carol = add_member(session, "M-CAROL")
    lend(world, world.alice, "C3")
    first = hold(world, world.boris, world.zola)
    second = hold(world, carol, world.zola, now=NOW + timedelta(minutes=1))
    assert (first.position, second.position) == (1, 2)  # type: ignore[attr-defined]
    with world.database.read() as session:
        assert member_panel(session, carol, now=NOW).holds[0].position == 2
    with world.database.write() as session:
        done = return_copy(session, DESK, copy_barcode="C3", now=NOW)
    assert done.hold_for is not None and done.hold_for.member_id == world.boris
    with world.database.read() as session:
        assert member_panel(session, carol, now=NOW).holds[0].position == 1


def test_hold_refusals(world: World) -> None:
    lend(world, world.alice, "C1")
    hold(world, world.alice, world.zola)
    for member, record, reason in [
        (world.alice, world.zola, "already_held"),
        (world.alice, world.hugo, "already_borrowed"),
    ]:
        with pytest.raises(LoanRefused) as caught:
            hold(world, member, record)
        assert caught.value.reason == reason
    hold(world, world.alice, world.dvd)
    with world.database.write() as session:
        session.scalars(select(LoanRule)).one().max_holds = 2
    with world.database.write() as session:
        from tests.core.circulation_world import add_record
        extra = add_record(session, "Nana", ("C9",))
    with pytest.raises(LoanRefused) as limit:
        hold(world, world.alice, extra)
    assert limit.value.reason == "hold_limit" and limit.value.detail["limit"] == 2
    with pytest.raises(UnknownRecord):
        hold(world, world.alice, 999)


def test_cancelling_a_ready_hold_passes_the_copy_on(world: World) -> None:
    with world.database.write() as session:
        carol = add_member(session, "M-CAROL")
    lend(world, world.alice, "C3")
    boris_hold = hold(world, world.boris, world.zola)
    hold(world, carol, world.zola, now=NOW + timedelta(minutes=1))
    with world.database.write() as session:
        return_copy(session, DESK, copy_barcode="C3", now=NOW)
    with world.database.write() as session:
        cancel_hold(session, DESK, hold_id=boris_hold.hold_id, now=NOW)  # type: ignore[attr-defined]
    assert statuses(world) == [(world.boris, "cancelled"), (carol, "ready")]
    with world.database.write() as session:  # cancelling again changes nothing
        cancel_hold(session, DESK, hold_id=boris_hold.hold_id, now=NOW)  # type: ignore[attr-defined]
    with pytest.raises(UnknownHold), world.database.write() as session:
        cancel_hold(session, DESK, hold_id=4242, now=NOW)


def test_ready_holds_expire_after_the_pickup_deadline(world: World) -> None:
    with world.database.write() as session:
        carol = add_member(session, "M-CAROL")
    lend(world, world.alice, "C3")
    hold(world, world.boris, world.zola)
    hold(world, carol, world.zola, now=NOW + timedelta(minutes=1))
    with world.database.write() as session:
        return_copy(session, DESK, copy_barcode="C3", now=NOW)  # ready until 28 Nov
    with world.database.write() as session:
        assert expire_holds(session, DESK, now=NOW + timedelta(days=7)) == 0  # 28 Nov: still
    later = NOW + timedelta(days=8)
    with world.database.write() as session:
        assert expire_holds(session, DESK, now=later) == 1
    assert statuses(world) == [(world.boris, "expired"), (carol, "ready")]
    with world.database.read() as session:
        pickup = session.scalar(select(Hold.pickup_by).where(Hold.member_id == carol))
    assert pickup == date(2026, 12, 7)  # 29 Nov + 7 = Sun 6 Dec → Monday 7


def test_taking_another_copy_frees_the_one_put_aside(world: World) -> None:
    """Alice waits for Les Misérables; C1 comes back and is put aside, but she takes C2
    from the shelf: her hold is fulfilled and C1 goes to the next in the queue."""
    with world.database.write() as session:
        carol = add_member(session, "M-CAROL")
    lend(world, world.boris, "C1")
    lend(world, carol, "C2")
    hold(world, world.alice, world.hugo)
    hold(world, world.boris, world.zola)  # unrelated
    with world.database.write() as session:
        return_copy(session, DESK, copy_barcode="C1", now=NOW)
        return_copy(session, DESK, copy_barcode="C2", now=NOW)
    hold(world, carol, world.hugo, now=NOW + timedelta(minutes=5))
    lend(world, world.alice, "C2")
    with world.database.read() as session:
        rows = session.execute(select(Hold.member_id, Hold.status, Hold.copy_id)
                               .where(Hold.record_id == world.hugo).order_by(Hold.id)).all()
    assert [(m, s) for m, s, _c in rows] == [(world.alice, "fulfilled"), (carol, "ready")]

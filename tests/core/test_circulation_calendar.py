"""The calendar: open days, Kazakhstan's holidays, emergency closures moving due dates."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from mediatheque.circulation import check_out
from mediatheque.circulation.calendar import (
    KAZAKHSTAN_HOLIDAYS,
    Calendar,
    add_closure,
    add_kazakhstan_holidays,
    closed_weekdays,
    declare_emergency_closure,
    list_closures,
    load_calendar,
    remove_closure,
    set_closed_weekdays,
)
from mediatheque.db import Database
from mediatheque.errors import InvalidValue, PermissionDenied
from mediatheque.models import AuditEntry, Loan
from mediatheque.permissions import LOCAL_ADMIN, Actor
from tests.conftest import NOW
from tests.core.circulation_world import build_world

LIBRARIAN = Actor(login="desk", role="librarian")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 23)),  # Monday, open
        (date(2026, 11, 22), date(2026, 11, 23)),  # Sunday → Monday
        (date(2026, 12, 16), date(2026, 12, 17)),  # Independence Day → Thursday
        (date(2026, 12, 31), date(2027, 1, 4)),  # 1–2 Jan holidays, 3 Jan Sunday
    ],
)
def test_next_open_day(day: date, expected: date) -> None:
    calendar = Calendar(
        frozenset({6}),
        ((date(2026, 12, 16), date(2026, 12, 16)), (date(2026, 12, 31), date(2027, 1, 2))),
    )
    assert calendar.next_open_day(day) == expected
    assert calendar.is_open(expected)


def test_a_calendar_closed_every_day_does_not_loop() -> None:
    assert Calendar(frozenset(range(7))).next_open_day(date(2026, 1, 1)) == date(2026, 1, 1)


def test_closed_weekdays_are_replaced_and_audited(database: Database) -> None:
    build_world(database)
    with database.write() as session:
        assert closed_weekdays(session) == {6}
        set_closed_weekdays(session, LOCAL_ADMIN, {0, 6}, now=NOW)
    with database.read() as session:
        assert closed_weekdays(session) == {0, 6}
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "calendar_weekdays")).one()
        assert json.loads(entry.details) == {"closed_weekdays": [[6], [0, 6]]}


@pytest.mark.parametrize("bad", [set(range(7)), {7}, {-1}])
def test_bad_weekdays_are_refused(database: Database, bad: set[int]) -> None:
    build_world(database)
    with pytest.raises(InvalidValue), database.write() as session:
        set_closed_weekdays(session, LOCAL_ADMIN, bad, now=NOW)
    with database.read() as session:
        assert closed_weekdays(session) == {6}


def test_a_librarian_may_not_change_the_calendar(database: Database) -> None:
    build_world(database)
    with pytest.raises(PermissionDenied), database.write() as session:
        add_closure(session, LIBRARIAN, start_on=date(2026, 12, 1), end_on=date(2026, 12, 1),
                    now=NOW)


def test_kazakhstan_holidays_are_added_once(database: Database) -> None:
    build_world(database)
    with database.write() as session:
        assert add_kazakhstan_holidays(session, LOCAL_ADMIN, 2027, now=NOW) == len(
            KAZAKHSTAN_HOLIDAYS)
    with database.write() as session:
        assert add_kazakhstan_holidays(session, LOCAL_ADMIN, 2027, now=NOW) == 0
    with database.read() as session:
        closures = list_closures(session, year=2027)
        spans = {(c.start_on, c.end_on) for c in closures}
        calendar = load_calendar(session)
    assert len(closures) == 10 and all(c.kind == "holiday" for c in closures)
    assert (date(2027, 3, 21), date(2027, 3, 23)) in spans  # Nauryz, three days
    assert (date(2027, 1, 1), date(2027, 1, 2)) in spans
    for day in (date(2027, 3, 8), date(2027, 5, 1), date(2027, 5, 7), date(2027, 5, 9),
                date(2027, 7, 6), date(2027, 8, 30), date(2027, 10, 25), date(2027, 12, 16)):
        assert not calendar.is_open(day)


def test_holidays_for_an_absurd_year_are_refused(database: Database) -> None:
    build_world(database)
    with pytest.raises(InvalidValue), database.write() as session:
        add_kazakhstan_holidays(session, LOCAL_ADMIN, 1066, now=NOW)


def test_closure_range_is_checked_and_removable(database: Database) -> None:
    build_world(database)
    with pytest.raises(InvalidValue), database.write() as session:
        add_closure(session, LOCAL_ADMIN, start_on=date(2026, 12, 5),
                    end_on=date(2026, 12, 1), now=NOW)
    with database.write() as session:
        closure_id = add_closure(session, LOCAL_ADMIN, start_on=date(2026, 12, 1),
                                 end_on=date(2026, 12, 5), reason="Inventaire", now=NOW)
    with database.write() as session:
        assert remove_closure(session, LOCAL_ADMIN, closure_id, now=NOW)
        assert not remove_closure(session, LOCAL_ADMIN, closure_id, now=NOW)
    with database.read() as session:
        assert list_closures(session) == []


def test_loans_fall_due_on_open_days(database: Database) -> None:
    world = build_world(database)
    with database.write() as session:
        # 21 days from Sat 21 Nov 2026 is Sat 12 Dec; close 12–14 Dec (13 is a Sunday).
        add_closure(session, LOCAL_ADMIN, start_on=date(2026, 12, 12),
                    end_on=date(2026, 12, 14), now=NOW)
        done = check_out(session, LOCAL_ADMIN, member_id=world.alice, copy_barcode="C1",
                         now=NOW)
    assert done.due_on == date(2026, 12, 15)


def test_emergency_closure_moves_due_dates_inside_it(database: Database) -> None:
    world = build_world(database)
    with database.write() as session:
        inside = check_out(session, LOCAL_ADMIN, member_id=world.alice, copy_barcode="C1",
                           now=NOW)  # due Sat 12 Dec
        outside = check_out(session, LOCAL_ADMIN, member_id=world.boris, copy_barcode="D1",
                            now=NOW)
        session.get(Loan, outside.loan_id).due_on = date(2026, 12, 20)  # type: ignore[union-attr]
    with database.write() as session:
        result = declare_emergency_closure(
            session, LOCAL_ADMIN, start_on=date(2026, 12, 10), end_on=date(2026, 12, 12),
            reason="Coupure de chauffage", now=NOW,
        )
    # 13 Dec is a Sunday: the moved loans fall due on Monday 14.
    assert result.moved_loans == 1 and result.new_due_on == date(2026, 12, 14)
    with database.read() as session:
        assert session.get(Loan, inside.loan_id).due_on == date(2026, 12, 14)  # type: ignore[union-attr]
        assert session.get(Loan, outside.loan_id).due_on == date(2026, 12, 20)  # type: ignore[union-attr]
        moved = session.scalars(select(AuditEntry).where(AuditEntry.action == "due_moved")).all()
        assert [entry.entity_id for entry in moved] == [str(inside.loan_id)]
        assert json.loads(moved[0].details)["due_on"] == ["2026-12-12", "2026-12-14"]
        kinds = [c.kind for c in list_closures(session)]
    assert kinds == ["emergency"]


def test_emergency_closure_with_no_loans_inside(database: Database) -> None:
    build_world(database)
    with database.write() as session:
        result = declare_emergency_closure(session, LOCAL_ADMIN, start_on=date(2027, 2, 1),
                                           end_on=date(2027, 2, 2), now=NOW)
    assert result.moved_loans == 0 and result.new_due_on is None


def test_circulation_settings_are_checked_and_audited(database: Database) -> None:
    from mediatheque.circulation.config import (
        CirculationSettings,
        change_circulation_settings,
        load_circulation_settings,
    )

    build_world(database)
    wanted = CirculationSettings(block_when_overdue=False, hold_pickup_days=10)
    with pytest.raises(PermissionDenied), database.write() as session:
        change_circulation_settings(session, LIBRARIAN, wanted, now=NOW)
    with pytest.raises(InvalidValue), database.write() as session:
        change_circulation_settings(session, LOCAL_ADMIN,
                                    CirculationSettings(hold_pickup_days=0), now=NOW)
    with database.write() as session:
        change_circulation_settings(session, LOCAL_ADMIN, wanted, now=NOW)
    with database.read() as session:
        assert load_circulation_settings(session) == wanted
        entry = session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "settings_change")).one()
    assert json.loads(entry) == {"block_when_overdue": [True, False],
                                 "hold_pickup_days": [7, 10]}

"""The library calendar: weekly closed days and dated closures. Due dates fall on open days.

`Calendar` is pure (built from plain values); the functions below it read and change the
calendar in the database. Kazakhstan's fixed-date public holidays can be added for a year;
Kurban ait (Eid al-Adha) follows the lunar calendar, moves every year and must be added
by hand as a dated closure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mediatheque.audit import record_audit
from mediatheque.errors import InvalidValue
from mediatheque.i18n import N_, _
from mediatheque.models import ClosedWeekday, Closure, Loan
from mediatheque.models.vocabulary import ClosureKind
from mediatheque.permissions import Actor, Permission

# Never look further than this for an open day (a calendar closed for ever is refused when
# it is saved; this only stops a loop on a damaged calendar).
SEARCH_LIMIT_DAYS = 731

# (month, first day, last day, name): the fixed-date public holidays of Kazakhstan.
KAZAKHSTAN_HOLIDAYS: tuple[tuple[int, int, int, str], ...] = (
    (1, 1, 2, N_("New Year")),
    (3, 8, 8, N_("International Women's Day")),
    (3, 21, 23, N_("Nauryz")),
    (5, 1, 1, N_("Unity Day of the People of Kazakhstan")),
    (5, 7, 7, N_("Defender of the Fatherland Day")),
    (5, 9, 9, N_("Victory Day")),
    (7, 6, 6, N_("Capital Day")),
    (8, 30, 30, N_("Constitution Day")),
    (10, 25, 25, N_("Republic Day")),
    (12, 16, 16, N_("Independence Day")),
)


@dataclass(frozen=True)
class ClosureView:
    closure_id: int
    start_on: date
    end_on: date
    kind: str
    reason: str | None


@dataclass(frozen=True)
class Calendar:
    """Closed weekdays (0 = Monday … 6 = Sunday) and closed date ranges (inclusive)."""

    closed_weekdays: frozenset[int] = frozenset()
    closures: tuple[tuple[date, date], ...] = ()

    def is_open(self, day: date) -> bool:
        if day.weekday() in self.closed_weekdays:
            return False
        return not any(start <= day <= end for start, end in self.closures)

    def next_open_day(self, day: date) -> date:
        """`day` itself when open, else the first open day after it."""
        candidate = day
        for _step in range(SEARCH_LIMIT_DAYS):
            if self.is_open(candidate):
                return candidate
            candidate += timedelta(days=1)
        return day


def load_calendar(session: Session, *, since: date | None = None) -> Calendar:
    """The calendar from the database; with `since`, only closures ending on or after it."""
    weekdays = frozenset(session.scalars(select(ClosedWeekday.weekday)))
    query = select(Closure.start_on, Closure.end_on)
    if since is not None:
        query = query.where(Closure.end_on >= since)
    closures = tuple((start, end) for start, end in session.execute(query))
    return Calendar(weekdays, closures)


def list_closures(session: Session, *, year: int | None = None) -> list[ClosureView]:
    query = select(Closure).order_by(Closure.start_on, Closure.id)
    if year is not None:
        query = query.where(
            Closure.end_on >= date(year, 1, 1), Closure.start_on <= date(year, 12, 31)
        )
    return [
        ClosureView(c.id, c.start_on, c.end_on, c.kind, c.reason) for c in session.scalars(query)
    ]


def closed_weekdays(session: Session) -> frozenset[int]:
    return frozenset(session.scalars(select(ClosedWeekday.weekday)))


def set_closed_weekdays(
    session: Session, actor: Actor, weekdays: Iterable[int], *, now: datetime
) -> None:
    """Replaces the weekly closed days. At least one day of the week must stay open."""
    actor.require(Permission.SETTINGS)
    wanted = frozenset(weekdays)
    if any(day not in range(7) for day in wanted) or len(wanted) == 7:
        raise InvalidValue("closed_weekdays", ",".join(str(day) for day in sorted(wanted)))
    before = closed_weekdays(session)
    if before == wanted:
        return
    session.execute(delete(ClosedWeekday))
    session.add_all(ClosedWeekday(weekday=day) for day in sorted(wanted))
    session.flush()
    record_audit(
        session, actor, action="calendar_weekdays", entity="calendar", entity_id=None, now=now,
        details={"closed_weekdays": [sorted(before), sorted(wanted)]},
    )


def add_closure(
    session: Session,
    actor: Actor,
    *,
    start_on: date,
    end_on: date,
    reason: str | None = None,
    kind: str = ClosureKind.CLOSURE,
    now: datetime,
) -> int:
    """Adds a dated closure (does not move loans already due in it: see
    `declare_emergency_closure`)."""
    actor.require(Permission.SETTINGS)
    _check_range(start_on, end_on)
    closure = Closure(
        start_on=start_on, end_on=end_on, kind=ClosureKind(kind).value,
        reason=(reason or "").strip()[:300] or None,
    )
    session.add(closure)
    session.flush()
    record_audit(
        session, actor, action="closure_add", entity="closure", entity_id=closure.id, now=now,
        details={"start_on": start_on, "end_on": end_on, "kind": closure.kind},
    )
    return closure.id


def remove_closure(session: Session, actor: Actor, closure_id: int, *, now: datetime) -> bool:
    actor.require(Permission.SETTINGS)
    closure = session.get(Closure, closure_id)
    if closure is None:
        return False
    details = {"start_on": closure.start_on, "end_on": closure.end_on, "kind": closure.kind}
    session.delete(closure)
    session.flush()
    record_audit(
        session, actor, action="closure_remove", entity="closure", entity_id=closure_id,
        now=now, details=details,
    )
    return True


def add_kazakhstan_holidays(session: Session, actor: Actor, year: int, *, now: datetime) -> int:
    """Adds Kazakhstan's fixed-date public holidays of `year` as closures, skipping those
    already there (same dates). Returns how many were added. Kurban ait is not included:
    its date moves every year — add it by hand."""
    actor.require(Permission.SETTINGS)
    if not 2000 <= year <= 2100:
        raise InvalidValue("year", str(year))
    existing = {
        (start, end)
        for start, end in session.execute(
            select(Closure.start_on, Closure.end_on).where(
                Closure.start_on >= date(year, 1, 1), Closure.start_on <= date(year, 12, 31)
            )
        )
    }
    added = 0
    for month, first, last, name in KAZAKHSTAN_HOLIDAYS:
        span = (date(year, month, first), date(year, month, last))
        if span in existing:
            continue
        session.add(
            Closure(start_on=span[0], end_on=span[1], kind=ClosureKind.HOLIDAY, reason=_(name))
        )
        added += 1
    session.flush()
    record_audit(
        session, actor, action="holidays_add", entity="calendar", entity_id=None, now=now,
        details={"year": year, "added": added},
    )
    return added


@dataclass(frozen=True)
class EmergencyClosure:
    closure_id: int
    moved_loans: int
    new_due_on: date | None  # where the moved due dates went (the next open day)


def declare_emergency_closure(
    session: Session,
    actor: Actor,
    *,
    start_on: date,
    end_on: date,
    reason: str | None = None,
    now: datetime,
) -> EmergencyClosure:
    """Closes the library on these days (inclusive) and moves the due date of every open
    loan falling inside them to the next open day. Each moved loan is audited."""
    closure_id = add_closure(
        session, actor, start_on=start_on, end_on=end_on, reason=reason,
        kind=ClosureKind.EMERGENCY, now=now,
    )
    calendar = load_calendar(session, since=start_on)
    target = calendar.next_open_day(end_on + timedelta(days=1))
    loans = session.scalars(
        select(Loan).where(
            Loan.returned_at.is_(None), Loan.due_on >= start_on, Loan.due_on <= end_on
        )
    ).all()
    for loan in loans:
        before = loan.due_on
        loan.due_on = target
        record_audit(
            session, actor, action="due_moved", entity="loan", entity_id=loan.id, now=now,
            details={"due_on": [before, target], "closure_id": closure_id},
        )
    session.flush()
    return EmergencyClosure(closure_id, len(loans), target if loans else None)


def _check_range(start_on: date, end_on: date) -> None:
    if end_on < start_on:
        raise InvalidValue("end_on", end_on.isoformat())
    if (end_on - start_on).days > 366:
        raise InvalidValue("end_on", end_on.isoformat())

"""Holds on records: placed in a queue, made READY when a copy comes back (put aside with a
pick-up deadline), cancelled, or expired when not picked up (the copy then goes to the
next in the queue).

A hold placed while a copy is on the shelf stays WAITING like any other: the copy is not
taken off the shelf for it; the next copy returned (or scanned in return mode) serves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from mediatheque.audit import record_audit
from mediatheque.circulation.calendar import load_calendar
from mediatheque.circulation.queries import (
    ACTIVE_HOLD,
    DeskSettings,
    active_hold_count,
    desk_settings,
    loan_rules,
    local_day,
    open_loan_count,
    overdue_count,
)
from mediatheque.circulation.rules import MemberFacts, blocking, choose_rule, hold_refusals
from mediatheque.errors import LoanRefused, UnknownHold, UnknownRecord
from mediatheque.models import Copy, Hold, Loan, Member, Record
from mediatheque.models.vocabulary import CopyStatus, HoldStatus
from mediatheque.permissions import Actor, Permission


@dataclass(frozen=True)
class HoldNotice:
    """A copy put aside for a member: say it at the desk ("put aside for …")."""

    hold_id: int
    member_id: int
    member_name: str
    pickup_by: date


@dataclass(frozen=True)
class HoldPlaced:
    hold_id: int
    position: int  # 1 = next to be served


def get_member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise LoanRefused("unknown_member", None, member_id)
    return member


def place_hold(
    session: Session,
    actor: Actor,
    *,
    member_id: int,
    record_id: int,
    now: datetime,
    at: datetime | None = None,
) -> HoldPlaced:
    """Queues a hold of a member on a record. Refused: membership, already_held,
    already_borrowed, hold_limit."""
    actor.require(Permission.LEND)
    happened = at or now
    today = local_day(session, happened)
    member = get_member(session, member_id)
    record = session.get(Record, record_id)
    if record is None:
        raise UnknownRecord(record_id)
    already_held = session.scalar(
        select(
            exists().where(
                Hold.member_id == member_id,
                Hold.record_id == record_id,
                Hold.status.in_(ACTIVE_HOLD),
            )
        )
    )
    already_borrowed = session.scalar(
        select(
            exists().where(
                Loan.member_id == member_id,
                Loan.record_id == record_id,
                Loan.returned_at.is_(None),
            )
        )
    )
    rule = choose_rule(loan_rules(session), member.category_id, record.media_type)
    facts = MemberFacts(
        member_id=member.id,
        membership_expiry=member.membership_expiry,
        blocked=member.status == "blocked",
        open_loans=open_loan_count(session, member.id),
        overdue_loans=overdue_count(session, member.id, today),
        active_holds=active_hold_count(session, member.id),
    )
    refusal = blocking(
        hold_refusals(
            facts, rule, today,
            already_held=bool(already_held), already_borrowed=bool(already_borrowed),
        ),
        override=False,
    )
    if refusal is not None:
        raise LoanRefused(refusal.reason, None, member_id, {"record_id": record_id,
                                                           **refusal.detail})
    hold = Hold(
        record_id=record_id, member_id=member_id, placed_at=happened,
        status=HoldStatus.WAITING,
    )
    session.add(hold)
    session.flush()
    record_audit(
        session, actor, action="hold", entity="hold", entity_id=hold.id, now=now,
        happened_at=happened, details={"record_id": record_id, "member_id": member_id},
    )
    return HoldPlaced(hold.id, queue_position(session, hold))


def queue_position(session: Session, hold: Hold) -> int:
    """1-based place of a WAITING hold in its record's queue; 0 for a READY one."""
    if hold.status != HoldStatus.WAITING:
        return 0
    ids = session.scalars(
        select(Hold.id)
        .where(Hold.record_id == hold.record_id, Hold.status == HoldStatus.WAITING)
        .order_by(Hold.placed_at, Hold.id)
    ).all()
    return ids.index(hold.id) + 1 if hold.id in ids else 0


def cancel_hold(session: Session, actor: Actor, *, hold_id: int, now: datetime) -> None:
    """Cancels a hold; a copy that was put aside for it goes to the next in the queue.
    Cancelling a hold already closed changes nothing."""
    actor.require(Permission.LEND)
    hold = session.get(Hold, hold_id)
    if hold is None:
        raise UnknownHold(hold_id)
    if hold.status not in ACTIVE_HOLD:
        return
    copy_id = hold.copy_id if hold.status == HoldStatus.READY else None
    hold.status = HoldStatus.CANCELLED
    hold.closed_at = now
    session.flush()
    record_audit(
        session, actor, action="hold_cancel", entity="hold", entity_id=hold.id, now=now,
        details={"record_id": hold.record_id, "member_id": hold.member_id},
    )
    if copy_id is not None:
        offer_copy(session, actor, copy_id=copy_id, now=now)


def expire_holds(session: Session, actor: Actor, *, now: datetime) -> int:
    """Closes READY holds whose pick-up deadline has passed and passes each copy to the
    next member in the queue. Returns how many holds expired."""
    actor.require(Permission.LEND)
    today = local_day(session, now)
    holds = session.scalars(
        select(Hold).where(Hold.status == HoldStatus.READY, Hold.pickup_by < today)
        .order_by(Hold.pickup_by, Hold.id)
    ).all()
    for hold in holds:
        hold.status = HoldStatus.EXPIRED
        hold.closed_at = now
        session.flush()
        record_audit(
            session, actor, action="hold_expire", entity="hold", entity_id=hold.id, now=now,
            details={"record_id": hold.record_id, "member_id": hold.member_id},
        )
        if hold.copy_id is not None:
            offer_copy(session, actor, copy_id=hold.copy_id, now=now)
    return len(holds)


def offer_copy(
    session: Session,
    actor: Actor,
    *,
    copy_id: int,
    now: datetime,
    at: datetime | None = None,
    desk: DeskSettings | None = None,
    known_free: bool = False,
) -> HoldNotice | None:
    """A copy back on the shelf: if it is already put aside, that hold; else the first
    WAITING hold on its record becomes READY with this copy and a pick-up deadline.
    `known_free`: the caller has just ended its loan (one query fewer)."""
    ready = session.scalar(
        select(Hold).where(Hold.copy_id == copy_id, Hold.status == HoldStatus.READY)
    )
    if ready is not None:
        return _notice(session, ready)
    copy = session.get(Copy, copy_id)
    if copy is None or copy.status != CopyStatus.AVAILABLE:
        return None
    if not known_free and session.scalar(
        select(exists().where(Loan.copy_id == copy_id, Loan.returned_at.is_(None)))
    ):
        return None
    hold = session.scalar(
        select(Hold)
        .where(Hold.record_id == copy.record_id, Hold.status == HoldStatus.WAITING)
        .order_by(Hold.placed_at, Hold.id)
        .limit(1)
    )
    if hold is None:
        return None
    happened = at or now
    desk = desk or desk_settings(session)
    today = desk.day(happened)
    days = desk.circulation.hold_pickup_days
    hold.status = HoldStatus.READY
    hold.copy_id = copy_id
    hold.ready_at = happened
    hold.pickup_by = load_calendar(session, since=today).next_open_day(
        today + timedelta(days=days)
    )
    session.flush()
    record_audit(
        session, actor, action="hold_ready", entity="hold", entity_id=hold.id, now=now,
        happened_at=happened,
        details={"copy_id": copy_id, "member_id": hold.member_id, "pickup_by": hold.pickup_by},
    )
    return _notice(session, hold)


def _notice(session: Session, hold: Hold) -> HoldNotice:
    member = session.get(Member, hold.member_id)
    name = f"{member.first_name} {member.last_name}".strip() if member else ""
    assert hold.pickup_by is not None
    return HoldNotice(hold.id, hold.member_id, name, hold.pickup_by)

"""Reads for the loan desk: everything the member panel shows, in one call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediatheque.circulation.holds import get_member
from mediatheque.circulation.queries import ACTIVE_HOLD, local_day
from mediatheque.circulation.rules import EXPIRES_SOON_DAYS, late_days
from mediatheque.models import Copy, Hold, Loan, MemberCategory, Record
from mediatheque.models.vocabulary import HoldStatus, MemberStatus


@dataclass(frozen=True)
class LoanLine:
    loan_id: int
    copy_barcode: str
    record_id: int | None
    title: str
    due_on: date
    overdue: bool
    late_days: int
    renewals: int


@dataclass(frozen=True)
class HoldLine:
    hold_id: int
    record_id: int
    title: str
    status: str
    position: int  # place in the queue (1 = next); 0 when READY
    pickup_by: date | None
    copy_barcode: str | None


@dataclass(frozen=True)
class MemberPanel:
    member_id: int
    barcode: str
    first_name: str
    last_name: str
    category: str
    preferred_language: str
    membership_expiry: date
    expired: bool
    blocked: bool
    loans: tuple[LoanLine, ...]
    holds: tuple[HoldLine, ...]
    history_count: int  # loans returned
    # stable codes: membership_expired, expires_soon, has_overdue, holds_ready, member_blocked
    warnings: tuple[str, ...]


def member_panel(session: Session, member_id: int, *, now: datetime) -> MemberPanel:
    """The member, current loans (by due date), active holds and warnings.
    Raises LoanRefused("unknown_member") for an unknown id."""
    today = local_day(session, now)
    member = get_member(session, member_id)
    category = session.scalar(
        select(MemberCategory.name).where(MemberCategory.id == member.category_id)
    ) or ""
    loans = tuple(
        LoanLine(
            loan_id=loan_id,
            copy_barcode=barcode or "",
            record_id=record_id,
            title=title or "",
            due_on=due_on,
            overdue=due_on < today,
            late_days=late_days(due_on, today),
            renewals=renewals,
        )
        for loan_id, barcode, record_id, title, due_on, renewals in session.execute(
            select(Loan.id, Copy.barcode, Loan.record_id, Record.title, Loan.due_on,
                   Loan.renewals)
            .outerjoin(Copy, Copy.id == Loan.copy_id)
            .outerjoin(Record, Record.id == Loan.record_id)
            .where(Loan.member_id == member_id, Loan.returned_at.is_(None))
            .order_by(Loan.due_on, Loan.id)
        )
    )
    holds = tuple(_hold_lines(session, member_id))
    history = session.scalar(
        select(func.count()).select_from(Loan).where(
            Loan.member_id == member_id, Loan.returned_at.is_not(None)
        )
    ) or 0
    expired = member.membership_expiry < today
    blocked = member.status == MemberStatus.BLOCKED
    warnings = []
    if blocked:
        warnings.append("member_blocked")
    if expired:
        warnings.append("membership_expired")
    elif member.membership_expiry <= today + timedelta(days=EXPIRES_SOON_DAYS):
        warnings.append("expires_soon")
    if any(line.overdue for line in loans):
        warnings.append("has_overdue")
    if any(line.status == HoldStatus.READY for line in holds):
        warnings.append("holds_ready")
    return MemberPanel(
        member_id=member.id,
        barcode=member.barcode,
        first_name=member.first_name,
        last_name=member.last_name,
        category=category,
        preferred_language=member.preferred_language,
        membership_expiry=member.membership_expiry,
        expired=expired,
        blocked=blocked,
        loans=loans,
        holds=holds,
        history_count=history,
        warnings=tuple(warnings),
    )


def _hold_lines(session: Session, member_id: int) -> list[HoldLine]:
    rows = session.execute(
        select(Hold, Record.title, Copy.barcode)
        .join(Record, Record.id == Hold.record_id)
        .outerjoin(Copy, Copy.id == Hold.copy_id)
        .where(Hold.member_id == member_id, Hold.status.in_(ACTIVE_HOLD))
        .order_by(Hold.placed_at, Hold.id)
    ).all()
    lines = []
    for hold, title, barcode in rows:
        position = 0
        if hold.status == HoldStatus.WAITING:
            position = 1 + (session.scalar(
                select(func.count()).select_from(Hold).where(
                    Hold.record_id == hold.record_id,
                    Hold.status == HoldStatus.WAITING,
                    (Hold.placed_at < hold.placed_at)
                    | ((Hold.placed_at == hold.placed_at) & (Hold.id < hold.id)),
                )
            ) or 0)
        lines.append(HoldLine(
            hold_id=hold.id, record_id=hold.record_id, title=title, status=hold.status,
            position=position, pickup_by=hold.pickup_by,
            copy_barcode=barcode if hold.status == HoldStatus.READY else None,
        ))
    return lines

"""One member as the screens and `members show` present it: details, current loans and
holds, how many loans in all. Frozen rows, no ORM object outside the session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediatheque.errors import UnknownMember
from mediatheque.models import (
    Copy,
    Hold,
    Loan,
    Member,
    MemberCategory,
    Record,
    ReplacedCard,
)
from mediatheque.models.vocabulary import HoldStatus
from mediatheque.permissions import Actor, Permission


@dataclass(frozen=True)
class CurrentLoan:
    copy_barcode: str
    title: str
    due_on: date
    overdue: bool


@dataclass(frozen=True)
class CurrentHold:
    hold_id: int
    record_id: int
    title: str
    status: str
    pickup_by: date | None


@dataclass(frozen=True)
class MemberDetails:
    member_id: int
    barcode: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    address: str | None
    preferred_language: str
    category_code: str
    category_name: str
    membership_start: date
    membership_expiry: date
    status: str
    notes: str | None
    history_opt_in: bool
    expired: bool
    replaced_cards: tuple[str, ...]
    loans: tuple[CurrentLoan, ...]
    holds: tuple[CurrentHold, ...]
    loans_in_all: int
    updated_at: datetime | None = None  # the version shown: update_member refuses a newer one


def find_member_by_barcode(session: Session, code: str) -> tuple[int, bool]:
    """(member id, whether `code` is a card they no longer carry); UnknownMember if none."""
    code = code.strip()
    found = session.scalar(select(Member.id).where(Member.barcode == code))
    if found is not None:
        return found, False
    replaced = session.scalar(select(ReplacedCard.member_id)
                              .where(ReplacedCard.barcode == code))
    if replaced is not None:
        return replaced, True
    raise UnknownMember(code)


def member_details(session: Session, actor: Actor, member_id: int, *,
                   today: date) -> MemberDetails:
    actor.require(Permission.VIEW)
    row = session.execute(
        select(Member, MemberCategory.code, MemberCategory.name)
        .join(MemberCategory, MemberCategory.id == Member.category_id)
        .where(Member.id == member_id)).first()
    if row is None:
        raise UnknownMember(str(member_id))
    member, code, name = row
    loans = tuple(
        CurrentLoan(barcode or "", title or "", due_on, due_on < today)
        for barcode, title, due_on in session.execute(
            select(Copy.barcode, Record.title, Loan.due_on)
            .outerjoin(Copy, Copy.id == Loan.copy_id)
            .outerjoin(Record, Record.id == Loan.record_id)
            .where(Loan.member_id == member_id, Loan.returned_at.is_(None))
            .order_by(Loan.due_on, Loan.id)))
    holds = tuple(
        CurrentHold(hold_id, record_id, title, status, pickup_by)
        for hold_id, record_id, title, status, pickup_by in session.execute(
            select(Hold.id, Hold.record_id, Record.title, Hold.status, Hold.pickup_by)
            .join(Record, Record.id == Hold.record_id)
            .where(Hold.member_id == member_id,
                   Hold.status.in_((HoldStatus.WAITING, HoldStatus.READY)))
            .order_by(Hold.placed_at, Hold.id)))
    in_all = session.scalar(select(func.count()).select_from(Loan)
                            .where(Loan.member_id == member_id)) or 0
    replaced = tuple(session.scalars(
        select(ReplacedCard.barcode).where(ReplacedCard.member_id == member_id)
        .order_by(ReplacedCard.replaced_at)))
    return MemberDetails(
        member.id, member.barcode, member.first_name, member.last_name, member.email,
        member.phone, member.address, member.preferred_language, code, name,
        member.membership_start, member.membership_expiry, member.status, member.notes,
        member.history_opt_in, member.membership_expiry < today, replaced, loans, holds,
        in_all, member.updated_at)

"""The overdue list as of a date: open loans past their due date, grouped by member, with
days late, contact and the notice levels reached and already sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediatheque.models import Copy, Loan, Member, MemberCategory, NoticeSent, Record
from mediatheque.permissions import Actor, Permission
from mediatheque.reports.notice_settings import NoticeSettings, load_notice_settings
from mediatheque.reports.rules import days_late, level_reached, level_to_send


@dataclass(frozen=True)
class OverdueFilter:
    """`min_days_late` ≥ 1; empty tuples mean every category / media type."""

    min_days_late: int = 1
    category_ids: tuple[int, ...] = ()
    media_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class OverdueLoan:
    loan_id: int
    copy_barcode: str
    record_id: int | None
    title: str
    media_type: str
    loaned_at: datetime
    due_on: date
    days_late: int
    level_reached: int
    level_sent: int

    @property
    def level_due(self) -> int:
        """The notice level to send now for this loan (0 = none)."""
        return level_to_send(self.level_reached, self.level_sent)


@dataclass(frozen=True)
class OverdueMember:
    member_id: int
    barcode: str
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    address: str | None
    language: str
    category_id: int
    category_name: str
    loans: tuple[OverdueLoan, ...]

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def days_late(self) -> int:
        return max(loan.days_late for loan in self.loans)

    @property
    def level_reached(self) -> int:
        return max(loan.level_reached for loan in self.loans)

    @property
    def level_sent(self) -> int:
        return max(loan.level_sent for loan in self.loans)

    @property
    def level_due(self) -> int:
        """The level of the notice to send now (0 = nothing new to send)."""
        return max(loan.level_due for loan in self.loans)


def overdue_list(
    session: Session,
    actor: Actor,
    *,
    today: date,
    filters: OverdueFilter = OverdueFilter(),
    settings: NoticeSettings | None = None,
) -> list[OverdueMember]:
    """Members with loans at least `filters.min_days_late` days late on `today` (the
    library's date), by name; each member's loans by due date."""
    actor.require(Permission.REPORTS)
    if settings is None:
        settings = load_notice_settings(session)
    delays = settings.delays
    latest_due = today - timedelta(days=max(1, filters.min_days_late))
    sent = (
        select(NoticeSent.loan_id, func.max(NoticeSent.level).label("level"))
        .group_by(NoticeSent.loan_id)
        .subquery()
    )
    query = (
        select(
            Loan.id, Loan.member_id, Loan.record_id, Loan.media_type, Loan.loaned_at,
            Loan.due_on, Copy.barcode, Record.title, sent.c.level,
            Member.barcode, Member.first_name, Member.last_name, Member.email, Member.phone,
            Member.address, Member.preferred_language, Member.category_id, MemberCategory.name,
        )
        .join(Member, Member.id == Loan.member_id)
        .join(MemberCategory, MemberCategory.id == Member.category_id)
        .outerjoin(Copy, Copy.id == Loan.copy_id)
        .outerjoin(Record, Record.id == Loan.record_id)
        .outerjoin(sent, sent.c.loan_id == Loan.id)
        .where(Loan.returned_at.is_(None), Loan.due_on <= latest_due)
        .order_by(Member.last_name, Member.first_name, Member.id, Loan.due_on, Loan.id)
    )
    if filters.category_ids:
        query = query.where(Member.category_id.in_(filters.category_ids))
    if filters.media_types:
        query = query.where(Loan.media_type.in_(filters.media_types))
    members: list[OverdueMember] = []
    current: list[OverdueLoan] = []
    head: tuple[object, ...] | None = None
    for row in session.execute(query):
        late = days_late(row[5], today)
        loan = OverdueLoan(
            loan_id=row[0], copy_barcode=row[6] or "", record_id=row[2],
            title=row[7] or "", media_type=row[3], loaned_at=row[4], due_on=row[5],
            days_late=late, level_reached=level_reached(late, delays),
            level_sent=int(row[8] or 0),
        )
        member_head = (row[1], *row[9:])
        if head is not None and member_head[0] != head[0]:
            members.append(_member(head, current))
            current = []
        head = member_head
        current.append(loan)
    if head is not None:
        members.append(_member(head, current))
    return members


def _member(head: Sequence[object], loans: list[OverdueLoan]) -> OverdueMember:
    (member_id, barcode, first, last, email, phone, address, lang, category_id,
     category_name) = head
    return OverdueMember(
        member_id=int(member_id),  # type: ignore[call-overload]
        barcode=str(barcode), first_name=str(first), last_name=str(last),
        email=str(email) if email else None, phone=str(phone) if phone else None,
        address=str(address) if address else None, language=str(lang),
        category_id=int(category_id),  # type: ignore[call-overload]
        category_name=str(category_name), loans=tuple(loans),
    )


def member_blocked_by_notices(
    session: Session, member_id: int, today: date, settings: NoticeSettings | None = None
) -> bool:
    """True when the library blocks loans at the last notice level and one of the member's
    open loans has reached it (is at least the last delay late on `today`). For the loan
    desk's check_out; needs no permission (it reveals nothing)."""
    if settings is None:
        settings = load_notice_settings(session)
    if not settings.block_at_last_level:
        return False
    latest_due = today - timedelta(days=settings.delays[-1])
    query = select(Loan.id).where(
        Loan.member_id == member_id, Loan.returned_at.is_(None), Loan.due_on <= latest_due
    ).limit(1)
    return session.execute(query).first() is not None

"""Deleting a member who leaves, with their personal data (refused while they hold loans).

What stays, for statistics: their past loans with the category, media type and language
of the time (the loans lose their member link: `member_id` becomes null); the audit
entries, which name the member by id only. What goes: the member row (names, contact,
notes), their card barcodes (current and replaced), their holds and search keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from mediatheque.audit import record_audit
from mediatheque.errors import MemberHasLoans
from mediatheque.members.editing import get_member
from mediatheque.models import Hold, Loan, MemberSearch, MemberSearchKey, ReplacedCard
from mediatheque.permissions import Actor, Permission


@dataclass(frozen=True)
class MemberDeleted:
    member_id: int
    loans_anonymised: int
    holds_removed: int


def delete_member(session: Session, actor: Actor, member_id: int, *,
                  now: datetime) -> MemberDeleted:
    actor.require(Permission.DELETE)
    member = get_member(session, member_id)
    on_loan = session.scalar(select(func.count()).select_from(Loan).where(
        Loan.member_id == member_id, Loan.returned_at.is_(None))) or 0
    if on_loan:
        raise MemberHasLoans(member_id, on_loan)
    options = {"synchronize_session": False}
    loans = session.scalar(select(func.count()).select_from(Loan)
                           .where(Loan.member_id == member_id)) or 0
    holds = session.scalar(select(func.count()).select_from(Hold)
                           .where(Hold.member_id == member_id)) or 0
    session.execute(update(Loan).where(Loan.member_id == member_id)
                    .values(member_id=None).execution_options(**options))
    session.execute(delete(Hold).where(Hold.member_id == member_id)
                    .execution_options(**options))
    for model in (ReplacedCard, MemberSearchKey, MemberSearch):
        session.execute(delete(model).where(model.member_id == member_id)
                        .execution_options(**options))
    session.delete(member)
    session.flush()
    record_audit(session, actor, action="member_delete", entity="member", entity_id=member_id,
                 now=now, details={"loans_anonymised": loans, "holds_removed": holds})
    return MemberDeleted(member_id, loans, holds)

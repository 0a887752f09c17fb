"""Anonymising loan history: once a loan is returned (or N days after), its member is
forgotten; what the statistics need (dates, media type, member category, language, record)
stays. Members who opted into their reading history keep it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mediatheque.audit import changes, record_audit
from mediatheque.errors import InvalidValue
from mediatheque.models import Loan, Member
from mediatheque.models.vocabulary import StaffRole
from mediatheque.permissions import Actor, Permission
from mediatheque.settings import load_section, save_section

PREFIX = "privacy."
MAX_DAYS = 3650
SYSTEM = Actor(login="system", role=StaffRole.ADMIN)
"""Who the audit trail names for the application's own scheduled passes. Never given to a
service as a caller."""


@dataclass(frozen=True)
class PrivacySettings:
    """`anonymise_after_days`: 0 forgets the member of a loan at its return (the default);
    N keeps the link N days after the return (e.g. for disputes about damaged books)."""

    anonymise_after_days: int = 0

    def validated(self) -> PrivacySettings:
        days = self.anonymise_after_days
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= MAX_DAYS:
            raise InvalidValue("anonymise_after_days", str(days))
        return self


def load_privacy_settings(session: Session) -> PrivacySettings:
    return load_section(session, PREFIX, PrivacySettings)


def save_privacy_settings(
    session: Session, actor: Actor, settings: PrivacySettings, *, now: datetime
) -> PrivacySettings:
    actor.require(Permission.SETTINGS)
    cleaned = settings.validated()
    before = load_privacy_settings(session)
    save_section(session, PREFIX, cleaned)
    changed = changes({"anonymise_after_days": before.anonymise_after_days},
                      {"anonymise_after_days": cleaned.anonymise_after_days})
    if changed:
        record_audit(session, actor, action="settings_update", entity="settings",
                     entity_id="privacy", now=now, details=changed)
    return cleaned


def anonymise_loan_at_return(session: Session, loan: Loan, member: Member | None) -> None:
    """Called by the return service, in its transaction, once `loan.returned_at` is set:
    forgets the loan's member unless the library keeps the link some days or the member
    opted into their history. Writes nothing else (the return itself is audited)."""
    if loan.returned_at is None or loan.member_id is None:
        return
    if member is not None and member.history_opt_in:
        return
    if load_privacy_settings(session).anonymise_after_days > 0:
        return  # anonymise_old_loans will do it when the time has come
    loan.member_id = None


def anonymise_old_loans(session: Session, now: datetime) -> int:
    """The periodic pass (application start, `mediatheque privacy anonymise`): forgets the
    member of every loan returned more than the configured days ago, except for members who
    opted into their history. Returns how many loans were anonymised."""
    days = load_privacy_settings(session).anonymise_after_days
    cutoff = now - timedelta(days=days)
    keeps_history = select(Member.id).where(Member.history_opt_in.is_(True))
    result = session.execute(
        update(Loan)
        .where(
            Loan.member_id.is_not(None),
            Loan.returned_at.is_not(None),
            Loan.returned_at <= cutoff,
            Loan.member_id.not_in(keeps_history),
        )
        .values(member_id=None)
        .execution_options(synchronize_session=False)
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        record_audit(session, SYSTEM, action="loans_anonymise", entity="loan", entity_id=None,
                     now=now, details={"loans": count, "after_days": days})
    return count

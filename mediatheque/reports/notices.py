"""Overdue notices: which member gets which notice now, and the record of what was sent
(one NoticeSent row per loan and level, so nobody gets the same notice twice)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediatheque.audit import record_audit
from mediatheque.models import NoticeSent
from mediatheque.permissions import Actor, Permission
from mediatheque.reports.notice_settings import NoticeSettings
from mediatheque.reports.overdue import OverdueMember

LETTER, EMAIL = "letter", "email"


@dataclass(frozen=True)
class Notice:
    """One notice to one member: its level (the highest due among the loans), the channel,
    and the member with all their overdue loans (the letter lists them all)."""

    member: OverdueMember
    level: int
    channel: str

    @property
    def loan_levels(self) -> dict[int, int]:
        """{loan id: level recorded when sent} for the loans this notice is news for."""
        return {loan.loan_id: loan.level_due for loan in self.member.loans if loan.level_due}


def plan_notices(members: Iterable[OverdueMember], settings: NoticeSettings) -> list[Notice]:
    """The notices to send now: members with a loan whose level was reached and not yet
    notified. E-mail when a server is configured and the member has an address; else a
    letter."""
    notices = []
    for member in members:
        level = member.level_due
        if not level:
            continue
        channel = EMAIL if settings.mail_configured and member.email else LETTER
        notices.append(Notice(member=member, level=level, channel=channel))
    return notices


def preview_notices(members: Iterable[OverdueMember]) -> list[Notice]:
    """Letters for every listed member at the level reached (nothing recorded): the
    "Letters" button and `report overdue --out letters.pdf` without --send."""
    return [
        Notice(member=member, level=max(1, member.level_reached), channel=LETTER)
        for member in members
    ]


def record_notices(
    session: Session, actor: Actor, notices: Iterable[Notice], *, now: datetime
) -> int:
    """Records the notices actually sent (level, channel, date per loan) with an audit entry
    per member (ids only). A loan already notified at that level is skipped; returns the
    number of notices recorded."""
    actor.require(Permission.REPORTS)
    recorded = 0
    for notice in notices:
        levels = notice.loan_levels
        if not levels:
            continue
        existing = set(session.execute(
            select(NoticeSent.loan_id, NoticeSent.level).where(
                NoticeSent.loan_id.in_(levels)
            )
        ))
        new = {loan: level for loan, level in levels.items() if (loan, level) not in existing}
        if not new:
            continue
        for loan_id, level in sorted(new.items()):
            session.add(NoticeSent(
                loan_id=loan_id, member_id=notice.member.member_id, level=level,
                channel=notice.channel, sent_at=now, staff_id=actor.staff_id,
            ))
        record_audit(
            session, actor, action="notice_sent", entity="member",
            entity_id=notice.member.member_id, now=now,
            details={"level": notice.level, "channel": notice.channel,
                     "loans": sorted(new)},
        )
        recorded += 1
    session.flush()
    return recorded

"""Sending the overdue notices due now: e-mails first (a server that cannot be reached
stops everything, nothing recorded), then the letters PDF, then — in one transaction —
the record of what was actually sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from mediatheque.db import Database
from mediatheque.errors import InvalidValue
from mediatheque.permissions import Actor, Permission
from mediatheque.reports.letters import write_letters
from mediatheque.reports.mail import send_notice_emails
from mediatheque.reports.notice_settings import load_notice_settings
from mediatheque.reports.notices import EMAIL, LETTER, Notice, plan_notices, record_notices
from mediatheque.reports.overdue import OverdueFilter, overdue_list
from mediatheque.settings import load_library_settings


@dataclass(frozen=True)
class NoticePlanCount:
    letters: int
    emails: int


@dataclass(frozen=True)
class NoticeRun:
    letters: int
    emails: int
    failed: tuple[tuple[int, str], ...]  # (member id, reason code)
    letters_path: Path | None


def count_notices_due(
    database: Database, actor: Actor, *, today: date,
    filters: OverdueFilter = OverdueFilter(),  # noqa: B008
) -> NoticePlanCount:
    """How many letters and e-mails "Send notices" would send now (for the confirmation)."""
    with database.read() as session:
        settings = load_notice_settings(session)
        plan = plan_notices(
            overdue_list(session, actor, today=today, filters=filters, settings=settings),
            settings,
        )
    return NoticePlanCount(letters=sum(n.channel == LETTER for n in plan),
                           emails=sum(n.channel == EMAIL for n in plan))


def send_notices(
    database: Database,
    actor: Actor,
    *,
    today: date,
    now: datetime,
    letters_path: Path | None,
    filters: OverdueFilter = OverdueFilter(),  # noqa: B008
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> NoticeRun:
    """Sends the notices due on `today` and records them. Letters go to `letters_path`
    (required when a letter is due). Returns what was sent and what failed."""
    actor.require(Permission.REPORTS)
    with database.read() as session:
        settings = load_notice_settings(session)
        library = load_library_settings(session)
        plan = plan_notices(
            overdue_list(session, actor, today=today, filters=filters, settings=settings),
            settings,
        )
    letters = [notice for notice in plan if notice.channel == LETTER]
    emails = [notice for notice in plan if notice.channel == EMAIL]
    if letters and letters_path is None:
        raise InvalidValue("out", "")
    total = len(plan)

    def step(offset: int) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        return lambda done, _total: progress(offset + done, total)

    result = send_notice_emails(emails, library=library, settings=settings, today=today,
                                progress=step(0), cancelled=cancelled)
    written: list[Notice] = []
    if letters and letters_path is not None:
        try:
            write_letters(letters_path, letters, library=library, settings=settings,
                          today=today, progress=step(len(emails)), cancelled=cancelled)
        except BaseException:
            # The e-mails went out: they are recorded even when the letters cannot be made.
            with database.write() as session:
                record_notices(session, actor, result.sent, now=now)
            raise
        written = letters
    with database.write() as session:
        record_notices(session, actor, [*result.sent, *written], now=now)
    return NoticeRun(
        letters=len(written), emails=len(result.sent),
        failed=tuple((notice.member.member_id, reason) for notice, reason in result.failed),
        letters_path=letters_path if written else None,
    )

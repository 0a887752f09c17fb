"""Whole report jobs for the window's background runner and for benchmarks: each opens its
own transactions and takes plain values, and returns frozen values (nothing from a Session
crosses threads)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from mediatheque.db import Database
from mediatheque.permissions import Actor, Permission
from mediatheque.reports.letters import write_letters
from mediatheque.reports.monthly import MonthlyReport, monthly_report
from mediatheque.reports.notice_settings import load_notice_settings
from mediatheque.reports.notices import preview_notices
from mediatheque.reports.overdue import OverdueFilter, OverdueMember, overdue_list
from mediatheque.reports.overdue_export import export_overdue
from mediatheque.reports.workbook import write_monthly_workbook
from mediatheque.settings import load_library_settings

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


def library_today(database: Database, now: datetime) -> date:
    """The library's date at `now` (its time zone)."""
    with database.read() as session:
        return now.astimezone(load_library_settings(session).zone).date()


def load_overdue(
    database: Database, actor: Actor, *, today: date, filters: OverdueFilter
) -> list[OverdueMember]:
    with database.read() as session:
        return overdue_list(session, actor, today=today, filters=filters)


def make_letters(
    database: Database, actor: Actor, *, today: date, members: list[OverdueMember],
    path: Path, progress: Progress | None = None, cancelled: Cancelled | None = None,
) -> Path:
    """Letters for the members shown (a preview: nothing is recorded as sent)."""
    actor.require(Permission.REPORTS)
    with database.read() as session:
        library = load_library_settings(session)
        settings = load_notice_settings(session)
    write_letters(path, preview_notices(members), library=library, settings=settings,
                  today=today, progress=progress, cancelled=cancelled)
    return path


def export_overdue_file(
    members: list[OverdueMember], *, today: date, path: Path,
    progress: Progress | None = None, cancelled: Cancelled | None = None,
) -> Path:
    del cancelled
    export_overdue(path, members, today=today)
    if progress is not None:
        progress(1, 1)
    return path


def make_monthly_workbook(
    database: Database, actor: Actor, *, month: date, today: date, path: Path,
    progress: Progress | None = None, cancelled: Cancelled | None = None,
) -> MonthlyReport:
    with database.read() as session:
        director = load_library_settings(session).director_language
        report = monthly_report(session, actor, month=month, today=today, cancelled=cancelled)
    write_monthly_workbook(path, report, director_language=director, progress=progress)
    return report

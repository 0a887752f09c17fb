"""`report overdue` and `report monthly` (CLI.md): the overdue list (xlsx, csv or PDF
letters; `--send` sends the notices due and records them) and the director's workbook."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from mediatheque.cli.context import CommandContext, Outcome
from mediatheque.errors import InvalidValue, UnsupportedReportFormat
from mediatheque.i18n import _, ngettext
from mediatheque.models import MemberCategory
from mediatheque.models.vocabulary import MediaType, words
from mediatheque.reports.files import suffix_of
from mediatheque.reports.letters import write_letters
from mediatheque.reports.monthly import monthly_report, shift_month
from mediatheque.reports.notice_settings import load_notice_settings
from mediatheque.reports.notices import preview_notices
from mediatheque.reports.overdue import OverdueFilter, overdue_list
from mediatheque.reports.overdue_export import OVERDUE_FORMATS, export_overdue
from mediatheque.reports.sending import send_notices
from mediatheque.reports.workbook import write_monthly_workbook
from mediatheque.settings import load_library_settings


def register(commands: Any) -> None:
    report = commands.add_parser("report", help=_("overdue follow-up and monthly workbook"))
    sub = report.add_subparsers(dest="report_command", metavar=_("SUBCOMMAND"),
                                required=True, parser_class=type(report))

    overdue = sub.add_parser("overdue", help=_(
        "overdue loans as of today: a spreadsheet (.xlsx, .csv) or the letters (.pdf)"))
    overdue.add_argument("--out", required=True, type=Path, metavar="FILE", help=_(
        "file to write: .xlsx or .csv (the list, personal data), .pdf (letters)"))
    overdue.add_argument("--send", action="store_true", help=_(
        "send the notices due now (e-mail when configured, else letters into --out .pdf) "
        "and record them, so nobody gets the same notice twice"))
    overdue.add_argument("--min-days", type=_days, default=1, metavar="N",
                         help=_("only loans at least N days late (default 1)"))
    overdue.add_argument("--category", action="append", default=[], metavar="CODE",
                         help=_("only members of this category (repeatable)"))
    overdue.add_argument("--media", action="append", default=[], choices=words(MediaType),
                         help=_("only loans of this media type (repeatable)"))
    overdue.set_defaults(handler=run_overdue)

    monthly = sub.add_parser("monthly", help=_("the director's monthly workbook (.xlsx)"))
    monthly.add_argument("--month", type=_month, metavar="YYYY-MM",
                         help=_("the month (default: the previous month)"))
    monthly.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx", help=_(
        "the workbook to write, or a folder (then named monthly-YYYY-MM.xlsx)"))
    monthly.set_defaults(handler=run_monthly)


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 3650:
        raise argparse.ArgumentTypeError(_("a whole number of days from 1 is expected"))
    return value


def _month(text: str) -> date:
    try:
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError(text)
        return date(int(year), int(month), 1)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("a month as YYYY-MM is expected, e.g. 2026-10")) from None


def run_overdue(args: argparse.Namespace, context: CommandContext) -> Outcome:
    path: Path = args.out
    suffix = suffix_of(path, OVERDUE_FORMATS)
    if args.send and suffix != ".pdf":
        raise UnsupportedReportFormat(path=path, allowed=(".pdf",))
    database = context.open().database
    with database.read() as session:
        library = load_library_settings(session)
        today = context.now.astimezone(library.zone).date()
        filters = OverdueFilter(min_days_late=args.min_days,
                                category_ids=_categories(session, args.category),
                                media_types=tuple(args.media))
        settings = load_notice_settings(session)
        members = overdue_list(session, context.actor, today=today, filters=filters,
                               settings=settings)
    loans = sum(len(member.loans) for member in members)
    payload: dict[str, Any] = {"path": str(path), "loans": loans, "members": len(members)}
    lines = [ngettext("{n} overdue loan", "{n} overdue loans", loans).format(n=loans) + ", "
             + ngettext("{n} member", "{n} members", len(members)).format(n=len(members))
             + "."]
    progress = lambda done, total: context.progress(done, total, _("Notices"))  # noqa: E731
    if args.send:
        run = send_notices(database, context.actor, today=today, now=context.now,
                           letters_path=path, filters=filters, progress=progress)
        payload.update({
            "path": str(run.letters_path) if run.letters_path else None,
            "letters": run.letters, "emails": run.emails,
            "failed": [{"member_id": member, "reason": reason} for member, reason in run.failed],
        })
        lines.append(_("Notices sent: {emails} by e-mail, {letters} letters.").format(
            emails=run.emails, letters=run.letters))
        if run.letters_path:
            lines.append(_("Letters to print: {path}").format(path=run.letters_path))
        if run.failed:
            lines.append(ngettext("{n} e-mail could not be sent; it will be tried again.",
                                  "{n} e-mails could not be sent; they will be tried again.",
                                  len(run.failed)).format(n=len(run.failed)))
        return Outcome(payload, "\n".join(lines), exit_code=1 if run.failed else 0)
    if suffix == ".pdf":
        count = write_letters(path, preview_notices(members), library=library,
                              settings=settings, today=today, progress=progress)
        payload["letters"] = count
        lines.append(_("Letters written (not recorded as sent): {path}").format(path=path))
    else:
        export_overdue(path, members, today=today)
        lines.append(_("Written: {path} — it contains personal data.").format(path=path))
    return Outcome(payload, "\n".join(lines))


def _categories(session: Any, codes: list[str]) -> tuple[int, ...]:
    if not codes:
        return ()
    known = {code.lower(): id_ for id_, code in session.execute(
        select(MemberCategory.id, MemberCategory.code))}
    ids = []
    for code in codes:
        if code.lower() not in known:
            raise InvalidValue("category", code)
        ids.append(known[code.lower()])
    return tuple(ids)


def run_monthly(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    with database.read() as session:
        library = load_library_settings(session)
        today = context.now.astimezone(library.zone).date()
        month = args.month or shift_month(today.replace(day=1), -1)
        report = monthly_report(session, context.actor, month=month, today=today)
    path: Path = args.out
    if path.is_dir():
        path = path / f"monthly-{report.month:%Y-%m}.xlsx"
    write_monthly_workbook(path, report, director_language=library.director_language,
                           progress=lambda done, total: context.progress(
                               done, total, _("Workbook")))
    summary = report.summary.as_dict()
    text = "\n".join([
        _("Monthly workbook {month}: {path}").format(month=f"{report.month:%Y-%m}", path=path),
        _("Loans {loans}, returns {returns}, renewals {renewals}, active borrowers "
          "{active_members}, new members {new_members}, new copies {new_copies}, overdue at "
          "month end {overdue}.").format(**summary),
    ])
    return Outcome({"path": str(path), "month": f"{report.month:%Y-%m}", "summary": summary,
                    "previous": report.previous.as_dict(),
                    "year_before": report.year_before.as_dict()}, text)

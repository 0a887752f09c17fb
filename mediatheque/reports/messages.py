"""Sentences for the reports area's errors (mediatheque.messages.AREA_DESCRIBERS)."""

from __future__ import annotations

from mediatheque import errors
from mediatheque.i18n import _


def _mail_reason(reason: str) -> str:
    return {
        "refused": _("the server refused the connection or is not reachable"),
        "timeout": _("the server did not answer in time"),
        "auth": _("the user name or password was refused"),
        "tls": _("the secure connection failed (check the security setting and the port)"),
    }.get(reason, reason)


def _path_problem(problem: str) -> str:
    return {
        "no_folder": _("the folder does not exist"),
        "is_folder": _("a folder has that name"),
    }.get(problem, problem)


def describe(error: errors.MediathequeError) -> str | None:
    match error:
        case errors.MonthInFuture():
            return _("The month {month} has not begun yet: choose a past or the current "
                     "month.").format(month=error.month)
        case errors.OutputUnwritable():
            return _("Cannot write the file {path}: {problem}. No file was left "
                     "half-written; choose another place.").format(
                path=error.path, problem=_path_problem(error.problem))
        case errors.UnsupportedReportFormat():
            return _("{path}: this report can be saved as {formats}.").format(
                path=error.path, formats=", ".join(error.allowed))
        case errors.MailFailed():
            return _("The mail server {host} could not be used: {reason}. No notice was "
                     "marked as sent.").format(host=error.host,
                                               reason=_mail_reason(error.reason))
        case errors.ReportCancelled():
            return _("Cancelled: no file was written and no notice was marked as sent.")
    return None

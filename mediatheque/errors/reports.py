"""Errors of overdue notices and the monthly workbook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from mediatheque.errors.base import MediathequeError


@dataclass
class MonthInFuture(MediathequeError):
    """A monthly report was asked for a month that has not begun yet (`month` = YYYY-MM)."""

    month: str
    code: ClassVar[str] = "month_in_future"

    def __str__(self) -> str:
        return f"the month {self.month} has not begun"

    def details(self) -> dict[str, object]:
        return {"month": self.month}


@dataclass
class OutputUnwritable(MediathequeError):
    """A report file cannot be written at `path` (`problem`: the system's reason); no
    partial file is left behind."""

    path: Path
    problem: str
    code: ClassVar[str] = "output_unwritable"

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.problem}"

    def details(self) -> dict[str, object]:
        return {"path": str(self.path), "problem": self.problem}


@dataclass
class UnsupportedReportFormat(MediathequeError):
    """The output file's extension is not one the report can write (`allowed`)."""

    path: Path
    allowed: tuple[str, ...]
    code: ClassVar[str] = "unsupported_format"

    def __str__(self) -> str:
        return f"{self.path}: expected one of {', '.join(self.allowed)}"

    def details(self) -> dict[str, object]:
        return {"path": str(self.path), "allowed": list(self.allowed)}


@dataclass
class MailFailed(MediathequeError):
    """The SMTP server could not be used (`reason`: refused, timeout, auth, tls, other);
    no notice was recorded as sent."""

    host: str
    reason: str
    detail: str = ""
    code: ClassVar[str] = "mail_failed"

    def __str__(self) -> str:
        return f"mail server {self.host}: {self.reason} {self.detail}".strip()

    def details(self) -> dict[str, object]:
        return {"host": self.host, "reason": self.reason}


@dataclass
class ReportCancelled(MediathequeError):
    """The person cancelled a report or notices; nothing was written or recorded."""

    done: int
    total: int
    code: ClassVar[str] = "cancelled"

    def __str__(self) -> str:
        return f"report cancelled after {self.done} of {self.total}"

    def details(self) -> dict[str, object]:
        return {"done": self.done, "total": self.total}

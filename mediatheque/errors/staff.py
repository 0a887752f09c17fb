"""Errors of staff accounts and logins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from mediatheque.errors.base import MediathequeError


@dataclass
class BadCredentials(MediathequeError):
    """Wrong login or password, a disabled account: deliberately the same error, so that it
    never tells whether a login exists."""

    code: ClassVar[str] = "bad_credentials"

    def __str__(self) -> str:
        return "wrong login or password"


@dataclass
class AccountLocked(MediathequeError):
    """Too many failed logins: the account refuses every password until `until` (UTC)."""

    until: datetime
    code: ClassVar[str] = "account_locked"

    def __str__(self) -> str:
        return f"account locked until {self.until}"

    def details(self) -> dict[str, object]:
        until = self.until.isoformat() if isinstance(self.until, datetime) else str(self.until)
        return {"until": until}


@dataclass
class LoginRequired(MediathequeError):
    """Staff accounts exist: the command must say who runs it (--login)."""

    code: ClassVar[str] = "login_required"

    def __str__(self) -> str:
        return "staff accounts exist: give --login"


@dataclass
class DuplicateLogin(MediathequeError):
    login: str
    code: ClassVar[str] = "duplicate_login"

    def __str__(self) -> str:
        return f"login {self.login!r} is already used"

    def details(self) -> dict[str, object]:
        return {"login": self.login}


@dataclass
class InvalidPassword(MediathequeError):
    """`problem`: too_short or too_long (`limit` characters)."""

    problem: str
    limit: int
    code: ClassVar[str] = "invalid_password"

    def __str__(self) -> str:
        return f"unacceptable password: {self.problem} ({self.limit})"

    def details(self) -> dict[str, object]:
        return {"problem": self.problem, "limit": self.limit}


@dataclass
class LastAdministrator(MediathequeError):
    """The last active administrator cannot be disabled or given another role."""

    login: str
    code: ClassVar[str] = "last_admin"

    def __str__(self) -> str:
        return f"{self.login!r} is the last administrator"

    def details(self) -> dict[str, object]:
        return {"login": self.login}


@dataclass
class UnknownStaff(MediathequeError):
    login: str
    code: ClassVar[str] = "unknown_staff"

    def __str__(self) -> str:
        return f"no staff account {self.login!r}"

    def details(self) -> dict[str, object]:
        return {"login": self.login}

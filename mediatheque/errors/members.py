"""Errors of members, their categories and loan rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from mediatheque.errors.base import MediathequeError


@dataclass
class InvalidName(MediathequeError):
    """A member's name that cannot be kept: `problem` is empty, too_long (over `limit`
    characters) or no_letters (digits and signs only)."""

    field: str
    value: str
    problem: str
    limit: int = 0
    code: ClassVar[str] = "invalid_name"

    def __str__(self) -> str:
        return f"invalid {self.field} ({self.problem}): {self.value[:40]!r}"

    def details(self) -> dict[str, object]:
        return {"field": self.field, "problem": self.problem, "limit": self.limit}


@dataclass
class InvalidEmail(MediathequeError):
    value: str
    code: ClassVar[str] = "invalid_email"

    def __str__(self) -> str:
        return f"invalid e-mail address {self.value!r}"

    def details(self) -> dict[str, object]:
        return {"value": self.value}


@dataclass
class InvalidPhone(MediathequeError):
    """A phone number with other characters than digits, spaces, + - . ( ), or with fewer
    than 5 or more than 15 digits."""

    value: str
    code: ClassVar[str] = "invalid_phone"

    def __str__(self) -> str:
        return f"invalid phone number {self.value!r}"

    def details(self) -> dict[str, object]:
        return {"value": self.value}


@dataclass
class ExpiryBeforeStart(MediathequeError):
    start: str
    expiry: str
    code: ClassVar[str] = "expiry_before_start"

    def __str__(self) -> str:
        return f"membership expiry {self.expiry} is before its start {self.start}"

    def details(self) -> dict[str, object]:
        return {"start": self.start, "expiry": self.expiry}


@dataclass
class UnknownMember(MediathequeError):
    """No member with this id or card barcode (`key`)."""

    key: str
    code: ClassVar[str] = "unknown_member"

    def __str__(self) -> str:
        return f"no member {self.key!r}"

    def details(self) -> dict[str, object]:
        return {"member": self.key}


@dataclass
class MemberHasLoans(MediathequeError):
    """A member who still holds loans cannot be deleted."""

    member_id: int
    on_loan: int
    code: ClassVar[str] = "member_has_loans"

    def __str__(self) -> str:
        return f"member {self.member_id} still has {self.on_loan} loans"

    def details(self) -> dict[str, object]:
        return {"member_id": self.member_id, "on_loan": self.on_loan}


@dataclass
class PossibleDuplicateMember(MediathequeError):
    """Raised only when the caller asked to refuse duplicates: members with the same names
    and the same phone or e-mail (`member_ids`)."""

    member_ids: tuple[int, ...]
    code: ClassVar[str] = "duplicate_member"

    def __str__(self) -> str:
        return f"possible duplicate of members {list(self.member_ids)}"

    def details(self) -> dict[str, object]:
        return {"member_ids": list(self.member_ids)}


@dataclass
class UnknownCategory(MediathequeError):
    category: str
    code: ClassVar[str] = "unknown_category"

    def __str__(self) -> str:
        return f"no member category {self.category!r}"

    def details(self) -> dict[str, object]:
        return {"category": self.category}


@dataclass
class CategoryInUse(MediathequeError):
    """A member category still given to `members` members cannot be deleted."""

    category: str
    members: int
    code: ClassVar[str] = "category_in_use"

    def __str__(self) -> str:
        return f"category {self.category!r} is used by {self.members} members"

    def details(self) -> dict[str, object]:
        return {"category": self.category, "members": self.members}


@dataclass
class DuplicateCategory(MediathequeError):
    category: str
    code: ClassVar[str] = "duplicate_category"

    def __str__(self) -> str:
        return f"member category {self.category!r} already exists"

    def details(self) -> dict[str, object]:
        return {"category": self.category}


@dataclass
class UnknownLoanRule(MediathequeError):
    rule_id: int
    code: ClassVar[str] = "unknown_loan_rule"

    def __str__(self) -> str:
        return f"no loan rule {self.rule_id}"

    def details(self) -> dict[str, object]:
        return {"rule_id": self.rule_id}


@dataclass
class DuplicateLoanRule(MediathequeError):
    """A loan rule for this category × media type exists already (None = any)."""

    category: str | None
    media_type: str | None
    code: ClassVar[str] = "duplicate_loan_rule"

    def __str__(self) -> str:
        return f"a loan rule exists for {self.category or '*'} × {self.media_type or '*'}"

    def details(self) -> dict[str, object]:
        return {"category": self.category, "media_type": self.media_type}


@dataclass
class DefaultLoanRuleRequired(MediathequeError):
    """The default loan rule (any category × any media type) cannot be deleted or given
    a narrower scope."""

    rule_id: int
    code: ClassVar[str] = "default_loan_rule"

    def __str__(self) -> str:
        return f"loan rule {self.rule_id} is the default rule"

    def details(self) -> dict[str, object]:
        return {"rule_id": self.rule_id}


@dataclass
class MemberCsvColumns(MediathequeError):
    """A member spreadsheet without a last-name column (`headers` lists those found)."""

    path: str
    headers: str
    code: ClassVar[str] = "unreadable_csv"

    def __str__(self) -> str:
        return f"cannot import {self.path}: no last-name column ({self.headers})"

    def details(self) -> dict[str, object]:
        return {"path": self.path, "problem": "no_name_column", "detail": self.headers}

"""Errors of the loan desk: refusals with their stable reason codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from mediatheque.errors.base import MediathequeError


@dataclass
class LoanRefused(MediathequeError):
    """A loan, renewal or hold the rules refuse. `reason` is a stable word (CLI.md):
    unknown_barcode, unknown_member, membership_expired, member_blocked, card_replaced,
    loan_limit, has_overdue, not_for_loan, copy_on_loan, held_for_other, renewal_limit,
    overdue_renewal, hold_limit, already_held, already_borrowed. `detail` carries the data
    the sentence needs ({"limit": 5}, {"on_loan_to": 12, "due": "2026-12-01"}…)."""

    reason: str
    copy_barcode: str | None = None
    member_id: int | None = None
    detail: dict[str, object] = field(default_factory=dict)
    code: ClassVar[str] = "loan_refused"

    def __str__(self) -> str:
        return f"refused ({self.reason}): copy {self.copy_barcode}, member {self.member_id}"

    def details(self) -> dict[str, object]:
        return {
            "reason": self.reason,
            "copy": self.copy_barcode,
            "member_id": self.member_id,
            **self.detail,
        }


@dataclass
class UnknownHold(MediathequeError):
    hold_id: int
    code: ClassVar[str] = "unknown_hold"

    def __str__(self) -> str:
        return f"no hold {self.hold_id}"

    def details(self) -> dict[str, object]:
        return {"hold_id": self.hold_id}

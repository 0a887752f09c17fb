"""The lending rules as pure functions (no Session, no clock): which loan rule applies,
whether a loan, a renewal or a hold is allowed, and the due date.

Refusals are returned as `Refusal(reason, detail)` values, in a fixed order of
importance; the services turn the first one into `LoanRefused` (or override them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

# Refusals a librarian may override with a reason (Permission.OVERRIDE). The others
# describe a physical impossibility (the copy is in someone else's hands) or a mistake.
OVERRIDABLE = frozenset(
    {
        "membership_expired",
        "member_blocked",
        "loan_limit",
        "has_overdue",
        "not_for_loan",
        "held_for_other",
        "renewal_limit",
        "overdue_renewal",
        "hold_limit",
    }
)
EXPIRES_SOON_DAYS = 30


@dataclass(frozen=True)
class RuleView:
    """A loan rule as plain values. `member_category_id`/`media_type` None = wildcard."""

    member_category_id: int | None
    media_type: str | None
    loan_days: int = 21
    max_loans: int = 5
    max_renewals: int = 1
    max_holds: int = 3
    renew_when_overdue: bool = False


# Used only when a library has no rule at all (a fresh database before `init`).
FALLBACK_RULE = RuleView(member_category_id=None, media_type=None)


@dataclass(frozen=True)
class Refusal:
    reason: str
    detail: dict[str, object] = field(default_factory=dict)


def specificity(rule: RuleView) -> int:
    """3 category+media, 2 category+*, 1 *+media, 0 default (*+*)."""
    if rule.member_category_id is not None and rule.media_type is not None:
        return 3
    if rule.member_category_id is not None:
        return 2
    if rule.media_type is not None:
        return 1
    return 0


def choose_rule(rules: Iterable[RuleView], category_id: int | None, media_type: str) -> RuleView:
    """The most specific rule matching a member category and a media type:
    category+media, then category+*, then *+media, then the default rule."""
    best: RuleView | None = None
    for rule in rules:
        if rule.member_category_id is not None and rule.member_category_id != category_id:
            continue
        if rule.media_type is not None and rule.media_type != media_type:
            continue
        if best is None or specificity(rule) > specificity(best):
            best = rule
    return best if best is not None else FALLBACK_RULE


@dataclass(frozen=True)
class MemberFacts:
    """What the rules need to know about a member on a given day."""

    member_id: int
    membership_expiry: date
    blocked: bool
    open_loans: int  # open loans counted against the rule (see `counted_loans`)
    overdue_loans: int
    active_holds: int = 0


@dataclass(frozen=True)
class CopyFacts:
    """What the rules need to know about a copy at the desk."""

    barcode: str
    status: str  # CopyStatus word
    on_loan_to: int | None = None  # member holding it now
    due_on: date | None = None
    ready_hold_for: int | None = None  # a READY hold on this very copy, for that member
    waiting_ahead: tuple[int, ...] = ()  # members queued before this borrower on the record
    other_copies_free: int = 0  # other copies of the record on the shelf, unclaimed


def membership_refusals(member: MemberFacts, today: date) -> list[Refusal]:
    refusals = []
    if member.blocked:
        refusals.append(Refusal("member_blocked"))
    if member.membership_expiry < today:
        refusals.append(
            Refusal("membership_expired", {"expired_on": member.membership_expiry.isoformat()})
        )
    return refusals


def loan_refusals(
    member: MemberFacts,
    copy: CopyFacts,
    rule: RuleView,
    today: date,
    *,
    block_when_overdue: bool = True,
) -> list[Refusal]:
    """Every reason to refuse lending `copy` to `member`, most important first. An empty list
    means the loan is allowed.

    Holds: a READY hold on this copy for someone else always refuses. A queue of WAITING holds
    by other members on the record refuses only when it cannot be served by the other copies
    on the shelf: with `k` members queued ahead of this borrower and `a` other unclaimed
    copies available, the loan is refused when k > a (the copy is the one the queue needs).
    """
    if copy.on_loan_to is not None:
        if copy.on_loan_to == member.member_id:
            return [Refusal("already_borrowed", {"due": _iso(copy.due_on)})]
        return [Refusal("copy_on_loan", {"on_loan_to": copy.on_loan_to, "due": _iso(copy.due_on)})]
    refusals = membership_refusals(member, today)
    if copy.status != "available":
        refusals.append(Refusal("not_for_loan", {"status": copy.status}))
    if copy.ready_hold_for is not None and copy.ready_hold_for != member.member_id:
        refusals.append(Refusal("held_for_other", {"held_for": copy.ready_hold_for}))
    elif copy.ready_hold_for is None and len(copy.waiting_ahead) > copy.other_copies_free:
        refusals.append(Refusal("held_for_other", {"held_for": copy.waiting_ahead[0]}))
    if block_when_overdue and member.overdue_loans > 0:
        refusals.append(Refusal("has_overdue", {"overdue": member.overdue_loans}))
    if member.open_loans >= rule.max_loans:
        refusals.append(Refusal("loan_limit", {"limit": rule.max_loans}))
    return refusals


def renewal_refusals(
    member: MemberFacts,
    rule: RuleView,
    *,
    renewals: int,
    due_on: date,
    today: date,
    others_waiting: int,
) -> list[Refusal]:
    """Reasons to refuse renewing a loan: membership, the renewal limit, overdue (unless
    the rule allows renewing late), and other members waiting for the record."""
    refusals = membership_refusals(member, today)
    if renewals >= rule.max_renewals:
        refusals.append(Refusal("renewal_limit", {"limit": rule.max_renewals}))
    if due_on < today and not rule.renew_when_overdue:
        refusals.append(Refusal("overdue_renewal", {"due": due_on.isoformat()}))
    if others_waiting > 0:
        refusals.append(Refusal("held_for_other", {"waiting": others_waiting}))
    return refusals


def hold_refusals(
    member: MemberFacts,
    rule: RuleView,
    today: date,
    *,
    already_held: bool,
    already_borrowed: bool,
) -> list[Refusal]:
    refusals = membership_refusals(member, today)
    if already_held:
        refusals.append(Refusal("already_held"))
    if already_borrowed:
        refusals.append(Refusal("already_borrowed"))
    if member.active_holds >= rule.max_holds:
        refusals.append(Refusal("hold_limit", {"limit": rule.max_holds}))
    return refusals


def blocking(refusals: Iterable[Refusal], *, override: bool) -> Refusal | None:
    """The refusal that stops the action: the first one, or with an override the first one
    that cannot be overridden."""
    for refusal in refusals:
        if not override or refusal.reason not in OVERRIDABLE:
            return refusal
    return None


def due_date(start: date, loan_days: int, next_open_day: Callable[[date], date]) -> date:
    """`loan_days` after `start`, moved to the next day the library is open."""
    return next_open_day(start + timedelta(days=loan_days))


def renewed_due_date(
    today: date, current_due: date, loan_days: int, next_open_day: Callable[[date], date]
) -> date:
    """A renewal gives a full loan period from today, and never shortens a loan."""
    return max(current_due, due_date(today, loan_days, next_open_day))


def late_days(due_on: date, returned_on: date) -> int:
    """Calendar days late (a closed day counts too: the book was away that day as well)."""
    return max(0, (returned_on - due_on).days)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None

"""Editing the loan rules: member category × media type (None = any), loan days, how many
loans, renewals and holds, renewal of overdue loans. The default rule (any × any) always
exists. Which rule applies to a loan is circulation's business."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediatheque.audit import changes, record_audit
from mediatheque.errors import (
    DefaultLoanRuleRequired,
    DuplicateLoanRule,
    InvalidValue,
    UnknownCategory,
    UnknownLoanRule,
)
from mediatheque.models import LoanRule, MemberCategory
from mediatheque.models.vocabulary import MediaType, words
from mediatheque.permissions import Actor, Permission

LIMITS = {"loan_days": (1, 365), "max_loans": (0, 100), "max_renewals": (0, 20),
          "max_holds": (0, 50)}


@dataclass(frozen=True)
class LoanRuleInput:
    category_id: int | None = None  # None: any category
    media_type: str | None = None  # None: any media type
    loan_days: int = 21
    max_loans: int = 5
    max_renewals: int = 1
    max_holds: int = 3
    renew_when_overdue: bool = False


@dataclass(frozen=True)
class LoanRuleRow:
    rule_id: int
    category_id: int | None
    category_code: str | None
    media_type: str | None
    loan_days: int
    max_loans: int
    max_renewals: int
    max_holds: int
    renew_when_overdue: bool

    @property
    def is_default(self) -> bool:
        return self.category_id is None and self.media_type is None


def validate_rule(data: LoanRuleInput) -> None:
    """Pure checks of the numbers and the media type; InvalidValue for the first bad one."""
    for field, (low, high) in LIMITS.items():
        value = getattr(data, field)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise InvalidValue(field, str(value))
    if data.media_type is not None and data.media_type not in words(MediaType):
        raise InvalidValue("media_type", data.media_type)


def list_loan_rules(session: Session, actor: Actor) -> tuple[LoanRuleRow, ...]:
    """The rules, the default first, then by category and media type."""
    actor.require(Permission.VIEW)
    rows = session.execute(
        select(LoanRule, MemberCategory.code)
        .outerjoin(MemberCategory, MemberCategory.id == LoanRule.member_category_id)
    ).all()
    result = [
        LoanRuleRow(rule.id, rule.member_category_id, code, rule.media_type, rule.loan_days,
                    rule.max_loans, rule.max_renewals, rule.max_holds, rule.renew_when_overdue)
        for rule, code in rows
    ]
    return tuple(sorted(result, key=lambda r: (r.category_code is not None, r.category_code
                                               or "", r.media_type is not None,
                                               r.media_type or "")))


def _check_scope(session: Session, data: LoanRuleInput, rule_id: int | None) -> str | None:
    code = None
    if data.category_id is not None:
        category = session.get(MemberCategory, data.category_id)
        if category is None:
            raise UnknownCategory(str(data.category_id))
        code = category.code
    query = select(LoanRule.id).where(
        LoanRule.member_category_id.is_(None) if data.category_id is None
        else LoanRule.member_category_id == data.category_id,
        LoanRule.media_type.is_(None) if data.media_type is None
        else LoanRule.media_type == data.media_type)
    if any(found != rule_id for found in session.scalars(query)):
        raise DuplicateLoanRule(code, data.media_type)
    return code


def _values(data: LoanRuleInput) -> dict[str, object]:
    values = asdict(data)
    values["member_category_id"] = values.pop("category_id")
    return values


def create_loan_rule(session: Session, actor: Actor, data: LoanRuleInput, *,
                     now: datetime) -> int:
    actor.require(Permission.SETTINGS)
    validate_rule(data)
    _check_scope(session, data, None)
    rule = LoanRule(**_values(data))
    session.add(rule)
    session.flush()
    record_audit(session, actor, action="loan_rule_create", entity="loan_rule",
                 entity_id=rule.id, now=now, details=_values(data))
    return rule.id


def update_loan_rule(session: Session, actor: Actor, rule_id: int, data: LoanRuleInput, *,
                     now: datetime) -> None:
    actor.require(Permission.SETTINGS)
    rule = session.get(LoanRule, rule_id)
    if rule is None:
        raise UnknownLoanRule(rule_id)
    validate_rule(data)
    is_default = rule.member_category_id is None and rule.media_type is None
    if is_default and (data.category_id is not None or data.media_type is not None):
        raise DefaultLoanRuleRequired(rule_id)
    _check_scope(session, data, rule_id)
    after = _values(data)
    before = {name: getattr(rule, name) for name in after}
    for name, value in after.items():
        setattr(rule, name, value)
    session.flush()
    record_audit(session, actor, action="loan_rule_update", entity="loan_rule",
                 entity_id=rule_id, now=now, details=changes(before, after))


def delete_loan_rule(session: Session, actor: Actor, rule_id: int, *, now: datetime) -> None:
    actor.require(Permission.SETTINGS)
    rule = session.get(LoanRule, rule_id)
    if rule is None:
        raise UnknownLoanRule(rule_id)
    if rule.member_category_id is None and rule.media_type is None:
        raise DefaultLoanRuleRequired(rule_id)
    details = {"member_category_id": rule.member_category_id, "media_type": rule.media_type}
    session.delete(rule)
    session.flush()
    record_audit(session, actor, action="loan_rule_delete", entity="loan_rule",
                 entity_id=rule_id, now=now, details=details)

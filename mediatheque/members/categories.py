"""Member categories (adult, Alliance student, child…) with their membership length."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mediatheque.audit import changes, record_audit
from mediatheque.errors import (
    CategoryInUse,
    DuplicateCategory,
    InvalidValue,
    UnknownCategory,
)
from mediatheque.members.validation import MAX_MONTHS
from mediatheque.models import LoanRule, Member, MemberCategory
from mediatheque.permissions import Actor, Permission

CATEGORY_CODE = re.compile(r"^[A-Z0-9_-]{1,20}$")
DEFAULT_CODE = "ADULT"


@dataclass(frozen=True)
class CategoryRow:
    category_id: int
    code: str
    name: str
    membership_months: int
    members: int


def list_categories(session: Session, actor: Actor) -> tuple[CategoryRow, ...]:
    actor.require(Permission.VIEW)
    counts: dict[int, int] = {}
    for category_id, count in session.execute(
            select(Member.category_id, func.count()).group_by(Member.category_id)):
        counts[category_id] = count
    return tuple(
        CategoryRow(category.id, category.code, category.name, category.membership_months,
                    counts.get(category.id, 0))
        for category in session.scalars(select(MemberCategory).order_by(MemberCategory.id))
    )


def category_by_code(session: Session, code: str | None) -> MemberCategory:
    """The category with this code (case and blanks ignored); with None, the default one
    (ADULT if it exists, else the first created). UnknownCategory otherwise."""
    if code is None or not code.strip():
        found = session.scalars(select(MemberCategory).order_by(
            (MemberCategory.code != DEFAULT_CODE), MemberCategory.id).limit(1)).first()
        if found is None:
            raise UnknownCategory("")
        return found
    wanted = code.strip().upper()
    found = session.scalars(select(MemberCategory).where(MemberCategory.code == wanted)).first()
    if found is None:
        raise UnknownCategory(code.strip())
    return found


def _checked(code: str, name: str, months: int) -> tuple[str, str, int]:
    code, name = code.strip().upper(), " ".join(name.split())
    if not CATEGORY_CODE.match(code):
        raise InvalidValue("category_code", code)
    if not name or len(name) > 200:
        raise InvalidValue("category_name", name)
    if not 1 <= months <= MAX_MONTHS:
        raise InvalidValue("membership_months", str(months))
    return code, name, months


def create_category(session: Session, actor: Actor, *, code: str, name: str,
                    membership_months: int, now: datetime) -> int:
    actor.require(Permission.SETTINGS)
    code, name, months = _checked(code, name, membership_months)
    if session.scalar(select(MemberCategory.id).where(MemberCategory.code == code)):
        raise DuplicateCategory(code)
    category = MemberCategory(code=code, name=name, membership_months=months)
    session.add(category)
    session.flush()
    record_audit(session, actor, action="category_create", entity="member_category",
                 entity_id=category.id, now=now,
                 details={"code": code, "name": name, "membership_months": months})
    return category.id


def update_category(session: Session, actor: Actor, category_id: int, *, code: str,
                    name: str, membership_months: int, now: datetime) -> None:
    actor.require(Permission.SETTINGS)
    category = session.get(MemberCategory, category_id)
    if category is None:
        raise UnknownCategory(str(category_id))
    code, name, months = _checked(code, name, membership_months)
    if code != category.code and session.scalar(
            select(MemberCategory.id).where(MemberCategory.code == code)):
        raise DuplicateCategory(code)
    before = {"code": category.code, "name": category.name,
              "membership_months": category.membership_months}
    after = {"code": code, "name": name, "membership_months": months}
    category.code, category.name, category.membership_months = code, name, months
    session.flush()
    record_audit(session, actor, action="category_update", entity="member_category",
                 entity_id=category_id, now=now, details=changes(before, after))


def delete_category(session: Session, actor: Actor, category_id: int, *,
                    now: datetime) -> None:
    """Deletes an unused category with its own loan rules; CategoryInUse while members
    belong to it."""
    actor.require(Permission.SETTINGS)
    category = session.get(MemberCategory, category_id)
    if category is None:
        raise UnknownCategory(str(category_id))
    used = session.scalar(select(func.count()).select_from(Member)
                          .where(Member.category_id == category_id)) or 0
    if used:
        raise CategoryInUse(category.code, used)
    code = category.code
    rules = session.scalar(select(func.count()).select_from(LoanRule)
                           .where(LoanRule.member_category_id == category_id)) or 0
    session.execute(delete(LoanRule).where(LoanRule.member_category_id == category_id)
                    .execution_options(synchronize_session=False))
    session.delete(category)
    session.flush()
    record_audit(session, actor, action="category_delete", entity="member_category",
                 entity_id=category_id, now=now,
                 details={"code": code, "loan_rules_deleted": rules})

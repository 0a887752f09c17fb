"""Member categories and loan rules as services: validation, wildcards, the default rule."""

from __future__ import annotations

import pytest

from mediatheque.db import Database
from mediatheque.errors import (
    CategoryInUse,
    DefaultLoanRuleRequired,
    DuplicateCategory,
    DuplicateLoanRule,
    InvalidValue,
    PermissionDenied,
    UnknownCategory,
)
from mediatheque.members.categories import (
    create_category,
    delete_category,
    list_categories,
    update_category,
)
from mediatheque.members.loan_rules import (
    LoanRuleInput,
    create_loan_rule,
    delete_loan_rule,
    list_loan_rules,
    update_loan_rule,
    validate_rule,
)
from mediatheque.models.vocabulary import StaffRole
from mediatheque.permissions import LOCAL_ADMIN, Actor
from tests.conftest import NOW
from tests.core.members_helpers import register, set_up

LIBRARIAN = Actor(login="lib", role=StaffRole.LIBRARIAN)


@pytest.fixture
def library(database: Database) -> Database:
    set_up(database)
    return database


def test_categories_create_edit_delete_if_unused(library: Database) -> None:
    with library.write() as session:
        new = create_category(session, LOCAL_ADMIN, code=" teen ", name="Ados",
                              membership_months=9, now=NOW)
    saved = register(library, category_code="TEEN")
    assert saved.membership_expiry.isoformat() == "2027-08-21"
    with library.write() as session:
        update_category(session, LOCAL_ADMIN, new, code="TEEN", name="Adolescents",
                        membership_months=10, now=NOW)
        rows = {row.code: row for row in list_categories(session, LOCAL_ADMIN)}
    assert rows["TEEN"].name == "Adolescents" and rows["TEEN"].members == 1
    assert rows["TEEN"].membership_months == 10
    with pytest.raises(CategoryInUse) as refused, library.write() as session:
        delete_category(session, LOCAL_ADMIN, new, now=NOW)
    assert refused.value.members == 1
    with library.write() as session:
        unused = rows["PARTNER"].category_id
        create_loan_rule(session, LOCAL_ADMIN, LoanRuleInput(category_id=unused), now=NOW)
        delete_category(session, LOCAL_ADMIN, unused, now=NOW)
        assert "PARTNER" not in {row.code for row in list_categories(session, LOCAL_ADMIN)}
        assert all(rule.category_id != unused for rule in list_loan_rules(session, LOCAL_ADMIN))


@pytest.mark.parametrize(("code", "name", "months", "error"), [
    ("ADULT", "Again", 12, DuplicateCategory), ("", "X", 12, InvalidValue),
    ("A B", "X", 12, InvalidValue), ("X", "", 12, InvalidValue), ("X", "X", 0, InvalidValue),
    ("X", "X", 121, InvalidValue),
])
def test_bad_categories(library: Database, code: str, name: str, months: int,
                        error: type[Exception]) -> None:
    with pytest.raises(error), library.write() as session:
        create_category(session, LOCAL_ADMIN, code=code, name=name,
                        membership_months=months, now=NOW)


def test_settings_permission(library: Database) -> None:
    with pytest.raises(PermissionDenied), library.write() as session:
        create_category(session, LIBRARIAN, code="X", name="X", membership_months=1, now=NOW)
    with pytest.raises(PermissionDenied), library.write() as session:
        create_loan_rule(session, LIBRARIAN, LoanRuleInput(media_type="dvd"), now=NOW)


def test_loan_rules_with_wildcards(library: Database) -> None:
    with library.read() as session:
        rules = list_loan_rules(session, LOCAL_ADMIN)
        child = next(r for r in list_categories(session, LOCAL_ADMIN) if r.code == "CHILD")
    assert len(rules) == 1 and rules[0].is_default
    default = rules[0].rule_id
    with library.write() as session:
        dvd = create_loan_rule(session, LOCAL_ADMIN, LoanRuleInput(
            media_type="dvd", loan_days=7, max_loans=2), now=NOW)
        create_loan_rule(session, LOCAL_ADMIN, LoanRuleInput(
            category_id=child.category_id, media_type="dvd", loan_days=7, max_loans=1,
            renew_when_overdue=True), now=NOW)
        update_loan_rule(session, LOCAL_ADMIN, default, LoanRuleInput(loan_days=28), now=NOW)
    with pytest.raises(DuplicateLoanRule), library.write() as session:
        create_loan_rule(session, LOCAL_ADMIN, LoanRuleInput(media_type="dvd"), now=NOW)
    with pytest.raises(DefaultLoanRuleRequired), library.write() as session:
        delete_loan_rule(session, LOCAL_ADMIN, default, now=NOW)
    with pytest.raises(DefaultLoanRuleRequired), library.write() as session:
        update_loan_rule(session, LOCAL_ADMIN, default, LoanRuleInput(media_type="book"),
                         now=NOW)
    with pytest.raises(UnknownCategory), library.write() as session:
        create_loan_rule(session, LOCAL_ADMIN, LoanRuleInput(category_id=999), now=NOW)
    with library.write() as session:
        delete_loan_rule(session, LOCAL_ADMIN, dvd, now=NOW)
        rules = list_loan_rules(session, LOCAL_ADMIN)
    assert [(r.category_code, r.media_type, r.loan_days) for r in rules] == [
        (None, None, 28), ("CHILD", "dvd", 7)]
    assert rules[1].renew_when_overdue


@pytest.mark.parametrize("data", [
    LoanRuleInput(loan_days=0), LoanRuleInput(loan_days=366), LoanRuleInput(max_loans=-1),
    LoanRuleInput(max_renewals=21), LoanRuleInput(max_holds=51),
    LoanRuleInput(media_type="vinyl"), LoanRuleInput(max_loans=True),
])
def test_bad_rules(data: LoanRuleInput) -> None:
    with pytest.raises(InvalidValue):
        validate_rule(data)

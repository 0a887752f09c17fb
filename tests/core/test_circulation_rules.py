"""The pure lending rules: rule choice with wildcards, refusals, due dates, late days."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from mediatheque.circulation.calendar import Calendar
from mediatheque.circulation.rules import (
    FALLBACK_RULE,
    OVERRIDABLE,
    CopyFacts,
    MemberFacts,
    Refusal,
    RuleView,
    blocking,
    choose_rule,
    due_date,
    hold_refusals,
    late_days,
    loan_refusals,
    renewal_refusals,
    renewed_due_date,
)

TODAY = date(2026, 11, 21)
ADULT, CHILD, STAFF = 1, 2, 3
DEFAULT = RuleView(None, None, loan_days=21)
ADULT_ANY = RuleView(ADULT, None, loan_days=28)
ANY_DVD = RuleView(None, "dvd", loan_days=7)
ADULT_DVD = RuleView(ADULT, "dvd", loan_days=14)
CHILD_BOOK = RuleView(CHILD, "book", loan_days=35)
ALL_RULES = (DEFAULT, ADULT_ANY, ANY_DVD, ADULT_DVD, CHILD_BOOK)


@pytest.mark.parametrize(
    ("category", "media", "expected"),
    [
        (ADULT, "dvd", ADULT_DVD),  # category+media beats everything
        (ADULT, "book", ADULT_ANY),  # category+* beats *+media and default
        (ADULT, "comic", ADULT_ANY),
        (CHILD, "dvd", ANY_DVD),  # *+media beats default
        (CHILD, "book", CHILD_BOOK),
        (CHILD, "comic", DEFAULT),
        (STAFF, "dvd", ANY_DVD),
        (STAFF, "book", DEFAULT),
        (None, "book", DEFAULT),
        (None, "dvd", ANY_DVD),
    ],
)
def test_most_specific_rule_wins(category: int | None, media: str, expected: RuleView) -> None:
    assert choose_rule(ALL_RULES, category, media) == expected


@pytest.mark.parametrize("order", list(itertools.permutations(ALL_RULES)))
def test_rule_choice_does_not_depend_on_order(order: tuple[RuleView, ...]) -> None:
    assert choose_rule(order, ADULT, "dvd") == ADULT_DVD
    assert choose_rule(order, CHILD, "dvd") == ANY_DVD
    assert choose_rule(order, STAFF, "kit") == DEFAULT


def test_every_combination_of_present_rules() -> None:
    """For each subset of the rule kinds, the chosen rule is the most specific present."""
    kinds = [ADULT_DVD, ADULT_ANY, ANY_DVD, DEFAULT]  # in decreasing specificity
    for size in range(len(kinds) + 1):
        for subset in itertools.combinations(kinds, size):
            chosen = choose_rule(subset, ADULT, "dvd")
            assert chosen == (subset[0] if subset else FALLBACK_RULE)


def test_no_rule_at_all_falls_back_to_builtin_default() -> None:
    assert choose_rule((), ADULT, "book") == FALLBACK_RULE
    assert choose_rule((CHILD_BOOK,), ADULT, "book") == FALLBACK_RULE


def member(**changes: object) -> MemberFacts:
    values: dict[str, object] = {"member_id": 7, "membership_expiry": date(2027, 1, 1),
                                     "blocked": False, "open_loans": 0, "overdue_loans": 0,
                                     "active_holds": 0}
    values.update(changes)
    return MemberFacts(**values)  # type: ignore[arg-type]


def copy(**changes: object) -> CopyFacts:
    values: dict[str, object] = {"barcode": "C1", "status": "available"}
    values.update(changes)
    return CopyFacts(**values)  # type: ignore[arg-type]


RULE = RuleView(None, None, loan_days=21, max_loans=3, max_renewals=2, max_holds=2)


def reasons(refusals: list[Refusal]) -> list[str]:
    return [refusal.reason for refusal in refusals]


def test_a_plain_loan_is_allowed() -> None:
    assert loan_refusals(member(), copy(), RULE, TODAY) == []


@pytest.mark.parametrize(
    ("member_changes", "copy_changes", "expected"),
    [
        ({"membership_expiry": date(2026, 11, 20)}, {}, ["membership_expired"]),
        ({"membership_expiry": TODAY}, {}, []),  # valid through its last day
        ({"blocked": True}, {}, ["member_blocked"]),
        ({"open_loans": 3}, {}, ["loan_limit"]),
        ({"open_loans": 2}, {}, []),
        ({"overdue_loans": 1}, {}, ["has_overdue"]),
        ({}, {"status": "reference"}, ["not_for_loan"]),
        ({}, {"status": "repair"}, ["not_for_loan"]),
        ({}, {"status": "lost"}, ["not_for_loan"]),
        ({}, {"status": "withdrawn"}, ["not_for_loan"]),
        ({}, {"on_loan_to": 8, "due_on": TODAY}, ["copy_on_loan"]),
        ({}, {"on_loan_to": 7, "due_on": TODAY}, ["already_borrowed"]),
        ({}, {"ready_hold_for": 8}, ["held_for_other"]),
        ({}, {"ready_hold_for": 7}, []),  # put aside for this very member
        ({}, {"waiting_ahead": (8,), "other_copies_free": 0}, ["held_for_other"]),
        ({}, {"waiting_ahead": (8,), "other_copies_free": 1}, []),
        ({}, {"waiting_ahead": (8, 9), "other_copies_free": 1}, ["held_for_other"]),
        ({"blocked": True, "open_loans": 5}, {"status": "repair"},
         ["member_blocked", "not_for_loan", "loan_limit"]),
    ],
)
def test_loan_refusals(member_changes: dict[str, object], copy_changes: dict[str, object],
                       expected: list[str]) -> None:
    assert reasons(loan_refusals(member(**member_changes), copy(**copy_changes), RULE,
                                 TODAY)) == expected


def test_overdue_blocking_is_configurable() -> None:
    late = member(overdue_loans=2)
    assert reasons(loan_refusals(late, copy(), RULE, TODAY, block_when_overdue=False)) == []
    refusal = loan_refusals(late, copy(), RULE, TODAY)[0]
    assert refusal == Refusal("has_overdue", {"overdue": 2})


def test_refusals_carry_their_data() -> None:
    on_loan = loan_refusals(member(), copy(on_loan_to=9, due_on=date(2026, 12, 1)), RULE, TODAY)
    assert on_loan == [Refusal("copy_on_loan", {"on_loan_to": 9, "due": "2026-12-01"})]
    limit = loan_refusals(member(open_loans=3), copy(), RULE, TODAY)
    assert limit == [Refusal("loan_limit", {"limit": 3})]
    held = loan_refusals(member(), copy(waiting_ahead=(4, 5)), RULE, TODAY)
    assert held == [Refusal("held_for_other", {"held_for": 4})]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, []),
        ({"renewals": 2}, ["renewal_limit"]),
        ({"due_on": TODAY - timedelta(days=1)}, ["overdue_renewal"]),
        ({"due_on": TODAY}, []),
        ({"others_waiting": 1}, ["held_for_other"]),
        ({"renewals": 5, "others_waiting": 2}, ["renewal_limit", "held_for_other"]),
    ],
)
def test_renewal_refusals(kwargs: dict[str, object], expected: list[str]) -> None:
    values: dict[str, object] = {"renewals": 0, "due_on": TODAY + timedelta(days=3), "today": TODAY,
                                     "others_waiting": 0}
    values.update(kwargs)
    assert reasons(renewal_refusals(member(), RULE, **values)) == expected  # type: ignore[arg-type]


def test_a_rule_may_allow_renewing_late() -> None:
    lenient = RuleView(None, None, renew_when_overdue=True, max_renewals=2)
    late = renewal_refusals(member(), lenient, renewals=0, due_on=TODAY - timedelta(days=9),
                            today=TODAY, others_waiting=0)
    assert late == []


def test_renewal_refused_for_expired_member() -> None:
    refusals = renewal_refusals(member(membership_expiry=date(2026, 1, 1)), RULE, renewals=0,
                                due_on=TODAY, today=TODAY, others_waiting=0)
    assert reasons(refusals) == ["membership_expired"]


@pytest.mark.parametrize(
    ("changes", "held", "borrowed", "expected"),
    [
        ({}, False, False, []),
        ({"active_holds": 2}, False, False, ["hold_limit"]),
        ({}, True, False, ["already_held"]),
        ({}, False, True, ["already_borrowed"]),
        ({"blocked": True}, False, False, ["member_blocked"]),
        ({"membership_expiry": date(2020, 1, 1)}, False, False, ["membership_expired"]),
    ],
)
def test_hold_refusals(changes: dict[str, object], held: bool, borrowed: bool,
                       expected: list[str]) -> None:
    refusals = hold_refusals(member(**changes), RULE, TODAY, already_held=held,
                             already_borrowed=borrowed)
    assert reasons(refusals) == expected


def test_override_sets_aside_only_overridable_refusals() -> None:
    soft = [Refusal("loan_limit"), Refusal("has_overdue")]
    assert blocking(soft, override=False) == Refusal("loan_limit")
    assert blocking(soft, override=True) is None
    hard = [Refusal("member_blocked"), Refusal("copy_on_loan")]
    assert blocking(hard, override=True) == Refusal("copy_on_loan")
    assert "copy_on_loan" not in OVERRIDABLE and "already_borrowed" not in OVERRIDABLE
    assert blocking([], override=False) is None


SUNDAYS_CLOSED = Calendar(frozenset({6}))


@pytest.mark.parametrize(
    ("start", "loan_days", "expected"),
    [
        (date(2026, 11, 21), 21, date(2026, 12, 12)),  # Saturday → Saturday, open
        (date(2026, 11, 21), 22, date(2026, 12, 14)),  # lands on Sunday → Monday
        (date(2026, 11, 22), 7, date(2026, 11, 30)),  # Sunday + 7 → Sunday → Monday
        (date(2026, 12, 31), 1, date(2027, 1, 1)),
    ],
)
def test_due_date_moves_to_next_open_day(start: date, loan_days: int, expected: date) -> None:
    assert due_date(start, loan_days, SUNDAYS_CLOSED.next_open_day) == expected


def test_due_date_skips_closures_and_weekdays_together() -> None:
    calendar = Calendar(frozenset({5, 6}), ((date(2026, 12, 14), date(2026, 12, 16)),))
    # 21 days from Sat 21 Nov is Sat 12 Dec: closed weekend, then 14–16 Dec closed → Thu 17.
    assert due_date(TODAY, 21, calendar.next_open_day) == date(2026, 12, 17)


def test_renewal_never_shortens_a_loan() -> None:
    open_all = Calendar().next_open_day
    assert renewed_due_date(TODAY, date(2026, 11, 25), 21, open_all) == date(2026, 12, 12)
    assert renewed_due_date(TODAY, date(2027, 1, 30), 21, open_all) == date(2027, 1, 30)


@pytest.mark.parametrize(
    ("due", "returned", "expected"),
    [
        (date(2026, 11, 21), date(2026, 11, 21), 0),
        (date(2026, 11, 21), date(2026, 11, 10), 0),
        (date(2026, 11, 21), date(2026, 11, 22), 1),
        (date(2026, 11, 21), date(2026, 12, 21), 30),  # calendar days, closed days included
    ],
)
def test_late_days_are_calendar_days(due: date, returned: date, expected: int) -> None:
    assert late_days(due, returned) == expected

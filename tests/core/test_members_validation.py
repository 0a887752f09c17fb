"""Pure member checks: names, e-mail, phone, membership dates."""

from __future__ import annotations

from datetime import date

import pytest

from mediatheque.errors import ExpiryBeforeStart, InvalidEmail, InvalidName, InvalidPhone
from mediatheque.members.validation import (
    MAX_NAME,
    add_months,
    check_dates,
    clean_email,
    clean_name,
    clean_phone,
    phone_key,
    renewed_expiry,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("  Әсем   Құрманғазықызы ", "Әсем Құрманғазықызы"),
    ("ӘҒҚҢӨҰҮҺІ", "ӘҒҚҢӨҰҮҺІ"),  # only Kazakh letters
    ("Élodie", "Élodie"),
    ("E\u0301lodie", "Élodie"),  # combining accent composed
    ("Жанна-Д'Арк", "Жанна-Д'Арк"),
])
def test_names_are_kept_in_their_script(text: str, expected: str) -> None:
    assert clean_name("first_name", text) == expected


def test_a_200_character_name_is_kept_and_201_refused() -> None:
    assert clean_name("last_name", "Ә" * MAX_NAME) == "Ә" * MAX_NAME
    with pytest.raises(InvalidName) as refused:
        clean_name("last_name", "Ә" * (MAX_NAME + 1))
    assert refused.value.problem == "too_long" and refused.value.limit == MAX_NAME


@pytest.mark.parametrize(("text", "problem"), [
    ("", "empty"), ("   ", "empty"), ("1234", "no_letters"), ("--", "no_letters"),
    ("Ann\x00a", "no_letters"),
])
def test_bad_names(text: str, problem: str) -> None:
    with pytest.raises(InvalidName) as refused:
        clean_name("first_name", text)
    assert refused.value.problem == problem and refused.value.code == "invalid_name"


@pytest.mark.parametrize("text", ["aigerim", "a@b", "a b@mail.kz", "a@@mail.kz", "@mail.kz",
                                  "a@mail.", "a@.kz", "a@mail..kz"])
def test_invalid_emails(text: str) -> None:
    with pytest.raises(InvalidEmail):
        clean_email(text)


def test_emails_are_lower_cased_and_empty_is_none() -> None:
    assert clean_email(" Aigerim.S@Mail.KZ ") == "aigerim.s@mail.kz"
    assert clean_email("айгерим@почта.қз") == "айгерим@почта.қз"
    assert clean_email("") is None and clean_email(None) is None


@pytest.mark.parametrize("text", ["12-34", "+7 701 ABC 45 67", "+7 (701) 123 45 67 89 01 23",
                                  "tel 87011234567", "++77011234567"])
def test_invalid_phones(text: str) -> None:
    with pytest.raises(InvalidPhone):
        clean_phone(text)


def test_phones_keep_their_spelling_and_share_a_key() -> None:
    assert clean_phone("  +7  701 123-45-67 ") == "+7 701 123-45-67"
    assert phone_key("+7 701 123 45 67") == phone_key("8 (701) 123-45-67") == "011234567"
    assert clean_phone(None) is None


def test_months_are_added_to_the_last_day_at_most() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 21), 12) == date(2027, 11, 21)
    assert add_months(date(2026, 11, 21), 120) == date(2036, 11, 21)


def test_renewal_runs_from_the_later_of_today_and_expiry() -> None:
    today = date(2026, 11, 21)
    assert renewed_expiry(today, date(2027, 1, 10), 6) == date(2027, 7, 10)  # early
    assert renewed_expiry(today, date(2025, 3, 1), 12) == date(2027, 11, 21)  # lapsed


def test_expiry_before_start_is_refused() -> None:
    check_dates(date(2026, 1, 1), date(2026, 1, 1))
    with pytest.raises(ExpiryBeforeStart) as refused:
        check_dates(date(2026, 1, 2), date(2026, 1, 1))
    assert refused.value.details() == {"start": "2026-01-02", "expiry": "2026-01-01"}

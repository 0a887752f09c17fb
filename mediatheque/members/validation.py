"""Pure checks and clean-ups of what a person types about a member: names (Cyrillic,
Kazakh or Latin), e-mail, phone, membership dates. No database."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

from mediatheque.errors import ExpiryBeforeStart, InvalidEmail, InvalidName, InvalidPhone

MAX_NAME = 200  # the column's size: longer names are refused, never cut
MAX_EMAIL = 320
MIN_PHONE_DIGITS = 5
MAX_PHONE_DIGITS = 15  # E.164
MAX_MONTHS = 120

# Deliberately simple: one @, a dotted domain, no blanks. What mail servers accept is
# wider, but a typo at the desk is what this must catch.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()./-]+$")


def clean_name(field: str, text: str) -> str:
    """The name without surrounding or repeated blanks, in NFC (a Kazakh ә typed as a +
    combining mark becomes one letter). InvalidName when empty, too long, or letterless."""
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not name:
        raise InvalidName(field, text, "empty")
    if len(name) > MAX_NAME:
        raise InvalidName(field, name, "too_long", MAX_NAME)
    if not any(char.isalpha() for char in name):
        raise InvalidName(field, name, "no_letters")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise InvalidName(field, name, "no_letters")
    return name


def clean_email(text: str | None) -> str | None:
    """Lower-cased address, or None when empty; InvalidEmail when it is not one."""
    email = (text or "").strip()
    if not email:
        return None
    if len(email) > MAX_EMAIL or not _EMAIL.match(email) or not email.isprintable():
        raise InvalidEmail(email)
    return email.lower()


def clean_phone(text: str | None) -> str | None:
    """The number as typed without extra blanks (`+7 701 123 45 67`), or None when empty;
    InvalidPhone for letters or a digit count outside 5–15."""
    phone = " ".join((text or "").split())
    if not phone:
        return None
    digits = phone_digits(phone)
    if not _PHONE_CHARS.match(phone) or not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
        raise InvalidPhone(phone)
    return phone


def phone_digits(phone: str) -> str:
    return "".join(char for char in phone if char.isascii() and char.isdigit())


def phone_key(phone: str | None) -> str | None:
    """What two spellings of one number share: its last 9 digits (+7 701 123 45 67 and
    8 701 123 45 67 are the same phone; so are +998 90 123 45 67 and 90 123 45 67)."""
    if not phone:
        return None
    digits = phone_digits(phone)
    return digits[-9:] if digits else None


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day
    (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_expiry(start: date, membership_months: int) -> date:
    return add_months(start, membership_months)


def renewed_expiry(today: date, current_expiry: date, membership_months: int) -> date:
    """A renewal runs from the later of today and the current expiry: renewing early
    loses nothing, renewing late does not count the months without membership."""
    return add_months(max(today, current_expiry), membership_months)


def check_dates(start: date, expiry: date) -> None:
    if expiry < start:
        raise ExpiryBeforeStart(start.isoformat(), expiry.isoformat())

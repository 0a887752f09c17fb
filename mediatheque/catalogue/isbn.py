"""ISBN and EAN-13 handling: what a person types or a scanner sends becomes one canonical
ISBN-13, or a typed error that says what is wrong.

isbnlib does the algebra (check digits, ISBN-10 ↔ 13, hyphenation). We do the checking of
characters ourselves: isbnlib (like `str.isdigit`) would take a fullwidth `１` or an
Arabic-Indic `٣` for a digit, and a scanner on the wrong keyboard layout must be refused,
not silently read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import isbnlib

from mediatheque.errors import InvalidIsbn

ASCII_DIGITS = frozenset("0123456789")
# What people and catalogues put between the groups: spaces, hyphens, dots, and their
# Unicode cousins (no-break space, Unicode hyphens and dashes) — separators, never digits.
SEPARATORS = frozenset(" -.\t\u00a0\u2009\u202f\u2010\u2011\u2012\u2013\u2014\u2212")
BOOKLAND_PREFIXES = ("978", "979")
_PREFIX = re.compile(r"^\s*isbn(?:[-\s]?1[03])?\s*:?\s*", re.IGNORECASE)
# Kept in errors so that a pasted page does not end up whole in a message or a log.
MAX_ECHO = 40


try:
    # The range table isbnlib.mask reads. An Isbn is valid by construction, so it is
    # hyphenated from the table directly, without isbnlib checking the number again: that
    # check was two thirds of the time, and the FM21 export hyphenates every ISBN.
    from isbnlib._data.data4mask import ranges as _RANGES
except ImportError:  # moved by a later isbnlib: isbnlib.mask then does it all
    _RANGES = {}


def _masked(isbn13: str) -> str | None:
    """isbnlib.mask's answer for a valid ISBN-13 (same table, same walk), or None."""
    for end in range(4, 10):  # the registration group: one to six digits
        bands = _RANGES.get(f"{isbn13[:3]}-{isbn13[3:end]}")
        if bands is None:
            continue
        sevens = int(isbn13[end:end + 7].ljust(7, "0"))
        for low, high, length in bands:
            if low <= sevens <= high:
                return (f"{isbn13[:3]}-{isbn13[3:end]}-{isbn13[end:end + length]}-"
                        f"{isbn13[end + length:12]}-{isbn13[12]}")
        return None
    return None


@dataclass(frozen=True)
class Isbn:
    """A valid ISBN, always kept as its ISBN-13 (the database key)."""

    isbn13: str

    def hyphenated(self) -> str:
        """978-2-07-036002-4; the plain number for ranges isbnlib does not know yet
        (its range table dates from 2023: 978-9910… Uzbekistan, 979-0 music)."""
        known = _masked(self.isbn13)
        if known is not None:
            return known
        try:
            return isbnlib.mask(self.isbn13) or self.isbn13
        except isbnlib.ISBNLibException:
            return self.isbn13

    @property
    def isbn10(self) -> str | None:
        """The ISBN-10 of a 978 number; None for 979 numbers, which have none."""
        return isbnlib.to_isbn10(self.isbn13) or None


def _compact(text: str) -> str:
    return "".join(char for char in _PREFIX.sub("", text.strip()) if char not in SEPARATORS)


def _check_digit(body: str) -> str:
    return isbnlib.check_digit10(body) if len(body) == 9 else isbnlib.check_digit13(body)


def parse_isbn(text: str) -> Isbn:
    """Reads an ISBN-10 or ISBN-13 as typed or scanned ('ISBN 978-2-07-036002-4',
    '2 07 036002 4', '207036002x', the EAN-13 of the bar code).

    Raises InvalidIsbn with `problem` "characters" (anything but ASCII digits, or an X that
    is not the last character of an ISBN-10), "length", "prefix" (13 digits not starting
    978/979: a bar code, not a book number) or "checksum" (then `suggestion` is the number
    with the right check digit)."""
    echo = text.strip()[:MAX_ECHO]
    compact = _compact(text)
    if not compact:
        raise InvalidIsbn(echo, "length")
    body, last = compact[:-1], compact[-1]
    if any(char not in ASCII_DIGITS for char in body) or (
        last not in ASCII_DIGITS and not (last in "xX" and len(compact) == 10)
    ):
        raise InvalidIsbn(echo, "characters")
    if len(compact) not in (10, 13):
        raise InvalidIsbn(echo, "length")
    if len(compact) == 13 and not compact.startswith(BOOKLAND_PREFIXES):
        raise InvalidIsbn(echo, "prefix")
    expected = _check_digit(body)
    if last.upper() != expected:
        raise InvalidIsbn(echo, "checksum", suggestion=body + expected)
    return Isbn(compact if len(compact) == 13 else isbnlib.to_isbn13(body + expected))


def looks_like_isbn(text: str) -> bool:
    """True when the text has the shape of an ISBN (10 characters ending in a digit or X,
    or 13 digits starting 978/979), whatever its check digit: for routing a scan or a
    search to ISBN handling, where parse_isbn then explains what is wrong."""
    compact = _compact(text)
    if len(compact) == 10:
        return all(c in ASCII_DIGITS for c in compact[:9]) and compact[9] in "0123456789xX"
    return (
        len(compact) == 13
        and all(c in ASCII_DIGITS for c in compact)
        and compact.startswith(BOOKLAND_PREFIXES)
    )


def _ean_checksum_ok(code: str) -> bool:
    """`code`: 13 ASCII digits. Summed as bytes (each digit's code is 48 + its value): an
    import checks every record's ISBN, and a loop over the digits cost ten times more."""
    digits = code.encode("ascii")
    total = sum(digits[0:12:2]) + 3 * sum(digits[1:12:2]) - 24 * 48
    return (10 - total % 10) % 10 == digits[12] - 48


def is_valid_ean13(code: str) -> bool:
    """Any valid EAN-13 (DVDs, CDs, books), or a 12-digit UPC-A, which is an EAN-13 with a
    leading zero."""
    if len(code) == 12:
        code = "0" + code
    # ASCII first: str.isdigit alone takes '١' or '１' for a digit.
    return len(code) == 13 and code.isascii() and code.isdigit() and _ean_checksum_ok(code)


def is_bookland_ean(code: str) -> bool:
    """A scanned book bar code: 13 digits, 978/979, valid check digit."""
    return len(code) == 13 and code.startswith(BOOKLAND_PREFIXES) and is_valid_ean13(code)

"""ISBN parsing as typed or scanned, and the errors that explain what is wrong."""

from __future__ import annotations

import pytest

from mediatheque.catalogue.isbn import (
    Isbn,
    is_bookland_ean,
    is_valid_ean13,
    looks_like_isbn,
    parse_isbn,
)
from mediatheque.errors import InvalidIsbn


@pytest.mark.parametrize("text", [
    "9782070360024",
    "978-2-07-036002-4",
    "978 2 07 036002 4",
    "ISBN 978-2-07-036002-4",
    "isbn: 2-07-036002-4",
    "ISBN-10 2070360024",
    "  2 07 036002 4\n",
    "978\u20112\u201107\u2011036002\u20114",   # non-breaking hyphens from a web page
])
def test_valid_forms_give_the_isbn13(text: str) -> None:
    assert parse_isbn(text) == Isbn("9782070360024")


def test_isbn10_with_lowercase_x() -> None:
    isbn = parse_isbn("0-8044-2957-x")
    assert isbn.isbn13 == "9780804429573"
    assert isbn.isbn10 == "080442957X"


def test_scanner_ean13_of_a_book() -> None:
    assert parse_isbn("9782360581115").hyphenated() == "978-2-36058-111-5"
    assert is_bookland_ean("9782360581115")


def test_hyphenation_and_isbn10() -> None:
    isbn = parse_isbn("9786017450137")            # Kazakhstan
    assert isbn.hyphenated() == "978-601-7450-13-7"
    assert isbn.isbn10 == "6017450131"


def test_hyphenation_is_isbnlib_s_in_every_range_of_its_table() -> None:
    """Isbn.hyphenated reads isbnlib's range table itself (no second validity check):
    for numbers in every group of the table, at both ends and inside each range, it
    gives exactly what isbnlib.mask gives."""
    import random

    import isbnlib
    from isbnlib._data.data4mask import ranges

    from mediatheque.catalogue.isbn import Isbn

    rng = random.Random(11)
    checked = 0
    for group, bands in ranges.items():
        prefix = group.replace("-", "")
        for low, high, _length in bands:
            for sevens in (low, high, rng.randint(low, high)):
                body = (prefix + f"{sevens:07d}" + "99999")[:12]
                number = body + isbnlib.check_digit13(body)
                assert Isbn(number).hyphenated() == (isbnlib.mask(number) or number), number
                checked += 1
    assert checked > 3000


def test_979_numbers_have_no_isbn10() -> None:
    assert parse_isbn("979-10-90636-07-1").isbn10 is None


def test_unknown_range_falls_back_to_the_plain_number() -> None:
    isbn = parse_isbn("9789910001239")            # 978-9910 (Uzbekistan) is newer than isbnlib
    assert isbn.hyphenated() == "9789910001239"


def test_wrong_check_digit_says_so_and_suggests_the_right_one() -> None:
    with pytest.raises(InvalidIsbn) as caught:
        parse_isbn("978-2-07-036002-5")
    assert caught.value.problem == "checksum"
    assert caught.value.suggestion == "9782070360024"
    assert caught.value.details()["suggestion"] == "9782070360024"


def test_wrong_isbn10_check_digit_suggests_x_when_that_is_right() -> None:
    with pytest.raises(InvalidIsbn) as caught:
        parse_isbn("0804429571")
    assert caught.value.problem == "checksum"
    assert caught.value.suggestion == "080442957X"


@pytest.mark.parametrize(("text", "problem"), [
    ("97820703600", "length"),
    ("97820703600244", "length"),
    ("", "length"),
    ("   ", "length"),
    ("ISBN", "length"),
    ("20703X0024", "characters"),                  # X in the middle
    ("978207036002X", "characters"),              # X on an ISBN-13
    ("978２07036002４", "characters"),            # fullwidth digits
    ("٩٧٨٢٠٧٠٣٦٠٠٢٤", "characters"),           # Arabic-Indic digits
    ("۹۷۸۲۰۷۰۳۶۰۰۲۴", "characters"),           # Extended Arabic-Indic digits
    ("978-2-07-O36002-4", "characters"),          # letter O for zero
    ("әіңғүұқөһ-0360024", "characters"),          # a scanner on the Kazakh layout
    ("à&é\"'(-è_çà", "characters"),               # a scanner on AZERTY
    ("5901234123457", "prefix"),                  # a valid EAN-13 that is not a book
])
def test_invalid_input_is_refused_with_the_reason(text: str, problem: str) -> None:
    with pytest.raises(InvalidIsbn) as caught:
        parse_isbn(text)
    assert caught.value.problem == problem
    assert caught.value.suggestion is None


def test_very_long_input_is_refused_and_not_echoed_whole() -> None:
    text = "9" * 100_000
    with pytest.raises(InvalidIsbn) as caught:
        parse_isbn(text)
    assert caught.value.problem == "length"
    assert len(caught.value.text) <= 40


@pytest.mark.parametrize(("text", "expected"), [
    ("9782070360025", True),     # wrong check digit, still the shape of an ISBN
    ("2-07-036002-X", True),
    ("5901234123457", False),
    ("12345", False),
    ("978２07036002４", False),
    ("", False),
])
def test_looks_like_isbn(text: str, expected: bool) -> None:
    assert looks_like_isbn(text) is expected


@pytest.mark.parametrize(("code", "ean", "bookland"), [
    ("9782070360024", True, True),
    ("9782070360025", False, False),
    ("5901234123457", True, False),         # EAN-13 of a product
    ("036000291452", True, False),          # UPC-A, 12 digits
    ("036000291453", False, False),
    ("978207036003", False, False),
    ("97820703600２4", False, False),
    ("978207036002٤", False, False),       # an Arabic-Indic 4 is no digit of an EAN
    ("0000000000000", True, False),
    ("9999999999994", True, False),
    ("9999999999995", False, False),
])
def test_ean_checks(code: str, ean: bool, bookland: bool) -> None:
    assert is_valid_ean13(code) is ean
    assert is_bookland_ean(code) is bookland

"""Generated barcodes (DESIGN.md §4)."""

from __future__ import annotations

import pytest

from mediatheque.barcodes import (
    BarcodeKind,
    allocate_barcodes,
    luhn_check_digit,
    make_barcode,
    parse_generated,
)
from mediatheque.db import Database


def test_luhn_known_value() -> None:
    assert luhn_check_digit("7992739871") == "3"


def test_generated_barcodes_have_prefix_kind_number_and_check() -> None:
    code = make_barcode("100", BarcodeKind.COPY, 42)
    assert len(code) == 12 and code.isdigit()
    assert code.startswith("1002000004")
    assert parse_generated(code) == ("100", BarcodeKind.COPY, 42)


def test_every_single_digit_error_is_caught() -> None:
    code = make_barcode("314", BarcodeKind.MEMBER, 1234567)
    for position in range(len(code)):
        for digit in "0123456789":
            if digit != code[position]:
                typo = code[:position] + digit + code[position + 1:]
                assert parse_generated(typo) is None


@pytest.mark.parametrize(
    "code", ["", "abc", "9782070368228", "10020000004", "１００２０００００４２１"]
)
def test_other_codes_are_not_taken_for_generated_ones(code: str) -> None:
    assert parse_generated(code) is None


def test_allocation_continues_the_sequence_per_kind(database: Database) -> None:
    with database.write() as session:
        first = allocate_barcodes(session, "100", BarcodeKind.COPY, 3)
        member = allocate_barcodes(session, "100", BarcodeKind.MEMBER, 1)
    with database.write() as session:
        more = allocate_barcodes(session, "100", BarcodeKind.COPY, 2)
    numbers = [parse_generated(code)[2] for code in first + more]  # type: ignore[index]
    assert numbers == [1, 2, 3, 4, 5]
    assert parse_generated(member[0]) == ("100", BarcodeKind.MEMBER, 1)

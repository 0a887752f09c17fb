"""Generated member-card and copy barcodes (DESIGN.md §4).

Digits only, so that they survive most keyboard layouts: a 3-digit library prefix, a type
digit (1 member card, 2 copy), a 7-digit sequence number and a Luhn check digit — 12 digits,
a length no ISBN or EAN-13 has, so a scan can never be mistaken for one. Barcodes from a
previous system are accepted as they are; only generated ones carry this structure.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mediatheque.models import Counter

GENERATED_LENGTH = 12
SEQUENCE_DIGITS = 7


class BarcodeKind(StrEnum):
    MEMBER = "1"
    COPY = "2"


def luhn_check_digit(digits: str) -> str:
    """The Luhn digit that makes `digits + check` valid (catches any single-digit error
    and most swaps of two neighbours)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def make_barcode(prefix: str, kind: BarcodeKind, number: int) -> str:
    if not (0 < number < 10**SEQUENCE_DIGITS):
        raise ValueError(f"sequence number out of range: {number}")
    body = f"{prefix}{kind.value}{number:0{SEQUENCE_DIGITS}d}"
    return body + luhn_check_digit(body)


def parse_generated(code: str) -> tuple[str, BarcodeKind, int] | None:
    """(prefix, kind, number) of a well-formed generated barcode, else None."""
    if len(code) != GENERATED_LENGTH or not code.isascii() or not code.isdigit():
        return None
    if luhn_check_digit(code[:-1]) != code[-1]:
        return None
    try:
        kind = BarcodeKind(code[3])
    except ValueError:
        return None
    return code[:3], kind, int(code[4:-1])


def allocate_barcodes(session: Session, prefix: str, kind: BarcodeKind, count: int) -> list[str]:
    """Hands out `count` new barcodes of a kind, atomically (safe between desks)."""
    name = f"barcode.{kind.name.lower()}"
    last = session.execute(
        update(Counter).where(Counter.name == name).values(value=Counter.value + count)
        .returning(Counter.value)
    ).scalar()
    if last is None:
        session.add(Counter(name=name, value=count))
        session.flush()
        last = count
    first = last - count + 1
    return [make_barcode(prefix, kind, number) for number in range(first, last + 1)]


def last_allocated(session: Session, kind: BarcodeKind) -> int:
    name = f"barcode.{kind.name.lower()}"
    value = session.scalar(select(Counter.value).where(Counter.name == name))
    return value or 0

"""Turning the keys of a scan burst into the code the scanner read, and checking it.

Candidates are tried in order — the physical keys (scan codes), the characters as typed,
then the typed characters read back through the French, Russian and Kazakh reverse tables —
and the first one whose check digit is right wins; failing that, the first one that looks
like a barcode at all (digits, letters, - . / space + $ %: codes from a previous system carry
no check digit we know). When no candidate looks like a barcode, the result says plainly that
the scanner and the keyboard layout disagree (`ReadStatus.LAYOUT_MISMATCH`).
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from mediatheque.barcodes import GENERATED_LENGTH, parse_generated
from mediatheque.catalogue.isbn import (
    is_bookland_ean,
    is_valid_ean13,
    looks_like_isbn,
    parse_isbn,
)
from mediatheque.errors import InvalidIsbn
from mediatheque.scanning.keymaps import LAYOUTS, Keymap, char_at, from_layout

# What a barcode on a book or a card holds (Code 39's alphabet, a subset of Code 128's).
BARCODE_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-./ +$%")


class Check(StrEnum):
    VALID = "valid"  # a check digit we know, and it is right
    UNCHECKED = "unchecked"  # looks like a barcode; no check digit we know
    WRONG = "wrong"  # has the shape of a checked code (ISBN, generated) but the digit is wrong
    GARBAGE = "garbage"  # characters no barcode holds


class ReadStatus(StrEnum):
    OK = "ok"  # check digit verified
    UNCHECKED = "unchecked"  # accepted as it is (a barcode from a previous system)
    CHECKSUM_ERROR = "checksum_error"  # read, but the check digit is wrong: a misread
    LAYOUT_MISMATCH = "layout_mismatch"  # garbage: the keyboard layout and scanner disagree


class Source(StrEnum):
    SCAN_CODES = "scan_codes"
    TYPED = "typed"
    FRENCH = "fr"
    RUSSIAN = "ru"
    KAZAKH = "kk"


@dataclass(frozen=True)
class ScanKey:
    """One character key of a burst: what was typed, and where (0 = position unknown)."""

    text: str
    scan_code: int = 0
    shift: bool = False


@dataclass(frozen=True)
class ReadResult:
    code: str  # what to use ("" when nothing usable was read)
    status: ReadStatus
    source: Source | None  # which reading gave `code`
    typed: str  # the characters as the layout typed them (for the message)

    @property
    def usable(self) -> bool:
        return self.status in (ReadStatus.OK, ReadStatus.UNCHECKED)


def check_code(code: str) -> Check:
    """How far a code read from a scanner can be trusted."""
    if not code or any(char not in BARCODE_CHARACTERS for char in code):
        return Check.GARBAGE
    if code.isdigit():
        if len(code) == GENERATED_LENGTH and parse_generated(code) is not None:
            return Check.VALID
        if len(code) == 13 and code.startswith(("978", "979")):
            return Check.VALID if is_bookland_ean(code) else Check.WRONG
        if len(code) == 13 and is_valid_ean13(code):
            return Check.VALID
    if len(code) == 10 and looks_like_isbn(code):
        try:
            parse_isbn(code)
        except InvalidIsbn:
            return Check.UNCHECKED  # ten digits: just as likely an old library's number
        return Check.VALID
    return Check.UNCHECKED


def rebuild_from_scan_codes(keys: Sequence[ScanKey], keymap: Keymap | None) -> str | None:
    """The US characters at the physical keys; None when a key's position is unknown."""
    if keymap is None or not keys:
        return None
    chars = []
    for key in keys:
        char = char_at(keymap, key.scan_code, key.shift) if key.scan_code else None
        if char is None:
            return None
        chars.append(char)
    return "".join(chars)


def candidates(
    keys: Sequence[ScanKey], keymap: Keymap | None, layout_hint: str | None = None,
) -> list[tuple[Source, str]]:
    """Every reading of the burst, most trusted first, without repeats. `layout_hint` (fr,
    ru, kk), when the active keyboard layout is known, puts its reverse table before the
    characters as typed: on AZERTY, "QB" typed by a US scanner is "AB"."""
    typed = "".join(key.text for key in keys)
    found: list[tuple[Source, str]] = []
    physical = rebuild_from_scan_codes(keys, keymap)
    if physical is not None:
        found.append((Source.SCAN_CODES, physical))
    layouts = sorted(LAYOUTS, key=lambda layout: layout.code != layout_hint)
    if layout_hint in {layout.code for layout in LAYOUTS}:
        hinted = from_layout(layouts[0], typed)
        if hinted is not None:
            found.append((Source(layouts[0].code), hinted))
    found.append((Source.TYPED, typed))
    for layout in layouts:
        back = from_layout(layout, typed)
        if back is not None:
            found.append((Source(layout.code), back))
    unique: list[tuple[Source, str]] = []
    seen: set[str] = set()
    for source, text in found:
        if text not in seen:
            seen.add(text)
            unique.append((source, text))
    return unique


def read_keys(
    keys: Sequence[ScanKey], keymap: Keymap | None = None, layout_hint: str | None = None,
) -> ReadResult:
    """The code a burst of keys carries (see the module's docstring for the order)."""
    typed = "".join(key.text for key in keys)
    checked = [
        (source, text, check_code(text))
        for source, text in candidates(keys, keymap, layout_hint)
    ]
    for wanted, status in ((Check.VALID, ReadStatus.OK), (Check.UNCHECKED, ReadStatus.UNCHECKED)):
        for source, text, check in checked:
            if check is wanted:
                return ReadResult(text, status, source, typed)
    for source, text, check in checked:
        if check is Check.WRONG:
            return ReadResult(text, ReadStatus.CHECKSUM_ERROR, source, typed)
    return ReadResult("", ReadStatus.LAYOUT_MISMATCH, None, typed)


def read_text(text: str, layout_hint: str | None = None) -> ReadResult:
    """A code typed by hand or pasted (no key positions): the same reading and checks."""
    return read_keys([ScanKey(char) for char in text.strip()], None, layout_hint)

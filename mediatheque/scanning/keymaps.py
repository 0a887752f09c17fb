"""Where each key is, and what each keyboard layout types there (DESIGN.md §5).

A USB scanner in keyboard-wedge mode sends key *positions* as if it were a US keyboard; the
operating system turns them into characters with whatever layout is active. Two ways back to
what the scanner meant:

- from the physical key (`nativeScanCode`, the same whatever the layout): X11 keycodes
  (evdev code + 8: the digit row is 10–19) or Windows set-1 scan codes (the digit row is
  0x02–0x0B), plus Shift, give the US character — `char_at(keymap, scan_code, shift)`;
- when no scan code is known (macOS, synthesised events), from the characters a layout
  typed: the reverse tables of French AZERTY, Russian ЙЦУКЕН and Kazakh (Windows KBDKAZ,
  the same as X11 `kz`) give back the US character on the same key — `LAYOUTS`.

Every table is written as strings aligned on `US_KEYS`/`US_SHIFTED`: the n-th character of a
layout's string is what that layout types on the key where US has the n-th character. A dead
key or a key that types nothing is written as `DEAD` ("\\0") and never matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DEAD = "\0"

# The keys of the main block, in a fixed order: tilde key, digit row, the three letter
# rows with their punctuation, and the space bar.
US_KEYS = "`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./ "
US_SHIFTED = '~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:"ZXCVBNM<>? '

# X11 keycodes (= Linux evdev code + 8) of the same keys, in the same order.
_X11_CODES = (
    49, *range(10, 22), *range(24, 36), 51, *range(38, 49), *range(52, 62), 65
)
# Windows PC/AT set-1 scan codes of the same keys, in the same order.
_WINDOWS_CODES = (
    0x29, *range(0x02, 0x0E), *range(0x10, 0x1C), 0x2B, *range(0x1E, 0x29),
    *range(0x2C, 0x36), 0x39,
)
# The numeric keypad types the same with or without Shift (scanners set to "numpad" mode).
_X11_KEYPAD = {
    79: "7", 80: "8", 81: "9", 82: "-", 83: "4", 84: "5", 85: "6", 86: "+",
    87: "1", 88: "2", 89: "3", 90: "0", 91: ".", 106: "/", 63: "*",
}
# Windows gives extended keys (keypad /) with 0x100 added (Qt keeps the E0 prefix bit).
_WINDOWS_KEYPAD = {
    0x47: "7", 0x48: "8", 0x49: "9", 0x4A: "-", 0x4B: "4", 0x4C: "5", 0x4D: "6", 0x4E: "+",
    0x4F: "1", 0x50: "2", 0x51: "3", 0x52: "0", 0x53: ".", 0x135: "/", 0x37: "*",
}
X11_TERMINATORS = frozenset({36, 104, 23})  # Return, keypad Enter, Tab
WINDOWS_TERMINATORS = frozenset({0x1C, 0x11C, 0x0F})


class Keymap(StrEnum):
    """Which family of native scan codes the platform reports."""

    X11 = "x11"  # xcb and wayland: X keycodes
    WINDOWS = "windows"  # set-1 scan codes


@dataclass(frozen=True)
class _Positions:
    plain: dict[int, str]
    shifted: dict[int, str]
    keypad: dict[int, str]


_POSITIONS = {
    Keymap.X11: _Positions(
        dict(zip(_X11_CODES, US_KEYS, strict=True)),
        dict(zip(_X11_CODES, US_SHIFTED, strict=True)),
        _X11_KEYPAD,
    ),
    Keymap.WINDOWS: _Positions(
        dict(zip(_WINDOWS_CODES, US_KEYS, strict=True)),
        dict(zip(_WINDOWS_CODES, US_SHIFTED, strict=True)),
        _WINDOWS_KEYPAD,
    ),
}


def char_at(keymap: Keymap, scan_code: int, shift: bool) -> str | None:
    """The character a US keyboard types at this physical key; None for a key that is not
    in the main block or the keypad (or for scan code 0: unknown)."""
    positions = _POSITIONS[keymap]
    if scan_code in positions.keypad:
        return positions.keypad[scan_code]
    table = positions.shifted if shift else positions.plain
    return table.get(scan_code)


def scan_code_of(keymap: Keymap, char: str) -> tuple[int, bool]:
    """The physical key (scan code, Shift) where a US keyboard types `char` — the inverse of
    char_at, for synthesising what a scanner sends (tests, tools)."""
    codes = _X11_CODES if keymap is Keymap.X11 else _WINDOWS_CODES
    if char in US_KEYS:
        return codes[US_KEYS.index(char)], False
    if char in US_SHIFTED:
        return codes[US_SHIFTED.index(char)], True
    raise ValueError(f"no key types {char!r} on a US keyboard")


def is_terminator_code(keymap: Keymap, scan_code: int) -> bool:
    terminators = X11_TERMINATORS if keymap is Keymap.X11 else WINDOWS_TERMINATORS
    return scan_code in terminators


@dataclass(frozen=True)
class Layout:
    """What a keyboard layout types on each key of US_KEYS, without and with Shift."""

    code: str  # "fr", "ru", "kk"
    name: str  # in English, for logs and tests
    plain: str
    shifted: str

    def typed(self, us_char: str) -> str | None:
        """What this layout types where a US keyboard types `us_char` (None: dead key)."""
        if us_char in US_KEYS:
            typed = self.plain[US_KEYS.index(us_char)]
        elif us_char in US_SHIFTED:
            typed = self.shifted[US_SHIFTED.index(us_char)]
        else:
            return None
        return None if typed == DEAD else typed

    def reverse(self) -> dict[str, str]:
        """Character typed with this layout → the US character on the same key (and level)."""
        table: dict[str, str] = {}
        for typed, us in zip(self.plain + self.shifted, US_KEYS + US_SHIFTED, strict=True):
            if typed != DEAD:
                table.setdefault(typed, us)
        return table


# French AZERTY (Windows KBDFR, X11 fr): digits need Shift; A↔Q, Z↔W, M on the ; key;
# ^ and ¨ are dead keys; the ² key types nothing with Shift.
FRENCH = Layout(
    "fr", "French AZERTY",
    "²&é\"'(-è_çà)=azertyuiop" + DEAD + "$*qsdfghjklmùwxcvbn,;:! ",
    DEAD + "1234567890°+AZERTYUIOP" + DEAD + "£µQSDFGHJKLM%WXCVBN?./§ ",
)
# Russian ЙЦУКЕН (Windows KBDRU, X11 ru): digits unshifted as on US; Shift+digits differ.
RUSSIAN = Layout(
    "ru", "Russian",
    "ё1234567890-=йцукенгшщзхъ\\фывапролджэячсмитьбю. ",
    "Ё!\"№;%:?*()_+ЙЦУКЕНГШЩЗХЪ/ФЫВАПРОЛДЖЭЯЧСМИТЬБЮ, ",
)
# Kazakh (Windows KBDKAZ, X11 kz "basic", RST KazSSR 903-90): the digit row types
# " ә і ң ғ , . ү ұ қ ө һ (Shift: ! Ә І Ң Ғ ; : Ү Ұ Қ Ө Һ); digits only on the keypad.
KAZAKH = Layout(
    "kk", "Kazakh",
    "(\"әіңғ,.үұқөһйцукенгшщзхъ\\фывапролджэячсмитьбю№ ",
    ")!ӘІҢҒ;:ҮҰҚӨҺЙЦУКЕНГШЩЗХЪ/ФЫВАПРОЛДЖЭЯЧСМИТЬБЮ? ",
)
LAYOUTS: tuple[Layout, ...] = (FRENCH, RUSSIAN, KAZAKH)
_REVERSE = {layout.code: layout.reverse() for layout in LAYOUTS}


def from_layout(layout: Layout, text: str) -> str | None:
    """`text` as typed with `layout` turned back into what a US keyboard types on the same
    keys; None when a character is not one this layout types."""
    table = _REVERSE[layout.code]
    out = []
    for char in text:
        us = table.get(char)
        if us is None:
            return None
        out.append(us)
    return "".join(out)

"""Telling a scanner's burst of keys from a person typing: a pure state machine.

Fed every key event with its timestamp (milliseconds, any origin), the detector answers what
to do with the keys it has seen:

- a character key may be the start of a scan, so it is *held* (kept back from the widget);
- when keys stop coming faster than `max_gap_ms`, or a key no scanner sends arrives (Ctrl/Alt
  combinations, function keys, arrows, dead keys, auto-repeat), the held keys are *given
  back* in their order, followed by the new key: a person typing, even a French accent
  typed with a dead key, sees every key arrive, at most `max_gap_ms` late;
- when at least `min_length` characters came each under `max_gap_ms` apart and then Enter or
  Tab (or `silence_ms` of silence for scanners without a suffix), the keys are a *scan*: they
  are swallowed and returned as a Burst, with their positions for reading them back.

Modifier keys (Shift) and key releases travel with the held keys, keeping their order, but
neither start nor end a burst. The caller calls `tick(now_ms)` from a timer, in the same time
base as the keys' timestamps, so that a burst ending in silence is decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from mediatheque.scanning.reading import ScanKey

MAX_GAP_MS = 40.0
SILENCE_MS = 100.0
MIN_LENGTH = 4


class KeyKind(StrEnum):
    CHARACTER = "character"  # a printable character with at most Shift: may belong to a scan
    TERMINATOR = "terminator"  # Enter, Return, keypad Enter or Tab with no modifier
    MODIFIER = "modifier"  # Shift, Ctrl… pressed alone: travels with the held keys
    OTHER = "other"  # anything no scanner types: ends a burst, given back at once


@dataclass(frozen=True)
class KeyInput:
    """One key event as the detector sees it. `token` is the caller's own copy of the event
    (given back untouched for replay); `release` marks a key release."""

    at_ms: float
    kind: KeyKind
    text: str = ""
    scan_code: int = 0
    shift: bool = False
    release: bool = False
    token: object = field(default=None, compare=False)


@dataclass(frozen=True)
class Burst:
    """A detected scan: its character keys (in order) and how it ended."""

    keys: tuple[KeyInput, ...]
    terminator: KeyInput | None  # None: ended by silence
    started_ms: float
    ended_ms: float

    def scan_keys(self) -> list[ScanKey]:
        return [ScanKey(key.text, key.scan_code, key.shift) for key in self.keys]


@dataclass(frozen=True)
class Verdict:
    """What to do now: `give_back` these events to the application, in order (the new key is
    among them when it is not held), and/or handle `scans` (in order). Keys in neither are
    held (or, for a scan, swallowed)."""

    give_back: tuple[KeyInput, ...] = ()
    scans: tuple[Burst, ...] = ()

    def __add__(self, other: Verdict) -> Verdict:
        return Verdict(self.give_back + other.give_back, self.scans + other.scans)


NOTHING = Verdict()


class BurstDetector:
    def __init__(
        self, *, max_gap_ms: float = MAX_GAP_MS, silence_ms: float = SILENCE_MS,
        min_length: int = MIN_LENGTH,
    ) -> None:
        if not 0 < max_gap_ms <= silence_ms:
            raise ValueError("max_gap_ms must be positive and at most silence_ms")
        if min_length < 1:
            raise ValueError("min_length must be at least 1")
        self.max_gap_ms = max_gap_ms
        self.silence_ms = silence_ms
        self.min_length = min_length
        self._held: list[KeyInput] = []  # every held event, in order
        self._chars: list[KeyInput] = []  # the character presses among them
        self._last_ms: float | None = None  # when the last character press came

    @property
    def holding(self) -> bool:
        return bool(self._held)

    @property
    def held_characters(self) -> int:
        return len(self._chars)

    def deadline_ms(self) -> float | None:
        """When tick() next has something to decide (None: nothing held)."""
        if self._last_ms is None:
            return None
        wait = self.silence_ms if len(self._chars) >= self.min_length else self.max_gap_ms
        return self._last_ms + wait

    def feed(self, key: KeyInput) -> Verdict:
        if key.release or key.kind is KeyKind.MODIFIER:
            if self._held:
                self._held.append(key)
                return NOTHING
            return Verdict(give_back=(key,))
        verdict = NOTHING
        if self._last_ms is not None and key.at_ms - self._last_ms > self.max_gap_ms:
            verdict = self._finish(key.at_ms - self._last_ms)
        if key.kind is KeyKind.CHARACTER:
            self._held.append(key)
            self._chars.append(key)
            self._last_ms = key.at_ms
            return verdict
        if key.kind is KeyKind.TERMINATOR and len(self._chars) >= self.min_length:
            return verdict + self._scan(key, key.at_ms)
        return verdict + self._give_back(key)

    def tick(self, now_ms: float) -> Verdict:
        """Decides a burst that ended in silence."""
        if self._last_ms is None:
            return self._give_back() if self._held else NOTHING
        silence = now_ms - self._last_ms
        if silence <= self.max_gap_ms:
            return NOTHING
        if len(self._chars) >= self.min_length and silence < self.silence_ms:
            return NOTHING
        return self._finish(silence)

    def flush(self) -> Verdict:
        """Gives back whatever is held (the window lost focus, the capture is removed)."""
        return self._give_back()

    # inside

    def _finish(self, silence: float) -> Verdict:
        if len(self._chars) >= self.min_length and silence >= self.silence_ms:
            return self._scan(None, self._last_ms or 0.0)
        return self._give_back()

    def _scan(self, terminator: KeyInput | None, ended: float) -> Verdict:
        burst = Burst(tuple(self._chars), terminator, self._chars[0].at_ms, ended)
        # Modifiers and releases held with the scan are swallowed with it: only presses
        # typed after it are the person's.
        self._reset()
        return Verdict(scans=(burst,))

    def _give_back(self, key: KeyInput | None = None) -> Verdict:
        events = tuple(self._held) + ((key,) if key is not None else ())
        self._reset()
        return Verdict(give_back=events)

    def _reset(self) -> None:
        self._held = []
        self._chars = []
        self._last_ms = None

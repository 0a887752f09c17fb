"""Keeping scans in order while they wait, and noticing a copy scanned twice.

`ScanQueue` holds scans that arrived while the previous one was still being processed: one
is processed at a time, in arrival order, none is dropped. `RepeatGuard` says when the same
code comes again within a short window (a book passed twice under the scanner).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

REPEAT_WINDOW_MS = 2000.0


@dataclass(frozen=True)
class QueuedScan:
    number: int  # 1, 2, 3… in arrival order
    code: str
    at_ms: float


class ScanQueue:
    def __init__(self) -> None:
        self._waiting: deque[QueuedScan] = deque()
        self._current: QueuedScan | None = None
        self._numbers = itertools.count(1)

    def put(self, code: str, at_ms: float = 0.0) -> QueuedScan:
        scan = QueuedScan(next(self._numbers), code, at_ms)
        self._waiting.append(scan)
        return scan

    @property
    def current(self) -> QueuedScan | None:
        """The scan being processed."""
        return self._current

    @property
    def busy(self) -> bool:
        return self._current is not None

    def take(self) -> QueuedScan | None:
        """The next scan to process, when none is being processed and one waits."""
        if self._current is not None or not self._waiting:
            return None
        self._current = self._waiting.popleft()
        return self._current

    def done(self) -> None:
        """The current scan is processed (successfully or not)."""
        if self._current is None:
            raise RuntimeError("no scan is being processed")
        self._current = None

    def waiting(self) -> tuple[QueuedScan, ...]:
        return tuple(self._waiting)

    def __len__(self) -> int:
        return len(self._waiting) + (1 if self._current is not None else 0)

    def __iter__(self) -> Iterator[QueuedScan]:
        if self._current is not None:
            yield self._current
        yield from self._waiting

    def clear_waiting(self) -> list[QueuedScan]:
        dropped = list(self._waiting)
        self._waiting.clear()
        return dropped


class RepeatGuard:
    """`seen(code, at_ms)` is True when the same code was last seen less than `window_ms`
    before (the repeat is then not counted as a new sighting: three quick passes are one)."""

    def __init__(self, window_ms: float = REPEAT_WINDOW_MS) -> None:
        self.window_ms = window_ms
        self._last: dict[str, float] = {}

    def seen(self, code: str, at_ms: float) -> bool:
        last = self._last.get(code)
        if last is not None and 0 <= at_ms - last < self.window_ms:
            return True
        self._last[code] = at_ms
        if len(self._last) > 64:
            cutoff = at_ms - self.window_ms
            self._last = {c: t for c, t in self._last.items() if t >= cutoff}
        return False

    def forget(self, code: str | None = None) -> None:
        if code is None:
            self._last.clear()
        else:
            self._last.pop(code, None)

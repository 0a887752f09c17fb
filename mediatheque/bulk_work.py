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
are process-wide: nested or concurrent jobs share one raised setting (ProcessSetting).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from mediatheque.process_setting import ProcessSetting

BULK_THRESHOLD = 1_000_000

_THRESHOLDS = ProcessSetting(
    gc.get_threshold, lambda thresholds: gc.set_threshold(*thresholds),
    lambda found: (max(BULK_THRESHOLD, found[0]), *found[1:]))


@contextmanager
def bulk_work() -> Iterator[None]:
    """Usable as `with bulk_work():` or as the decorator `@bulk_work()`."""
    with _THRESHOLDS.held():
        yield


def bulk_process() -> None:
    """For a worker process that does nothing but bulk jobs (mediatheque.parallel): as if
    inside bulk_work() for the rest of its life. Leaving bulk_work() after each job would
    lower the thresholds while the job's results are still alive, and the collector would
    walk them all as they are sent back (1.5 s of a 200,000-record import's worker)."""
    _THRESHOLDS.hold_for_good()

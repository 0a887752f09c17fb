"""A process-wide setting changed for as long as some job needs it (bulk_work's garbage
collection thresholds, the thread switch interval of parallel.ordered_map): nested or
concurrent jobs share one changed value, and the last one out restores the value the first
one in found."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

Value = TypeVar("Value")


class ProcessSetting(Generic[Value]):
    def __init__(self, read: Callable[[], Value], write: Callable[[Value], None],
                 changed: Callable[[Value], Value]) -> None:
        """`changed(found)`: the value to use while held, from the value found."""
        self._read, self._write, self._changed = read, write, changed
        self._lock = threading.Lock()
        self._holders = 0
        self._saved: Value | None = None

    def _enter(self) -> None:
        with self._lock:
            if self._holders == 0:
                self._saved = found = self._read()
                self._write(self._changed(found))
            self._holders += 1

    def _leave(self) -> None:
        with self._lock:
            self._holders -= 1
            if self._holders == 0 and self._saved is not None:
                self._write(self._saved)

    def hold_for_good(self) -> None:
        """Held from now on, for the rest of the process."""
        self._enter()

    @contextmanager
    def held(self) -> Iterator[None]:
        self._enter()
        try:
            yield
        finally:
            self._leave()

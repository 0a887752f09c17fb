"""The one way the window runs slow work: off the GUI thread, results back on it.

    runner.submit(backup_database, db, directory=folder, now=now,
                  on_done=self._backed_up, on_failed=self._failed)

`work` is a plain callable of the core, given plain values (never ORM objects: they do not
cross threads). It runs on a QThreadPool; `on_done(result)` or `on_failed(error)` is then
called on the GUI thread, through a queued signal. When `on_progress` is given, the work is
called with the core's `progress=` and `cancelled=` keyword arguments (DESIGN.md §2) and
`on_progress(done, total)` arrives on the GUI thread too; `Task.cancel()` makes `cancelled()`
true.

`Runner(synchronous=True)` runs everything at once in the caller's thread, for tests.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Progress = Callable[[int, int], None]


@dataclass
class Task:
    """A handle on submitted work."""

    id: int
    _cancelled: threading.Event = field(default_factory=threading.Event, repr=False)

    def cancel(self) -> None:
        self._cancelled.set()

    def cancelled(self) -> bool:
        return self._cancelled.is_set()


@dataclass
class _Pending:
    task: Task
    on_done: Done | None
    on_failed: Failed | None
    on_progress: Progress | None
    runnable: QRunnable | None = None


class _Relay(QObject):
    """Carries results from worker threads; it lives on the GUI thread."""

    finished = Signal(int, bool, object)
    progressed = Signal(int, int, int)


class _Job(QRunnable):
    def __init__(self, relay: _Relay, task: Task, call: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps it until its result is delivered
        self._relay = relay
        self._task = task
        self._call = call

    def run(self) -> None:
        try:
            result = self._call()
        except BaseException as error:  # delivered to on_failed, never lost in the thread
            self._relay.finished.emit(self._task.id, False, error)
        else:
            self._relay.finished.emit(self._task.id, True, result)


class Runner(QObject):
    """Runs work on a private thread pool (one thread by default: database work is done one
    job at a time) and delivers outcomes on the GUI thread."""

    busy_changed = Signal(bool)
    unhandled_failure = Signal(object)

    def __init__(
        self, parent: QObject | None = None, *, synchronous: bool = False, max_threads: int = 1
    ) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._relay.progressed.connect(self._report, Qt.ConnectionType.QueuedConnection)
        self._pending: dict[int, _Pending] = {}
        self._ids = itertools.count(1)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def submit(
        self,
        work: Callable[..., Any],
        *args: Any,
        on_done: Done | None = None,
        on_failed: Failed | None = None,
        on_progress: Progress | None = None,
        **kwargs: Any,
    ) -> Task:
        task = Task(next(self._ids))
        pending = _Pending(task, on_done, on_failed, on_progress)
        if on_progress is not None:
            kwargs["progress"] = self._progress_callback(task)
            kwargs["cancelled"] = task.cancelled

        def call() -> Any:
            return work(*args, **kwargs)

        was_busy = self.busy
        self._pending[task.id] = pending
        if not was_busy:
            self.busy_changed.emit(True)
        if self.synchronous:
            try:
                result = call()
            except Exception as error:
                self._deliver(task.id, False, error)
            else:
                self._deliver(task.id, True, result)
        else:
            pending.runnable = _Job(self._relay, task, call)
            self._pool.start(pending.runnable)
        return task

    def wait(self, timeout_ms: int = -1) -> bool:
        """Blocks until the pool is idle (results are still delivered by the event loop)."""
        return self._pool.waitForDone(timeout_ms)

    def _progress_callback(self, task: Task) -> Progress:
        def progress(done: int, total: int, *_label: Any) -> None:
            if self.synchronous:
                self._report(task.id, done, total)
            else:
                self._relay.progressed.emit(task.id, done, total)

        return progress

    @Slot(int, int, int)
    def _report(self, task_id: int, done: int, total: int) -> None:
        pending = self._pending.get(task_id)
        if pending is not None and pending.on_progress is not None:
            pending.on_progress(done, total)

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, ok: bool, outcome: object) -> None:
        pending = self._pending.pop(task_id, None)
        if pending is None:
            return
        try:
            if ok:
                if pending.on_done is not None:
                    pending.on_done(outcome)
            elif pending.on_failed is not None:
                assert isinstance(outcome, BaseException)
                pending.on_failed(outcome)
            else:
                # Where it failed, not the message: a message may quote a member's data.
                frames = "".join(traceback.format_tb(outcome.__traceback__))  # type: ignore[union-attr]
                log.error("background work failed: %s\n%s", type(outcome).__name__, frames)
                self.unhandled_failure.emit(outcome)
        finally:
            if not self._pending:
                self.busy_changed.emit(False)

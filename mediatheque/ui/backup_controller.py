"""Backups and restores from the window: one controller shared by the File menu, the
Settings page and the hourly check for the daily automatic backup. The work runs on the
runner; the outcome is announced by signals (the window and the pages decide what to show).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from mediatheque.backups import backup_database, backup_if_due, restore_database
from mediatheque.db import Database
from mediatheque.permissions import Actor
from mediatheque.ui.runner import Runner

HOUR_MS = 60 * 60 * 1000


class Job(StrEnum):
    BACKUP = "backup"
    AUTOMATIC = "automatic"
    RESTORE = "restore"


class BackupController(QObject):
    busy_changed = Signal(bool)
    backed_up = Signal(object)  # Path of the new backup (automatic ones too)
    restored = Signal(object)  # RestoreResult
    failed = Signal(str, object)  # Job, the error

    def __init__(
        self,
        database: Database,
        directory: Path,
        runner: Runner,
        clock: Callable[[], datetime],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.directory = directory
        self._runner = runner
        self._clock = clock
        self._job: Job | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.back_up_if_due)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def start_daily_backups(self, interval_ms: int = HOUR_MS) -> None:
        """Checks every `interval_ms` whether today's backup is still to be made."""
        self._timer.start(interval_ms)

    def stop(self) -> None:
        self._timer.stop()

    def back_up_now(self) -> bool:
        """Starts a backup; False when another backup or restore is under way."""
        return self._start(
            Job.BACKUP, backup_database, self.database, directory=self.directory,
            now=self._clock(),
        )

    def back_up_if_due(self) -> bool:
        return self._start(
            Job.AUTOMATIC, backup_if_due, self.database, directory=self.directory,
            now=self._clock(),
        )

    def restore(self, backup: Path, actor: Actor) -> bool:
        """Restores for `actor` (Permission.RESTORE is checked by the core)."""
        return self._start(
            Job.RESTORE, restore_database, self.database, backup, directory=self.directory,
            now=self._clock(), actor=actor,
        )

    def _start(
        self, job: Job, work: Callable[..., object], *args: object, **kwargs: object
    ) -> bool:
        if self._job is not None:
            return False
        self._job = job
        self.busy_changed.emit(True)
        self._runner.submit(
            work, *args, on_done=self._done, on_failed=self._failed, **kwargs
        )
        return True

    def _finish(self) -> Job:
        job = self._job
        assert job is not None
        self._job = None
        self.busy_changed.emit(False)
        return job

    def _done(self, result: object) -> None:
        job = self._finish()
        if job is Job.RESTORE:
            self.restored.emit(result)
        elif result is not None:  # backup_if_due returns None when today's backup exists
            self.backed_up.emit(result)

    def _failed(self, error: BaseException) -> None:
        job = self._finish()
        self.failed.emit(job.value, error)

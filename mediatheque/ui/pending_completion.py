"""Completing the records saved while the catalogues could not be reached: the count, the
button's state, and the background run with its progress bar and Cancel."""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from mediatheque.catalogue.isbn_cataloguing import (
    CompletionReport,
    complete_pending,
    pending_count,
)
from mediatheque.catalogue.lookup import ProviderHealth
from mediatheque.catalogue.provider_settings import load_provider_settings
from mediatheque.errors import MediathequeError
from mediatheque.i18n import _, ngettext
from mediatheque.messages import describe_error
from mediatheque.ui.context import AppContext
from mediatheque.ui.runner import Runner, Task


class PendingCompletion(QObject):
    finished = Signal()

    def __init__(
        self, context: AppContext, runner: Runner, health: ProviderHealth,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.runner = runner
        self.health = health
        self.count = 0
        self.task: Task | None = None
        self.running = False
        self.action: QAction | None = None
        self.widget = QWidget()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.cancel_button = QPushButton()
        self.status = QLabel()
        layout = QHBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)

    def retranslate(self, action: QAction) -> None:
        self.action = action
        self.cancel_button.setText(_("Cancel"))
        self._update()

    def refresh(self) -> None:
        with self.context.database.read() as session:
            self.count = pending_count(session)
        self._update()

    def _update(self) -> None:
        if self.action is None:
            return
        self.action.setText(ngettext(
            "Complete {n} pending record", "Complete {n} pending records", self.count
        ).format(n=self.count) if self.count else _("No pending records"))
        self.action.setToolTip(_(
            "Look up again the records saved while the catalogues could not be reached"
        ))
        self.action.setEnabled(self.count > 0 and not self.running)

    def start(self) -> None:
        if self.running or not self.count:
            return
        with self.context.database.read() as session:
            settings = load_provider_settings(session, os.environ)
        self.health.reset()  # the person asks for it: try the catalogues again now
        self.progress.setRange(0, self.count)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.status.setText(_("Completing pending records…"))
        self.running = True
        task = self.runner.submit(
            complete_pending, self.context.database, actor=self.context.actor,
            settings=settings, health=self.health,
            now=self.context.clock(), on_done=self._done, on_failed=self._failed,
            on_progress=self._progressed,
        )
        if self.running:  # a synchronous runner has already finished it
            self.task = task
        self._update()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(_("Stopping after the current record…"))

    def _stopped(self) -> None:
        self.running = False
        self.task = None
        self.progress.hide()
        self.cancel_button.hide()
        self.cancel_button.setEnabled(True)
        self.refresh()
        self.finished.emit()

    def _done(self, report: CompletionReport) -> None:
        self._stopped()
        self.status.setText(_(
            "Completed: {completed}; unknown to the catalogues: {not_found}; still pending: "
            "{pending}."
        ).format(completed=report.completed, not_found=report.not_found,
                 pending=report.still_pending))

    def _failed(self, error: BaseException) -> None:
        self._stopped()
        if isinstance(error, MediathequeError):
            self.status.setText(describe_error(error))
        else:
            self.status.clear()
            self.context.runner.unhandled_failure.emit(error)

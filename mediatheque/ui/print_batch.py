"""What the card and label printing dialogs share: the batch is rendered off the GUI
thread (runner, with progress and Cancel), then previewed, printed or saved as PDF."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediatheque.errors import MediathequeError, PrintingCancelled
from mediatheque.i18n import _, ngettext
from mediatheque.messages import describe_error
from mediatheque.printing.document import PrintResult
from mediatheque.printing.messages import describe_warning
from mediatheque.ui.context import AppContext
from mediatheque.ui.print_preview import PrintPreviewDialog, choose_pdf_path
from mediatheque.ui.runner import Task


def run_dialog(dialog: QDialog) -> int:
    """Runs a modal dialog (tests replace this to drive it without blocking)."""
    return dialog.exec()


class BatchPrintDialog(QDialog):
    """Subclasses add their choices to `self.form_layout` and implement `work()`, returning
    a callable that renders the PDF when given `progress=` and `cancelled=`."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.task: Task | None = None
        self.result: PrintResult | None = None
        self.saved_path: Path | None = None
        self.preview: PrintPreviewDialog | None = None
        self.form_layout = QVBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.hide()
        self.preview_button = QPushButton()
        self.preview_button.setDefault(True)
        self.save_button = QPushButton()
        self.cancel_button = QPushButton()
        self.cancel_button.hide()
        self.close_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form_layout)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.preview_button.clicked.connect(lambda: self.render("preview"))
        self.save_button.clicked.connect(lambda: self.render("save"))
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)

    def retranslate(self) -> None:
        self.preview_button.setText(_("&Preview and print…"))
        self.save_button.setText(_("&Save as PDF…"))
        self.cancel_button.setText(_("Cancel"))
        self.close_button.setText(_("Close"))

    # to implement

    def work(self) -> Callable[..., PrintResult] | None:
        """The rendering to run, or None (after telling why) when the choices are not
        complete."""
        raise NotImplementedError

    def suggested_name(self) -> str:
        return "print.pdf"

    def summary(self, result: PrintResult) -> str:
        """What the preview says it will print."""
        return ngettext("{pages} page to print.", "{pages} pages to print.",
                        result.pages).format(pages=result.pages)

    # rendering

    def render(self, then: str) -> None:
        if self.task is not None:
            return
        work = self.work()
        if work is None:
            return
        self.status.setText(_("Preparing…"))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self._set_busy(True)
        self.task = self.context.runner.submit(
            work, on_done=lambda result: self._rendered(result, then),
            on_failed=self._failed, on_progress=self._progressed)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _set_busy(self, busy: bool) -> None:
        for button in (self.preview_button, self.save_button, self.close_button):
            button.setEnabled(not busy)

    def _finish(self) -> None:
        self.task = None
        self.progress.hide()
        self.cancel_button.hide()
        self._set_busy(False)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def _failed(self, error: BaseException) -> None:
        self._finish()
        if isinstance(error, PrintingCancelled):
            self.status.setText(_("Cancelled."))
        elif isinstance(error, MediathequeError):
            self.status.setText(describe_error(error))
        else:
            self.status.setText(_("Unexpected problem: {problem}").format(
                problem=f"{type(error).__name__}: {error}"))

    def _rendered(self, result: Any, then: str) -> None:
        self._finish()
        self.result = result
        lines = [describe_warning(warning) for warning in result.warnings]
        self.status.setText("\n".join(lines))
        if then == "save":
            path = choose_pdf_path(self, self.suggested_name())
            if path is None:
                return
            try:
                self.saved_path = result.write(path)
            except OSError as error:
                self.status.setText(_("Cannot write {path}: {problem}").format(
                    path=path, problem=error.strerror or error))
                return
            self.status.setText("\n".join([*lines, _("Saved to {path}.").format(
                path=self.saved_path)]))
        else:
            self.preview = PrintPreviewDialog(result, self.windowTitle(), self.suggested_name(),
                                              self, summary=self.summary(result))
            run_dialog(self.preview)

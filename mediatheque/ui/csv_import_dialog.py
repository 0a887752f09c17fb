"""Importing a catalogue from a CSV file: choose the file, see what a dry run would do
(new and matched records, copies, rejected lines with their reason), then import for real.
Both runs are in the background with a progress bar and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediatheque.catalogue.csv_columns import field_for_header
from mediatheque.catalogue.csv_import import (
    CsvImportReport,
    CsvIssue,
    import_catalogue_csv,
    read_catalogue_csv,
)
from mediatheque.db import Database
from mediatheque.errors import MediathequeError, UnreadableCsv
from mediatheque.formatting import number, with_detail
from mediatheque.i18n import _
from mediatheque.messages import describe_error
from mediatheque.permissions import Actor
from mediatheque.ui import dialogs
from mediatheque.ui.context import AppContext
from mediatheque.ui.csv_columns_table import IGNORE, CsvColumnsTable
from mediatheque.ui.runner import Task


def run_import(
    database: Database, actor: Actor, path: Path, *, dry_run: bool, now: datetime,
    mapping: dict[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CsvImportReport:
    """Reads the file and imports it in one transaction (a dry run writes nothing and is
    rolled back anyway; a cancelled import is rolled back whole)."""
    plan = read_catalogue_csv(path, mapping, latest_year=now.year + 1)
    opened = database.read() if dry_run else database.write()
    with opened as session:
        return import_catalogue_csv(session, actor, plan, dry_run=dry_run, now=now,
                                    progress=progress, cancelled=cancelled)


ISSUES: dict[str, Callable[[], str]] = {
    "missing_title": lambda: _("no title"),
    "wrong_column_count": lambda: _("not as many cells as there are columns"),
    "invalid_barcode": lambda: _("the barcode cannot be used"),
    "invalid_copies": lambda: _("the number of copies is not a number"),
    "invalid_value": lambda: _("a value does not fit"),
    "duplicate_barcode": lambda: _("the barcode is already used"),
    "duplicate_in_file": lambda: _("repeats an earlier line"),
    "invalid_isbn": lambda: _("invalid ISBN, left out"),
    "isbn_mismatch": lambda: _("the ISBN columns disagree"),
    "invalid_year": lambda: _("the year cannot be read, left out"),
    "invalid_date": lambda: _("the date cannot be read, left out"),
    "invalid_price": lambda: _("the price cannot be read, left out"),
    "invalid_location": lambda: _("unknown location, left out"),
    "unknown_language": lambda: _("unknown language, left out"),
    "invalid_cefr_level": lambda: _("unknown CEFR level, left out"),
    "cefr_not_fle": lambda: _("a CEFR level on a record that is not FLE material"),
    "unknown_media_type": lambda: _("unknown media type, a book is assumed"),
    "unknown_status": lambda: _("unknown copy status, available is assumed"),
    "unknown_audience": lambda: _("unknown audience, left out"),
    "unknown_acquisition_mode": lambda: _("unknown acquisition mode"),
}


def issue_text(issue: CsvIssue) -> str:
    """'no title' or 'unknown language, left out: klingon'."""
    known = ISSUES.get(issue.reason)
    text = known() if known else issue.reason
    return with_detail(text, issue.detail)


class CsvImportDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.path: Path | None = None
        self.report: CsvImportReport | None = None
        self.imported = False
        self.task: Task | None = None
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.mapping: dict[str, str] | None = None
        self.columns_label = QLabel()
        self.columns_label.setWordWrap(True)
        self.columns = CsvColumnsTable()
        self.columns.setMinimumHeight(110)
        self.recheck_button = QPushButton()
        self.recheck_button.setEnabled(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.rejected_label = QLabel()
        self.rejected = QTableWidget(0, 2)
        self.rejected.verticalHeader().hide()
        self.rejected.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.rejected.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.warnings_label = QLabel()
        self.warnings = QListWidget()
        self.warnings.setMaximumHeight(90)
        self.progress = QProgressBar()
        self.progress.hide()
        self.cancel_run_button = QPushButton()
        self.cancel_run_button.hide()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox()
        self.other_file_button = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.import_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setEnabled(False)
        layout = QVBoxLayout(self)
        for widget in (self.file_label, self.columns_label, self.columns, self.recheck_button,
                       self.summary, self.rejected_label, self.rejected,
                       self.warnings_label, self.warnings, self.progress,
                       self.cancel_run_button, self.error, self.buttons):
            layout.addWidget(widget)
        self.other_file_button.clicked.connect(self.choose_file)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)
        self.cancel_run_button.clicked.connect(self.cancel_run)
        self.columns.mapping_changed.connect(self._mapping_edited)
        self.recheck_button.clicked.connect(self.check_with_chosen_columns)
        self._show_columns_part(False)
        self.retranslate()
        self.resize(760, 640)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Import a catalogue from a CSV file"))
        self.rejected_label.setText(_("Lines that will not be imported:"))
        self.rejected.setHorizontalHeaderLabels([_("Line"), _("Reason")])
        self.warnings_label.setText(_("Warnings:"))
        self.columns_label.setText(_(
            "Columns recognised in the file. Change what a column is imported as, then check "
            "again."
        ))
        self.recheck_button.setText(_("C&heck again with these columns"))
        self.columns.retranslate()
        self.other_file_button.setText(_("Choose another &file…"))
        self.import_button.setText(_("&Import"))
        self.close_button.setText(_("Close") if self.imported else _("Cancel"))
        self.cancel_run_button.setText(_("Stop"))
        self._show_file()
        if self.report is not None:
            self._show_report(self.report)

    def _show_file(self) -> None:
        self.file_label.setText(
            _("File: {name}").format(name=self.path) if self.path else _("No file chosen.")
        )

    # choosing and checking

    def choose_file(self) -> bool:
        """Asks for the file and starts the dry run; False when no file was chosen."""
        preferences = self.context.preferences
        folder = preferences.last_folder or Path.home()
        chosen = dialogs.choose_file_to_open(
            self, _("Import a catalogue"), folder,
            _("CSV files (*.csv *.txt)") + ";;" + _("All files (*)"),
        )
        if chosen is None:
            return False
        preferences.last_folder = chosen.parent
        self.check_file(chosen)
        return True

    def check_file(self, path: Path) -> None:
        """The dry run: what the import would do, nothing written."""
        self.path = path
        self.report = None
        self.imported = False
        self.mapping = None
        self._show_columns_part(False)
        self._show_file()
        self._clear_report()
        self._run(dry_run=True)

    def start_import(self) -> None:
        if self.path is None or self.report is None or self.imported:
            return
        self._run(dry_run=False)

    def _run(self, *, dry_run: bool) -> None:
        assert self.path is not None
        self.error.clear()
        self.summary.setText(
            _("Checking the file…") if dry_run else _("Importing…")
        )
        self._busy(True)
        task = self.context.runner.submit(
            run_import, self.context.database, self.context.actor, self.path, dry_run=dry_run,
            now=self.context.clock(), mapping=self.mapping,
            on_done=self._finished, on_failed=self._failed, on_progress=self._progressed,
        )
        if self.progress.isVisibleTo(self):  # still running (not a synchronous runner)
            self.task = task

    def cancel_run(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_run_button.setEnabled(False)

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)
        self.cancel_run_button.setVisible(busy)
        self.cancel_run_button.setEnabled(True)
        self.other_file_button.setEnabled(not busy)
        self.columns.setEnabled(not busy and not self.imported)
        self.recheck_button.setEnabled(False)
        self.import_button.setEnabled(not busy and self.report is not None and not self.imported)
        self.close_button.setEnabled(not busy)
        if not busy:
            self.task = None

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finished(self, report: CsvImportReport) -> None:
        self.report = report
        self.imported = not report.dry_run
        self._busy(False)
        self._show_report(report)
        self.close_button.setText(_("Close") if self.imported else _("Cancel"))

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self.summary.clear()
        if isinstance(error, UnreadableCsv) and error.problem == "no_title_column":
            # Let the person say which column is the title instead of giving up.
            headers = [name for name in error.detail.split(" | ") if name]
            self.columns.show_columns(
                [(name, field_for_header(name) or IGNORE) for name in headers]
            )
            self._show_columns_part(True)
        if isinstance(error, MediathequeError):
            self.error.setText(describe_error(error))
        elif isinstance(error, OSError):
            self.error.setText(_("The system refused: {problem}").format(
                problem=f"{error.strerror or error} ({error.filename or self.path})"
            ))
        else:
            self.error.setText(_("Unexpected problem: {problem}").format(
                problem=f"{type(error).__name__}: {error}"
            ))

    # the report

    def _clear_report(self) -> None:
        self.summary.clear()
        self.rejected.setRowCount(0)
        self.warnings.clear()

    def _show_columns_part(self, visible: bool) -> None:
        for widget in (self.columns_label, self.columns, self.recheck_button):
            widget.setVisible(visible)

    def _mapping_edited(self) -> None:
        self.recheck_button.setEnabled(not self.imported)
        self.import_button.setEnabled(False)  # the report no longer matches the columns

    def check_with_chosen_columns(self) -> None:
        if self.path is None:
            return
        self.mapping = dict(self.columns.mapping())
        self.report = None
        self._clear_report()
        self._run(dry_run=True)

    def _show_report(self, report: CsvImportReport) -> None:
        if report.dry_run:
            self.columns.show_columns(
                list(report.columns) + [(header, IGNORE) for header in report.ignored]
            )
            self._show_columns_part(True)
        if report.dry_run:
            lead = _("The file was checked; nothing has been written yet. Importing it will add:")
        else:
            lead = _("The catalogue was imported:")
        counts = _(
            "{new} new records, {matched} records already in the catalogue, {copies} copies, "
            "{rejected} lines rejected."
        ).format(new=number(report.records_new), matched=number(report.records_matched),
                 copies=number(report.copies_new), rejected=number(len(report.rejected)))
        self.summary.setText(f"{lead}\n{counts}")
        self.rejected.setRowCount(len(report.rejected))
        for row, issue in enumerate(report.rejected):
            self.rejected.setItem(row, 0, QTableWidgetItem(str(issue.line)))
            self.rejected.setItem(row, 1, QTableWidgetItem(issue_text(issue)))
        self.warnings.clear()
        for warning in report.warnings:
            self.warnings.addItem(
                _("Line {line}: {problem}").format(line=warning.line, problem=issue_text(warning))
            )
        self.warnings.setVisible(bool(report.warnings))
        self.warnings_label.setVisible(bool(report.warnings))

    def rejected_rows(self) -> list[tuple[str, str]]:
        return [
            (self.rejected.item(row, 0).text(), self.rejected.item(row, 1).text())
            for row in range(self.rejected.rowCount())
        ]

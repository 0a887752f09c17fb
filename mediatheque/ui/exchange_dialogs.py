"""Exchanging catalogues (FM21.md): the export dialog (full or delta package, profile,
folder) and the import dialog (a package, a MARC file, MARC XML or a BnF SRU response:
dry run first, then import into the catalogue or load as a reference catalogue). Both run
in the background with a progress bar and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediatheque.db import Database
from mediatheque.errors import ImportCancelled, MediathequeError
from mediatheque.exchange.export import ExportReport, export_fm21
from mediatheque.exchange.importing import ImportReport, Issue, import_incoming
from mediatheque.exchange.package import open_incoming
from mediatheque.exchange.reference import ReferenceSummary, load_reference
from mediatheque.formatting import number, with_detail
from mediatheque.i18n import _
from mediatheque.messages import describe_error
from mediatheque.permissions import Actor
from mediatheque.ui import dialogs
from mediatheque.ui.context import AppContext
from mediatheque.ui.runner import Task

Progress = Callable[[int, int], None]


def run_export(database: Database, actor: Actor, folder: Path, *, now: datetime,
               since: datetime | None, profile: str, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> ExportReport:
    with database.read() as session:
        return export_fm21(session, actor, folder, now=now, since=since, profile=profile,
                           progress=progress, cancelled=cancelled)


def run_import(database: Database, actor: Actor, path: Path, *, dry_run: bool, now: datetime,
               progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Reads and checks the file, then imports it in one transaction (a dry run writes
    nothing; a cancelled import is rolled back whole)."""
    incoming = open_incoming(path)
    opened = database.read() if dry_run else database.write()
    with opened as session:
        return import_incoming(session, actor, incoming, dry_run=dry_run, now=now,
                               progress=progress, cancelled=cancelled)


def run_reference_load(database: Database, actor: Actor, path: Path, *, now: datetime,
                       progress: Progress | None = None,
                       cancelled: Callable[[], bool] | None = None) -> ReferenceSummary:
    if progress is not None:
        progress(0, 1)
    incoming = open_incoming(path, reference=True)
    if cancelled is not None and cancelled():
        raise ImportCancelled(done=0, total=incoming.total)
    with database.write() as session:
        summary = load_reference(session, actor, incoming, now=now)
    if progress is not None:
        progress(1, 1)
    return summary


def error_text(error: BaseException, path: object = None) -> str:
    if isinstance(error, MediathequeError):
        return describe_error(error)
    if isinstance(error, OSError):
        return _("The system refused: {problem}").format(
            problem=f"{error.strerror or error} ({error.filename or path})")
    return _("Unexpected problem: {problem}").format(problem=f"{type(error).__name__}: {error}")


REASONS: dict[str, Callable[[], str]] = {
    "missing_title": lambda: _("no title"),
    "invalid_value": lambda: _("a value does not fit"),
    "truncated": lambda: _("the record is cut short"),
    "too_short": lambda: _("the record is cut short"),
    "bad_leader": lambda: _("the record label cannot be read"),
    "bad_directory": lambda: _("the record directory is damaged"),
    "bad_field_length": lambda: _("a field length is wrong"),
    "empty_record": lambda: _("the record is empty"),
    "duplicate_barcode": lambda: _("the barcode is already used: copy not added"),
    "no_barcode": lambda: _("a copy without barcode for a record already held: not added"),
    "duplicate_in_file": lambda: _("repeats an earlier record of the file"),
}


def issue_text(issue: Issue) -> str:
    known = REASONS.get(issue.reason)
    text = known() if known else issue.reason
    return with_detail(text, issue.detail)


class _Background:
    """The progress bar and Stop button shared by both dialogs."""

    def __init__(self, dialog: QDialog) -> None:
        self.progress = QProgressBar()
        self.progress.hide()
        self.stop_button = QPushButton()
        self.stop_button.hide()
        self.task: Task | None = None
        self.stop_button.clicked.connect(self.stop)
        self.dialog = dialog

    def busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)
        self.stop_button.setVisible(busy)
        self.stop_button.setEnabled(True)
        if not busy:
            self.task = None

    def progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.stop_button.setEnabled(False)


class ExportDialog(QDialog):
    """Writes an FM21 package of the catalogue: everything, or what changed since a date."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.report: ExportReport | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.full = QRadioButton()
        self.delta = QRadioButton()
        self.full.setChecked(True)
        scope = QButtonGroup(self)
        scope.addButton(self.full)
        scope.addButton(self.delta)
        self.since = QDateTimeEdit()
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd HH:mm")
        start = context.clock() - timedelta(days=30)
        self.since.setDateTime(QDateTime.fromSecsSinceEpoch(int(start.timestamp())))
        self.since.setEnabled(False)
        self.profile = QComboBox()
        for code in ("core", "koha", "pmb"):
            self.profile.addItem("", code)
        self.folder = QLineEdit(str(context.preferences.last_folder or Path.home()))
        self.browse = QPushButton()
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.background = _Background(self)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self._lay_out()
        self.delta.toggled.connect(self.since.setEnabled)
        self.browse.clicked.connect(self.choose_folder)
        self.export_button.clicked.connect(self.start)
        self.close_button.clicked.connect(self.reject)
        self.retranslate()
        self.resize(620, 380)

    def _lay_out(self) -> None:
        since_row = QHBoxLayout()
        since_row.addWidget(self.delta)
        since_row.addWidget(self.since, 1)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        self.form = QFormLayout()
        self.scope_label, self.profile_label, self.folder_label = QLabel(), QLabel(), QLabel()
        scope_box = QVBoxLayout()
        scope_box.addWidget(self.full)
        scope_box.addLayout(since_row)
        self.form.addRow(self.scope_label, scope_box)
        self.form.addRow(self.profile_label, self.profile)
        self.form.addRow(self.folder_label, folder_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.background.progress)
        layout.addWidget(self.background.stop_button)
        layout.addWidget(self.result)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Export the catalogue (FM21)"))
        self.intro.setText(_(
            "An FM21 package holds the catalogue and its copies, for the regional network, "
            "Koha or PMB. It never contains members, loans or staff."))
        self.scope_label.setText(_("Records:"))
        self.full.setText(_("&Whole catalogue"))
        self.delta.setText(_("Only &changes since"))
        self.profile_label.setText(_("For:"))
        for index, text in enumerate((_("Any system (core FM21)"), _("Koha (UNIMARC)"),
                                      _("PMB"))):
            self.profile.setItemText(index, text)
        self.folder_label.setText(_("Folder:"))
        self.browse.setText(_("&Browse…"))
        self.export_button.setText(_("&Export"))
        self.close_button.setText(_("Close"))
        self.background.stop_button.setText(_("Stop"))

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("Folder for the package"),
                                                  self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def since_instant(self) -> datetime | None:
        if not self.delta.isChecked():
            return None
        return datetime.fromtimestamp(self.since.dateTime().toSecsSinceEpoch(), tz=UTC)

    def start(self) -> None:
        folder = Path(self.folder.text().strip() or ".")
        self.result.setStyleSheet("")
        self.result.setText(_("Exporting…"))
        self._busy(True)
        task = self.context.runner.submit(
            run_export, self.context.database, self.context.actor, folder,
            now=self.context.clock(), since=self.since_instant(),
            profile=self.profile.currentData(),
            on_done=self._finished, on_failed=self._failed,
            on_progress=self.background.progressed)
        if self.background.progress.isVisibleTo(self):
            self.background.task = task

    def _busy(self, busy: bool) -> None:
        self.background.busy(busy)
        self.export_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)

    def _finished(self, report: ExportReport) -> None:
        self.report = report
        self._busy(False)
        self.context.preferences.last_folder = report.path.parent
        self.result.setText(_(
            "Package written: {path}\n{records} records, {items} copies, {deleted} deleted "
            "records announced.").format(path=report.path, records=number(report.records),
                                         items=number(report.items),
                                         deleted=number(report.deleted)))

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self.result.setStyleSheet("color: #b3261e;")
        self.result.setText(error_text(error, self.folder.text()))


class MarcImportDialog(QDialog):
    """Import a package or MARC file: the dry run's report, then import or load as a
    reference catalogue."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.path: Path | None = None
        self.report: ImportReport | None = None
        self.reference: ReferenceSummary | None = None
        self.done = False
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.issues_label = QLabel()
        self.issues = QTableWidget(0, 2)
        self.issues.verticalHeader().hide()
        self.issues.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.issues.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.background = _Background(self)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox()
        self.other_file_button = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.ActionRole)
        self.reference_button = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setEnabled(False)
        self.reference_button.setEnabled(False)
        # Takes the room of the issue list when there is none, so that the text stays at
        # the top instead of being spread over the dialog.
        self.filler = QWidget()
        self.filler.hide()
        layout = QVBoxLayout(self)
        for widget in (self.file_label, self.summary, self.issues_label, self.issues,
                       self.background.progress, self.background.stop_button, self.error,
                       self.filler, self.buttons):
            layout.addWidget(widget, 1 if widget in (self.issues, self.filler) else 0)
        self.other_file_button.clicked.connect(self.choose_file)
        self.import_button.clicked.connect(self.start_import)
        self.reference_button.clicked.connect(self.load_as_reference)
        self.close_button.clicked.connect(self.reject)
        self.retranslate()
        self.resize(780, 560)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Import a catalogue (FM21, MARC)"))
        self.issues_label.setText(_("Records and copies that will not be imported:"))
        self.issues.setHorizontalHeaderLabels([_("Record"), _("Reason")])
        self.other_file_button.setText(_("Choose another &file…"))
        self.reference_button.setText(_("Load as &reference catalogue"))
        self.import_button.setText(_("&Import into the catalogue"))
        self.close_button.setText(_("Close") if self.done else _("Cancel"))
        self.background.stop_button.setText(_("Stop"))
        self.file_label.setText(_("File: {name}").format(name=self.path) if self.path
                                else _("No file chosen."))
        if self.report is not None:
            self._show_report(self.report)

    def choose_file(self) -> bool:
        preferences = self.context.preferences
        chosen = dialogs.choose_file_to_open(
            self, _("Import a catalogue"), preferences.last_folder or Path.home(),
            _("Catalogues (*.zip *.mrc *.iso *.dat *.marc *.xml)") + ";;" + _("All files (*)"))
        if chosen is None:
            return False
        preferences.last_folder = chosen.parent
        self.check_file(chosen)
        return True

    def check_file(self, path: Path) -> None:
        self.path, self.report, self.reference, self.done = path, None, None, False
        self.summary.clear()
        self.issues.setRowCount(0)
        self.retranslate()
        self._run(run_import, dry_run=True)

    def start_import(self) -> None:
        if self.path is not None and self.report is not None and not self.done:
            self._run(run_import, dry_run=False)

    def load_as_reference(self) -> None:
        if self.path is not None and self.report is not None and not self.done:
            self._run(run_reference_load)

    def _run(self, work: Callable[..., object], **options: object) -> None:
        assert self.path is not None
        self.error.clear()
        self.summary.setText(_("Checking the file…") if options.get("dry_run")
                             else _("Importing…"))
        self._busy(True)
        task = self.context.runner.submit(
            work, self.context.database, self.context.actor, self.path,
            now=self.context.clock(), on_done=self._finished, on_failed=self._failed,
            on_progress=self.background.progressed, **options)
        if self.background.progress.isVisibleTo(self):
            self.background.task = task

    def _busy(self, busy: bool) -> None:
        self.background.busy(busy)
        self.other_file_button.setEnabled(not busy)
        ready = not busy and self.report is not None and not self.done
        self.import_button.setEnabled(ready)
        self.reference_button.setEnabled(ready)
        self.close_button.setEnabled(not busy)

    def _finished(self, result: ImportReport | ReferenceSummary) -> None:
        if isinstance(result, ReferenceSummary):
            self.reference, self.done = result, True
        else:
            self.report, self.done = result, not result.dry_run
        self._busy(False)
        self.retranslate()
        if isinstance(result, ReferenceSummary):
            self.summary.setText(_(
                "Reference catalogue {code} loaded: {records} records. Its records are not "
                "holdings; the ISBN lookup consults them.").format(
                    code=result.code, records=number(result.records)))

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self.summary.clear()
        self.error.setText(error_text(error, self.path))

    def _show_report(self, report: ImportReport) -> None:
        if report.dry_run:
            lead = _("The file was checked; nothing has been written yet. Importing it will "
                     "add:")
        else:
            lead = _("The catalogue was imported:")
        counts = _("{new} new records, {matched} records already in the catalogue, {copies} "
                   "new copies, {conflicts} copies not added, {rejected} records rejected."
                   ).format(new=number(report.records_new),
                            matched=number(report.records_matched),
                            copies=number(report.copies_new),
                            conflicts=number(len(report.conflicts)),
                            rejected=number(len(report.rejected)))
        lines = [lead, counts]
        if report.legacy_charset:
            lines.append(_("{n} records were not in UTF-8 and were read in their declared "
                           "character set.").format(n=number(len(report.legacy_charset))))
        self.summary.setText("\n".join(lines))
        issues = [*report.rejected, *report.conflicts, *report.duplicates]
        self.issues.setRowCount(len(issues))
        for row, issue in enumerate(issues):
            self.issues.setItem(row, 0, QTableWidgetItem(str(issue.position)))
            self.issues.setItem(row, 1, QTableWidgetItem(issue_text(issue)))
        self.issues.setVisible(bool(issues))
        self.issues_label.setVisible(bool(issues))
        self.filler.setVisible(not issues)

    def issue_rows(self) -> list[tuple[str, str]]:
        return [(self.issues.item(row, 0).text(), self.issues.item(row, 1).text())
                for row in range(self.issues.rowCount())]


def run_dialog(dialog: QDialog) -> bool:
    """Runs a modal dialog. Tests replace this (monkeypatch) to drive the dialog."""
    return bool(dialog.exec())


def open_export(parent: QWidget, context: AppContext) -> None:
    run_dialog(ExportDialog(context, parent))


def open_marc_import(parent: QWidget, context: AppContext) -> bool:
    """True when something was imported (the pages showing the catalogue reload)."""
    dialog = MarcImportDialog(context, parent)
    if not dialog.choose_file():
        return False
    run_dialog(dialog)
    return dialog.done and dialog.reference is None

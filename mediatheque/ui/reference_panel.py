"""The Reference catalogues panel of the Settings page: other libraries' FM21 packages
loaded for copy cataloguing (FM21.md §6), listed, refreshed from a newer package, removed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediatheque.errors import MediathequeError
from mediatheque.exchange.reference import ReferenceSummary, list_references, remove_reference
from mediatheque.formatting import number, short_day
from mediatheque.i18n import _
from mediatheque.messages import describe_error
from mediatheque.ui import dialogs
from mediatheque.ui.context import AppContext
from mediatheque.ui.exchange_dialogs import error_text, run_reference_load


class ReferencePanel(QGroupBox):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.catalogues: list[ReferenceSummary] = []
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setMinimumHeight(110)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = QPushButton()
        self.refresh_button = QPushButton()
        self.remove_button = QPushButton()
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.refresh_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.add_button.clicked.connect(self.add)
        self.refresh_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.retranslate()
        self._selection_changed()

    def retranslate(self) -> None:
        self.setTitle(_("Reference catalogues"))
        self.intro.setText(_(
            "Other libraries' FM21 packages, kept apart from your catalogue. Scanning an ISBN "
            "fills the record from them first, even offline. Load a newer package of the same "
            "library to refresh it."))
        self.table.setHorizontalHeaderLabels([_("Code"), _("Library"), _("Records"),
                                              _("Loaded")])
        self.add_button.setText(_("Load a package…"))
        self.refresh_button.setText(_("Refresh…"))
        self.remove_button.setText(_("Remove"))

    def refresh(self) -> None:
        with self.context.database.read() as session:
            self.catalogues = list_references(session)
        self.table.setRowCount(len(self.catalogues))
        for row, catalogue in enumerate(self.catalogues):
            for column, text in enumerate((catalogue.code, catalogue.name,
                                           number(catalogue.records),
                                           short_day(catalogue.loaded_at.date()))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._selection_changed()

    def selected(self) -> ReferenceSummary | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        return self.catalogues[rows.pop()] if len(rows) == 1 else None

    def _selection_changed(self) -> None:
        chosen = self.selected() is not None
        self.refresh_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def add(self) -> None:
        preferences = self.context.preferences
        chosen = dialogs.choose_file_to_open(
            self, _("Load a reference catalogue"), preferences.last_folder or Path.home(),
            _("FM21 packages (*.fm21.zip *.zip)") + ";;" + _("MARC files (*.mrc *.iso *.xml)")
            + ";;" + _("All files (*)"))
        if chosen is None:
            return
        preferences.last_folder = chosen.parent
        self.load(chosen)

    def load(self, path: Path) -> None:
        self.status.setText(_("Loading {name}…").format(name=path.name))
        self.add_button.setEnabled(False)
        self.context.runner.submit(
            run_reference_load, self.context.database, self.context.actor, path,
            now=self.context.clock(), on_done=self._loaded,
            on_failed=lambda error: self._failed(error, path))

    def _loaded(self, summary: ReferenceSummary) -> None:
        self.add_button.setEnabled(True)
        self.status.setText(_("Reference catalogue {code} loaded: {records} records.").format(
            code=summary.code, records=number(summary.records)))
        self.refresh()

    def _failed(self, error: BaseException, path: Path) -> None:
        self.add_button.setEnabled(True)
        self.status.setText(error_text(error, path))

    def remove(self) -> None:
        catalogue = self.selected()
        if catalogue is None or not dialogs.confirm(
                self, _("Remove a reference catalogue"),
                _("Remove the reference catalogue {code} ({name})? Your own catalogue is not "
                  "touched.").format(code=catalogue.code, name=catalogue.name), _("Remove")):
            return
        try:
            with self.context.database.write() as session:
                remove_reference(session, self.context.actor, catalogue.code,
                                 now=self.context.clock())
        except MediathequeError as error:
            self.status.setText(describe_error(error))
            return
        self.status.setText(_("Reference catalogue {code} removed.").format(
            code=catalogue.code))
        self.refresh()

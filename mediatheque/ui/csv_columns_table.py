"""The columns of a spreadsheet being imported, each with the field it goes to: recognised
automatically, and changeable before importing (the CLI's `--map COLUMN=FIELD`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from mediatheque.catalogue.csv_columns import FIELDS
from mediatheque.i18n import _

IGNORE = "ignore"
FIELD_LABELS: dict[str, Callable[[], str]] = {
    "title": lambda: _("Title"),
    "subtitle": lambda: _("Subtitle"),
    "authors": lambda: _("Authors"),
    "isbn": lambda: _("ISBN"),
    "isbn13": lambda: _("ISBN-13"),
    "isbn10": lambda: _("ISBN-10"),
    "ean": lambda: _("EAN (not an ISBN)"),
    "publisher": lambda: _("Publisher"),
    "place": lambda: _("Place of publication"),
    "year": lambda: _("Year"),
    "edition": lambda: _("Edition"),
    "language": lambda: _("Language"),
    "pages": lambda: _("Number of pages"),
    "extent": lambda: _("Description"),
    "media_type": lambda: _("Type"),
    "audience": lambda: _("Audience"),
    "cefr_level": lambda: _("CEFR level"),
    "dewey": lambda: _("Dewey"),
    "series": lambda: _("Series"),
    "series_number": lambda: _("Number in the series"),
    "subjects": lambda: _("Subjects"),
    "keywords": lambda: _("Keywords"),
    "summary": lambda: _("Summary"),
    "note": lambda: _("Note"),
    "copies": lambda: _("Number of copies"),
    "barcode": lambda: _("Copy barcode"),
    "call_number": lambda: _("Call number"),
    "location": lambda: _("Location"),
    "status": lambda: _("Copy status"),
    "acquired_on": lambda: _("Acquisition date"),
    "acquisition_mode": lambda: _("Acquisition mode"),
    "price": lambda: _("Price"),
}
assert set(FIELD_LABELS) == set(FIELDS)


class CsvColumnsTable(QTableWidget):
    """One row per column of the file: its header, and a choice of field (or Not imported)."""

    mapping_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._columns: list[tuple[str, str]] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([_("Column of the file"), _("Imported as")])
        for row in range(self.rowCount()):
            combo = self.cellWidget(row, 1)
            if isinstance(combo, QComboBox):
                self._name_choices(combo)

    def show_columns(self, columns: list[tuple[str, str]]) -> None:
        """`columns`: (header, field or "ignore") in the file's order."""
        self._columns = list(columns)
        self.setRowCount(len(columns))
        for row, (header, field) in enumerate(columns):
            self.setItem(row, 0, QTableWidgetItem(header))
            combo = self.cellWidget(row, 1)
            if not isinstance(combo, QComboBox):
                combo = QComboBox()
                combo.addItem("", IGNORE)
                for name in FIELDS:
                    combo.addItem("", name)
                self._name_choices(combo)
                combo.currentIndexChanged.connect(lambda _index: self.mapping_changed.emit())
                self.setCellWidget(row, 1, combo)
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(field)))
            combo.blockSignals(False)

    @staticmethod
    def _name_choices(combo: QComboBox) -> None:
        combo.setItemText(0, _("Not imported"))
        for index, name in enumerate(FIELDS, start=1):
            combo.setItemText(index, FIELD_LABELS[name]())

    def mapping(self) -> list[tuple[str, str]]:
        found = []
        for row, (header, field) in enumerate(self._columns):
            combo = self.cellWidget(row, 1)
            found.append((header, combo.currentData() if combo is not None else field))
        return found

    def choose(self, header: str, field: str) -> None:
        for row, (name, _field) in enumerate(self._columns):
            if name == header:
                combo = self.cellWidget(row, 1)
                combo.setCurrentIndex(combo.findData(field))

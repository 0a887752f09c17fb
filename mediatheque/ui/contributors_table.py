"""A small editable table of a record's contributors: surname, forenames, role."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediatheque.catalogue.metadata import Person
from mediatheque.i18n import _
from mediatheque.models.vocabulary import ContributorRole
from mediatheque.ui.catalogue_labels import ROLES, fill_combo, set_combo_word

SURNAME, FORENAMES, ROLE = range(3)


class ContributorsTable(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._extra: list[Person] = []  # what the table does not show (dates, corporate)
        self.table = QTableWidget(0, 3)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SURNAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FORENAMES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ROLE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(130)
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add(Person(surname="")))
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_("Surname"), _("Forenames"), _("Role")])
        self.add_button.setText(_("Add"))
        self.remove_button.setText(_("Remove"))
        for row in range(self.table.rowCount()):
            combo = self._role(row)
            fill_combo(combo, ROLES)

    def _role(self, row: int) -> QComboBox:
        combo = self.table.cellWidget(row, ROLE)
        assert isinstance(combo, QComboBox)
        return combo

    def add(self, person: Person) -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.table.setItem(row, SURNAME, QTableWidgetItem(person.surname))
        self.table.setItem(row, FORENAMES, QTableWidgetItem(person.forenames or ""))
        self.table.blockSignals(False)
        combo = QComboBox()
        fill_combo(combo, ROLES)
        set_combo_word(combo, person.role or ContributorRole.AUTHOR)
        combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.table.setCellWidget(row, ROLE, combo)
        self._extra.append(person)
        if not person.surname:
            self.table.setCurrentCell(row, SURNAME)
            self.table.editItem(self.table.item(row, SURNAME))
        self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for row in rows:
            self.table.removeRow(row)
            del self._extra[row]
        self.changed.emit()

    def set_people(self, people: tuple[Person, ...]) -> None:
        self.table.setRowCount(0)
        self._extra = []
        for person in people:
            self.add(person)

    def people(self) -> tuple[Person, ...]:
        result = []
        for row in range(self.table.rowCount()):
            surname = self.table.item(row, SURNAME).text().strip()
            if not surname:
                continue
            forenames = self.table.item(row, FORENAMES).text().strip() or None
            before = self._extra[row]
            result.append(Person(
                surname=surname, forenames=forenames, dates=before.dates,
                role=self._role(row).currentData() or ContributorRole.AUTHOR,
                is_corporate=before.is_corporate,
            ))
        return tuple(result)

"""The members table: a paged model over `search_members`, with the catalogue's stale-result
protection (each query carries a sequence number; older results are dropped, and queued
searches that became stale are skipped without touching the database)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from mediatheque.db import Database
from mediatheque.i18n import _
from mediatheque.members.search import MemberPage, MemberRow, search_members
from mediatheque.permissions import Actor
from mediatheque.ui.runner import Runner

PAGE_SIZE = 100
MEMBER_ID_ROLE = Qt.ItemDataRole.UserRole
EXPIRED_COLOUR = "#b3261e"
COLUMNS = ("name", "barcode", "category", "contact", "expiry")

Index = QModelIndex | QPersistentModelIndex


def column_title(key: str) -> str:
    return {
        "name": _("Name"),
        "barcode": _("Card"),
        "category": _("Category"),
        "contact": _("E-mail / phone"),
        "expiry": _("Member until"),
    }[key]


def run_member_search(database: Database, actor: Actor, text: str, offset: int,
                      limit: int) -> MemberPage:
    with database.read() as session:
        return search_members(session, actor, text, offset=offset, limit=limit)


class MembersModel(QAbstractTableModel):
    loaded = Signal()
    failed = Signal(object)

    def __init__(self, database: Database, runner: Runner, actor: Callable[[], Actor],
                 today: Callable[[], date], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._runner = runner
        self._actor = actor
        self._today = today
        self.text = ""
        self.rows: list[MemberRow] = []
        self.total = 0
        self._sequence = 0
        self._fetching = False
        self.searching = False

    def set_database(self, database: Database) -> None:
        self.database = database
        self.search(self.text)

    def search(self, text: str) -> None:
        self.text = text
        self._sequence += 1
        self._fetching = False
        self.searching = True
        self._submit(self._sequence, 0)

    def reload(self) -> None:
        self.search(self.text)

    def _submit(self, sequence: int, offset: int) -> None:
        text, database, actor = self.text, self.database, self._actor()

        def work() -> MemberPage | None:
            if sequence != self._sequence:
                return None
            return run_member_search(database, actor, text, offset, PAGE_SIZE)

        self._runner.submit(work, on_done=lambda page: self._arrived(sequence, offset, page),
                            on_failed=lambda error: self._failed(sequence, error))

    def _arrived(self, sequence: int, offset: int, page: MemberPage | None) -> None:
        if page is None or sequence != self._sequence:
            return
        if offset == 0:
            self.beginResetModel()
            self.rows = list(page.rows)
            self.total = page.total
            self.endResetModel()
            self.searching = False
            self.loaded.emit()
            return
        self._fetching = False
        if offset != len(self.rows) or not page.rows:
            return
        self.total = page.total
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self.rows.extend(page.rows)
        self.endInsertRows()

    def _failed(self, sequence: int, error: BaseException) -> None:
        if sequence != self._sequence:
            return
        self._fetching = False
        self.searching = False
        self.failed.emit(error)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 (Qt's default)
        return not parent.isValid() and not self.searching and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self._fetching or not self.canFetchMore(parent):
            return
        self._fetching = True
        self._submit(self._sequence, len(self.rows))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_title(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, key)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("name", "category", "contact"):
            return self._text(row, key)
        if role == MEMBER_ID_ROLE:
            return row.member_id
        if role == Qt.ItemDataRole.ForegroundRole and key == "expiry" \
                and row.expired(self._today()):
            return QColor(EXPIRED_COLOUR)
        return None

    @staticmethod
    def _text(row: MemberRow, key: str) -> str:
        if key == "name":
            return row.display_name
        if key == "barcode":
            return row.barcode
        if key == "category":
            return row.category_name
        if key == "contact":
            return " · ".join(c for c in (row.email, row.phone) if c)
        return row.membership_expiry.strftime("%d.%m.%Y")

    def member_id(self, row: int) -> int | None:
        return self.rows[row].member_id if 0 <= row < len(self.rows) else None

    def row_of(self, member_id: int) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.member_id == member_id), None)

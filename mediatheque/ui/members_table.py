"""The members table: a paged model over `search_members` (paging and stale-result
protection in ui/paged_model.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Qt,
)
from PySide6.QtGui import QColor

from mediatheque.db import Database
from mediatheque.formatting import short_day
from mediatheque.i18n import _
from mediatheque.members.search import MemberPage, MemberRow, search_members
from mediatheque.permissions import Actor
from mediatheque.ui.paged_model import Index, Page, PagedSearchModel
from mediatheque.ui.runner import Runner

PAGE_SIZE = 100
MEMBER_ID_ROLE = Qt.ItemDataRole.UserRole
EXPIRED_COLOUR = "#b3261e"
COLUMNS = ("name", "barcode", "category", "contact", "expiry")



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


class MembersModel(PagedSearchModel):
    """Rows of MemberRow (`rows`), a page of PAGE_SIZE at a time."""

    page_size = PAGE_SIZE

    def __init__(self, database: Database, runner: Runner, actor: Callable[[], Actor],
                 today: Callable[[], date], parent: QObject | None = None) -> None:
        super().__init__(database, runner, parent)
        self._actor = actor
        self._today = today
        self.text = ""

    @property
    def rows(self) -> list[MemberRow]:
        return self.items

    def search(self, text: str) -> None:
        self.text = text
        self.reload()

    def _page_fetcher(self, offset: int, limit: int) -> Callable[[], Page]:
        text, database, actor = self.text, self.database, self._actor()

        def fetch() -> Page:
            page = run_member_search(database, actor, text, offset, limit)
            return page.rows, page.total

        return fetch

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
        return short_day(row.membership_expiry)

    def member_id(self, row: int) -> int | None:
        return self.rows[row].member_id if 0 <= row < len(self.rows) else None

    def row_of(self, member_id: int) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.member_id == member_id), None)

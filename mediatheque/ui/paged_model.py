"""A table model filled page by page from a search that runs on the runner.

A query loads its first page; the view asks for more (`canFetchMore`/`fetchMore`) as it
is scrolled. Every query carries a sequence number: results of an older query are dropped
when they arrive, so stale results never replace newer ones, and queued searches that
became stale before they started are skipped without touching the database. Subclasses
say how to fetch one page (`_page_fetcher`) and how to show a row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Signal

from mediatheque.db import Database
from mediatheque.ui.runner import Runner

Index = QModelIndex | QPersistentModelIndex
# A page: its rows and the total number of matches of the query.
Page = tuple[Sequence[Any], int]


class PagedSearchModel(QAbstractTableModel):
    """`loaded` is emitted when a query's first page has arrived, `failed` with the error
    when a search could not be done."""

    loaded = Signal()
    failed = Signal(object)
    page_size = 100

    def __init__(self, database: Database, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._runner = runner
        self.items: list[Any] = []
        self.total = 0
        self._sequence = 0
        self._fetching = False
        self.searching = False

    def _page_fetcher(self, offset: int, limit: int) -> Callable[[], Page]:
        """A function, run on the runner's thread, returning one page of the current query
        (read the query here, on the GUI thread, and close over it)."""
        raise NotImplementedError

    def set_database(self, database: Database) -> None:
        self.database = database
        self.reload()

    def reload(self) -> None:
        """Runs the current query again; its first page replaces the rows when it arrives."""
        self._sequence += 1
        self._fetching = False
        self.searching = True
        self._submit(self._sequence, 0)

    def _submit(self, sequence: int, offset: int) -> None:
        fetch = self._page_fetcher(offset, self.page_size)

        def work() -> Page | None:
            if sequence != self._sequence:  # a newer query came while this one waited
                return None
            return fetch()

        self._runner.submit(
            work,
            on_done=lambda page: self._arrived(sequence, offset, page),
            on_failed=lambda error: self._search_failed(sequence, error),
        )

    def _arrived(self, sequence: int, offset: int, page: Page | None) -> None:
        if page is None or sequence != self._sequence:
            return
        rows, total = page
        if offset == 0:
            self.beginResetModel()
            self.items = list(rows)
            self.total = total
            self.endResetModel()
            self.searching = False
            self.loaded.emit()
            return
        self._fetching = False
        if offset != len(self.items) or not rows:
            return
        self.total = total
        first = len(self.items)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.items.extend(rows)
        self.endInsertRows()

    def _search_failed(self, sequence: int, error: BaseException) -> None:
        if sequence != self._sequence:
            return
        self._fetching = False
        self.searching = False
        self.failed.emit(error)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 (Qt's default)
        return not parent.isValid() and not self.searching and len(self.items) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self._fetching or not self.canFetchMore(parent):
            return
        self._fetching = True
        self._submit(self._sequence, len(self.items))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

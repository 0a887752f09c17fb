"""The catalogue's result table: a paged model over `search_records`.

The model never loads the whole catalogue: a query loads its first page, and the view asks
for more (`canFetchMore`/`fetchMore`) as it is scrolled, PAGE_SIZE rows at a time. Every
query runs on the runner (off the GUI thread); each carries a sequence number, and results
of an older query are dropped when they arrive, so stale results never replace newer ones.
Queued searches that became stale before they started are skipped without touching the
database.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from mediatheque.catalogue.search import (
    SearchFilters,
    SearchHit,
    SearchPage,
    SortKey,
    search_records,
)
from mediatheque.db import Database
from mediatheque.i18n import _
from mediatheque.ui.catalogue_labels import MEDIA_TYPES, label, language_names
from mediatheque.ui.runner import Runner

PAGE_SIZE = 100
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    sort: SortKey | None  # None: the header does not sort on it


COLUMNS: tuple[Column, ...] = (
    Column("title", SortKey.TITLE),
    Column("authors", SortKey.AUTHOR),
    Column("year", SortKey.YEAR),
    Column("media_type", None),
    Column("language", None),
    Column("copies", None),
)


def column_title(key: str) -> str:
    titles = {
        "title": _("Title"),
        "authors": _("Authors"),
        "year": _("Year"),
        "media_type": _("Type"),
        "language": _("Language"),
        "copies": _("Available"),
    }
    return titles[key]


@dataclass(frozen=True)
class Query:
    text: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    sort: SortKey = SortKey.RELEVANCE
    descending: bool = False


def run_search(database: Database, query: Query, offset: int, limit: int) -> SearchPage:
    with database.read() as session:
        return search_records(
            session, query.text, filters=query.filters, sort=query.sort,
            descending=query.descending, offset=offset, limit=limit,
        )


class CatalogueModel(QAbstractTableModel):
    """Rows of SearchHit; `loaded` is emitted when a query's first page has arrived and
    `failed` with the error when a search could not be done."""

    loaded = Signal()
    failed = Signal(object)

    def __init__(self, database: Database, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self._runner = runner
        self.query = Query()
        self.hits: list[SearchHit] = []
        self.total = 0
        self._sequence = 0
        self._fetching = False
        self.searching = False

    # the query

    def set_database(self, database: Database) -> None:
        self.database = database
        self.search(self.query)

    def search(self, query: Query) -> None:
        """Starts a new query; its first page replaces the rows when it arrives."""
        self.query = query
        self._sequence += 1
        self._fetching = False
        self.searching = True
        self._submit(self._sequence, 0)

    def reload(self) -> None:
        self.search(self.query)

    def _submit(self, sequence: int, offset: int) -> None:
        query, database = self.query, self.database

        def work() -> SearchPage | None:
            if sequence != self._sequence:  # a newer query came while this one waited
                return None
            return run_search(database, query, offset, PAGE_SIZE)

        self._runner.submit(
            work,
            on_done=lambda page: self._arrived(sequence, offset, page),
            on_failed=lambda error: self._search_failed(sequence, error),
        )

    def _arrived(self, sequence: int, offset: int, page: SearchPage | None) -> None:
        if page is None or sequence != self._sequence:
            return
        if offset == 0:
            self.beginResetModel()
            self.hits = list(page.hits)
            self.total = page.total
            self.endResetModel()
            self.searching = False
            self.loaded.emit()
        else:
            self._fetching = False
            if offset != len(self.hits) or not page.hits:
                return
            self.total = page.total
            first = len(self.hits)
            self.beginInsertRows(QModelIndex(), first, first + len(page.hits) - 1)
            self.hits.extend(page.hits)
            self.endInsertRows()

    def _search_failed(self, sequence: int, error: BaseException) -> None:
        if sequence != self._sequence:
            return
        self._fetching = False
        self.searching = False
        self.failed.emit(error)

    # paging

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 (Qt's default)
        return not parent.isValid() and not self.searching and len(self.hits) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self._fetching or not self.canFetchMore(parent):
            return
        self._fetching = True
        self._submit(self._sequence, len(self.hits))

    # the table

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_title(COLUMNS[section].key)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.hits):
            return None
        hit = self.hits[index.row()]
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(hit, key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "title" and hit.subtitle:
            return f"{hit.title} : {hit.subtitle}"
        if role == RECORD_ID_ROLE:
            return hit.record_id
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("year", "copies"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(hit: SearchHit, key: str) -> str:
        if key == "title":
            return hit.title
        if key == "authors":
            authors = hit.authors
            return "; ".join(authors) if isinstance(authors, tuple | list) else str(authors or "")
        if key == "year":
            return str(hit.year) if hit.year else ""
        if key == "media_type":
            return label(MEDIA_TYPES, hit.media_type)
        if key == "language":
            language = hit.language
            if isinstance(language, tuple | list):
                return language_names(tuple(language))
            return language_names((language,)) if language else ""
        return f"{hit.available} / {hit.copies}"

    def record_id(self, row: int) -> int | None:
        return self.hits[row].record_id if 0 <= row < len(self.hits) else None

    def row_of(self, record_id: int) -> int | None:
        return next((row for row, hit in enumerate(self.hits) if hit.record_id == record_id),
                    None)

    # sorting (the header)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].sort if 0 <= column < len(COLUMNS) else None
        descending = order == Qt.SortOrder.DescendingOrder
        if key is None:
            key, descending = SortKey.RELEVANCE, False
        if (key, descending) != (self.query.sort, self.query.descending):
            self.search(replace(self.query, sort=key, descending=descending))

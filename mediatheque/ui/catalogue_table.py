"""The catalogue's result table: a paged model over `search_records`.

The model never loads the whole catalogue: pages of PAGE_SIZE rows are fetched on the
runner as the view is scrolled, with stale-result protection (ui/paged_model.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    Qt,
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
from mediatheque.ui.paged_model import Index, Page, PagedSearchModel
from mediatheque.ui.runner import Runner

PAGE_SIZE = 100
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole



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


@dataclass(frozen=True)
class _Hits:
    """A page's hits, and whether its total is exact (search counts stop at the page's
    offset + COUNT_LIMIT: "more than …")."""

    hits: tuple[SearchHit, ...]
    total_exact: bool

    def __iter__(self) -> Iterator[SearchHit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)


class CatalogueModel(PagedSearchModel):
    """Rows of SearchHit (`hits`), a page of PAGE_SIZE at a time; `total_exact` false when
    there are more matches than `total`."""

    page_size = PAGE_SIZE

    def __init__(self, database: Database, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(database, runner, parent)
        self.query = Query()
        self.total_exact = True

    @property
    def hits(self) -> list[SearchHit]:
        return self.items

    def search(self, query: Query) -> None:
        """Starts a new query; its first page replaces the rows when it arrives."""
        self.query = query
        self.reload()

    def _page_fetcher(self, offset: int, limit: int) -> Callable[[], Page]:
        query, database = self.query, self.database

        def fetch() -> Page:
            page = run_search(database, query, offset, limit)
            return _Hits(page.hits, page.total_exact), page.total

        return fetch

    def _arrived(self, sequence: int, offset: int, page: Page | None) -> None:
        if page is not None and sequence == self._sequence and (
                offset == 0 or offset == len(self.items)):
            rows, _total = page
            self.total_exact = rows.total_exact if isinstance(rows, _Hits) else True
        super()._arrived(sequence, offset, page)

    # the table

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

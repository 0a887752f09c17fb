"""Keeping the catalogue search index in step with the records (DESIGN.md §3).

Each record gets search keys (mediatheque.catalogue.normalise) in three weighted parts —
title, people, everything else (publisher, series, subjects, keywords, ISBN/EAN, copy
barcodes) — and a narrow `record_search` row to filter and sort on. The keys go to an FTS5
table on SQLite (`record_fts`, rowid = record id, with a fourth column of filter facets)
and to a tsvector table on PostgreSQL (`record_tsv`, GIN-indexed). Both are created by
migration 0002 and are not ORM models.

The cataloguing services call `index_records` in their own transaction after every change;
`rebuild_search_index` redoes everything in bulk after the demo or an import.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, func, insert, select, text
from sqlalchemy.orm import Session

from mediatheque.catalogue.normalise import search_keys, sort_key
from mediatheque.errors import SearchIndexCancelled
from mediatheque.models import (
    Contribution,
    Contributor,
    Copy,
    Keyword,
    Loan,
    Record,
    RecordKeyword,
    RecordLanguage,
    RecordSearch,
    RecordSubject,
    Subject,
)
from mediatheque.models.vocabulary import CopyStatus

FTS_TABLE = "record_fts"
TSV_TABLE = "record_tsv"
# Tables outside the ORM models (with FTS5's shadow tables, record_fts_data, …).
ENGINE_INDEX_TABLES = (FTS_TABLE, TSV_TABLE)
BATCH = 2000
SORT_LENGTH = 200

_FTS_INSERT = text(
    f"INSERT INTO {FTS_TABLE} (rowid, title, people, other, facets) "
    "VALUES (:record_id, :title, :people, :other, :facets)"
)
_TSV_INSERT = text(
    f"INSERT INTO {TSV_TABLE} (record_id, document) VALUES (:record_id, "
    "setweight(to_tsvector('simple', :title), 'A') || "
    "setweight(to_tsvector('simple', :people), 'B') || "
    "setweight(to_tsvector('simple', :other), 'C'))"
)


@lru_cache(maxsize=4096)
def facet(kind: str, value: str) -> str:
    """A filter value as one FTS5 token: a letter for the kind, then hex (any code is safe
    and none can be typed as a word, since searches never look in the facets column)."""
    return kind + value.encode().hex()


# A record with a copy on the shelf now; set and cleared by the triggers of migration 0002.
AVAILABLE_FACET = facet("v", "1")


def is_engine_index_table(name: str) -> bool:
    return any(name == table or name.startswith(table + "_") for table in ENGINE_INDEX_TABLES)


@dataclass
class _Draft:
    """What is known about one record while its entry is being assembled."""

    title: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # barcodes: digits need no folding
    facets: list[str] = field(default_factory=list)
    first_person: str = ""
    available: int = 0


def index_records(session: Session, record_ids: Iterable[int]) -> None:
    """(Re)indexes these records from their rows; ids of deleted records are unindexed."""
    ids = sorted(set(record_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        _remove(session, chunk)
        _write(session, _entries(session, _among(chunk)))


def unindex_records(session: Session, record_ids: Iterable[int]) -> None:
    ids = sorted(set(record_ids))
    for start in range(0, len(ids), BATCH):
        _remove(session, ids[start:start + BATCH])


def rebuild_search_index(
    session: Session,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Indexes every record again, in bulk; returns how many."""
    dialect = _dialect(session)
    session.execute(delete(RecordSearch))
    if dialect == "sqlite":
        session.execute(text(f"DELETE FROM {FTS_TABLE}"))
    else:
        session.execute(text(f"DELETE FROM {TSV_TABLE}"))
    ids: Sequence[int] = session.scalars(select(Record.id).order_by(Record.id)).all()
    # Indexes are built faster at once, sorted, than row by row.
    connection = session.connection()
    indexes = sorted(_TABLE.indexes, key=lambda index: str(index.name))
    for index in indexes:
        index.drop(connection)
    for start in range(0, len(ids), BATCH):
        if cancelled is not None and cancelled():
            raise SearchIndexCancelled(done=start, total=len(ids))
        low, high = ids[start], ids[min(start + BATCH, len(ids)) - 1]
        _write(session, _entries(session, _between(low, high)))
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    for index in indexes:
        index.create(connection)
    if dialect == "sqlite":
        # One b-tree per term instead of many segments: faster queries from now on.
        session.execute(text(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')"))
    else:
        session.execute(text(f"ANALYZE {TSV_TABLE}"))
        session.execute(text("ANALYZE record_search"))
    return len(ids)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _remove(session: Session, ids: list[int]) -> None:
    if not ids:
        return
    session.execute(delete(RecordSearch).where(RecordSearch.record_id.in_(ids)))
    table, column = (FTS_TABLE, "rowid") if _dialect(session) == "sqlite" else (TSV_TABLE,
                                                                                "record_id")
    placeholders = ", ".join(str(int(record_id)) for record_id in ids)
    session.execute(text(f"DELETE FROM {table} WHERE {column} IN ({placeholders})"))


def _write(session: Session, entries: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    if not entries:
        return
    session.execute(insert(_TABLE), [projection for projection, _ in entries])
    if _dialect(session) == "sqlite":
        session.execute(_FTS_INSERT, [keys for _, keys in entries])
    else:
        session.execute(_TSV_INSERT, [
            {name: value for name, value in keys.items() if name != "facets"}
            for _, keys in entries
        ])


Where = Callable[[Any], ColumnElement[bool]]
_TABLE: Table = RecordSearch.__table__  # type: ignore[assignment]


def _among(ids: list[int]) -> Where:
    return lambda column: column.in_(ids)


def _between(low: int, high: int) -> Where:
    return lambda column: column.between(low, high)


def _entries(session: Session, where: Where) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(record_search row, keys row) for the records whose id satisfies `where`."""
    drafts: dict[int, _Draft] = defaultdict(_Draft)
    for record_id, surname, forenames in session.execute(
        select(Contribution.record_id, Contributor.surname, Contributor.forenames)
        .join(Contributor, Contributor.id == Contribution.contributor_id)
        .where(where(Contribution.record_id))
        .order_by(Contribution.record_id, Contribution.position)
    ):
        draft = drafts[record_id]
        name = f"{surname} {forenames or ''}"
        draft.people.append(name)
        if not draft.first_person:
            draft.first_person = sort_key(name)[:SORT_LENGTH]
    for record_id, code in session.execute(
        select(RecordLanguage.record_id, RecordLanguage.code).where(
            where(RecordLanguage.record_id))
    ):
        drafts[record_id].facets.append(facet("g", code))
    for record_id, heading in session.execute(
        select(RecordSubject.record_id, Subject.heading)
        .join(Subject, Subject.id == RecordSubject.subject_id)
        .where(where(RecordSubject.record_id))
    ):
        drafts[record_id].other.append(heading)
    for record_id, word in session.execute(
        select(RecordKeyword.record_id, Keyword.word)
        .join(Keyword, Keyword.id == RecordKeyword.keyword_id)
        .where(where(RecordKeyword.record_id))
    ):
        drafts[record_id].other.append(word)
    for record_id, barcode, location in session.execute(
        select(Copy.record_id, Copy.barcode, Copy.location_code).where(where(Copy.record_id))
    ):
        draft = drafts[record_id]
        draft.codes.append(_code(barcode))
        if location:
            draft.facets.append(facet("p", location))
    open_loan = (Loan.copy_id == Copy.id) & Loan.returned_at.is_(None)
    for record_id, available in session.execute(
        select(Copy.record_id, func.count(Copy.id))
        .outerjoin(Loan, open_loan)
        .where(where(Copy.record_id), Copy.status == CopyStatus.AVAILABLE, Loan.id.is_(None))
        .group_by(Copy.record_id)
    ):
        drafts[record_id].available = available
    return list(_assemble(session, where, drafts))


def _assemble(session: Session, where: Where,
              drafts: dict[int, _Draft]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for row in session.execute(
        select(Record.id, Record.title, Record.subtitle, Record.part_name,
               Record.responsibility, Record.publisher, Record.series, Record.isbn13,
               Record.ean, Record.media_type, Record.audience, Record.cefr_level, Record.year,
               Record.created_at)
        .where(where(Record.id))
    ):
        draft = drafts.get(row.id) or _Draft()
        facets = [facet("m", row.media_type), facet("a", row.audience), *draft.facets]
        if row.cefr_level:
            facets.append(facet("c", row.cefr_level))
        if draft.available:
            facets.append(AVAILABLE_FACET)
        other = [row.publisher, row.series, *draft.other]
        codes = [_code(code) for code in (row.isbn13, row.ean) if code]
        keys = {
            "record_id": row.id,
            "title": _keys(row.title, row.subtitle, row.part_name),
            "people": _keys(row.responsibility, *draft.people),
            "other": " ".join((_keys(*other), *codes, *draft.codes)).strip(),
            "facets": " ".join(dict.fromkeys(facets)),
        }
        projection = {
            "record_id": row.id, "media_type": row.media_type, "audience": row.audience,
            "cefr_level": row.cefr_level, "sort_title": sort_key(row.title)[:SORT_LENGTH],
            "sort_author": draft.first_person, "sort_year": row.year or 0,
            "created_at": row.created_at, "available": draft.available,
        }
        yield projection, keys


def _code(code: str) -> str:
    """Barcodes and ISBNs are digits, which need no folding; a legacy code may not be."""
    return code if code.isdigit() and code.isascii() else " ".join(search_keys(code))


def _keys(*parts: str | None) -> str:
    return " ".join(dict.fromkeys(key for part in parts if part for key in search_keys(part)))

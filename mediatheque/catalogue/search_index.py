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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Table, delete, func, select, text
from sqlalchemy.orm import Session

from mediatheque.bulk_insert import indexes_built_afterwards, insert_rows
from mediatheque.bulk_work import bulk_work
from mediatheque.catalogue.normalise import (
    keys_of_words,
    search_keys,
    sort_key,
    sort_words,
    words,
)
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
# FTS5 merges the segments of a level once it has `automerge` of them (its default: 4).
# While entries go in by the hundred thousand it merges four times less often: 200,000
# entries written in 2.7 s instead of 3.6 s, searches as fast afterwards (0.08 ms).
_AUTOMERGE, _AUTOMERGE_IN_BULK = 4, 16

_FTS_INSERT = (
    f"INSERT INTO {FTS_TABLE} (rowid, title, people, other, facets) VALUES (?, ?, ?, ?, ?)"
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


# (record_id, title, people, other, facets): a row of the FTS5 table.
_Keys = tuple[int, str, str, str, str]


def is_engine_index_table(name: str) -> bool:
    return any(name == table or name.startswith(table + "_") for table in ENGINE_INDEX_TABLES)


class RecordTexts(NamedTuple):
    """A record's words for the index (its keys by weight, its sort values), found from its
    own values alone: the same from its rows as from an import's record in memory, which a
    worker process may find while the importer writes."""

    title: str
    people: str
    other: str
    sort_title: str
    sort_author: str


# (record_search row, record_fts row): one record's entry.
Entry = tuple[dict[str, Any], _Keys]
# A record's columns by name: a dict, or a row read with .mappings().
Values = Mapping[Any, Any]


def record_texts(values: Values, people: Sequence[str],
                 others: Iterable[str]) -> RecordTexts:
    """`values`: the record's columns (title, subtitle, part_name, responsibility,
    publisher, series); `people`: its contributors' names ("surname forenames") in order;
    `others`: its subject headings and keywords, any order."""
    # A title is seldom seen twice: its words are found once, for its keys and its sort.
    title_words = words(values["title"])
    return RecordTexts(
        _title_keys(title_words, values["subtitle"], values["part_name"]),
        _keys(values["responsibility"], *people),
        # Sorted: the same order from the rows (by id) as from a record in memory.
        _keys(values["publisher"], values["series"], *sorted(others)),
        sort_words(title_words)[:SORT_LENGTH],
        _person_sort_key(people[0]) if people else "",
    )


def index_entry(record_id: int, texts: RecordTexts, values: Values, *,
                languages: Iterable[str], copies: Iterable[tuple[str, str | None]],
                available: int) -> Entry:
    """The entry of one record: `values` its columns (isbn13, ean, media_type, audience,
    cefr_level, year, created_at), `copies` (barcode, location code) in the order of their
    ids, `available` how many copies are on the shelf now."""
    facets = [facet("m", values["media_type"]), facet("a", values["audience"]),
              *(facet("g", code) for code in languages)]
    codes = [_code(code) for code in (values["isbn13"], values["ean"]) if code]
    for barcode, location in copies:
        codes.append(_code(barcode))
        if location:
            facets.append(facet("p", location))
    cefr_level = values["cefr_level"]
    if cefr_level:
        facets.append(facet("c", cefr_level))
    if available:
        facets.append(AVAILABLE_FACET)
    keys = (record_id, texts.title, texts.people,
            " ".join((texts.other, *codes)).strip(), " ".join(dict.fromkeys(facets)))
    projection = {
        "record_id": record_id, "media_type": values["media_type"],
        "audience": values["audience"], "cefr_level": cefr_level,
        "sort_title": texts.sort_title, "sort_author": texts.sort_author,
        "sort_year": values["year"] or 0, "created_at": values["created_at"],
        "available": available,
    }
    return projection, keys


@dataclass(slots=True)
class _Draft:
    """What the rows tell about one record while its entry is being assembled."""

    people: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # subject headings and keywords
    languages: list[str] = field(default_factory=list)
    copies: list[tuple[str, str | None]] = field(default_factory=list)
    available: int = 0


def index_records(session: Session, record_ids: Iterable[int], *, new: bool = False) -> None:
    """(Re)indexes these records from their rows; ids of deleted records are unindexed.
    `new`: records just inserted, never indexed (nothing to remove first)."""
    ids = sorted(set(record_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        if not new:
            _remove(session, chunk)
        write_entries(session, _entries(session, _among(chunk)))


def unindex_records(session: Session, record_ids: Iterable[int]) -> None:
    ids = sorted(set(record_ids))
    for start in range(0, len(ids), BATCH):
        _remove(session, ids[start:start + BATCH])


@contextmanager
def entries_in_bulk(session: Session) -> Iterator[None]:
    """While many entries are written in the caller's transaction: FTS5 merges its
    segments less often, then as usual again. Nothing to do on PostgreSQL."""
    sqlite = _dialect(session) == "sqlite"
    if sqlite:
        _set_automerge(session, _AUTOMERGE_IN_BULK)
    yield
    if sqlite:
        _set_automerge(session, _AUTOMERGE)


def _set_automerge(session: Session, segments: int) -> None:
    session.execute(text(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) "
                         f"VALUES ('automerge', {int(segments)})"))


@bulk_work()
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
    with indexes_built_afterwards(session.connection(), [_TABLE]), entries_in_bulk(session):
        for start in range(0, len(ids), BATCH):
            if cancelled is not None and cancelled():
                raise SearchIndexCancelled(done=start, total=len(ids))
            low, high = ids[start], ids[min(start + BATCH, len(ids)) - 1]
            write_entries(session, _entries(session, _between(low, high)))
            if progress is not None:
                progress(min(start + BATCH, len(ids)), len(ids))
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
    connection = session.connection()
    table, column = (FTS_TABLE, "rowid") if _dialect(session) == "sqlite" else (TSV_TABLE,
                                                                                "record_id")
    if _contiguous(ids):
        condition = f"BETWEEN {int(ids[0])} AND {int(ids[-1])}"
    else:
        condition = "IN ({})".format(", ".join(str(int(record_id)) for record_id in ids))
    connection.exec_driver_sql(f"DELETE FROM record_search WHERE record_id {condition}")
    connection.exec_driver_sql(f"DELETE FROM {table} WHERE {column} {condition}")


def write_entries(session: Session, entries: list[Entry]) -> None:
    """Adds entries for records not in the index yet (an import's new records)."""
    if not entries:
        return
    connection = session.connection()
    insert_rows(connection, _TABLE, [projection for projection, _ in entries])
    if _dialect(session) == "sqlite":
        # Straight to the driver: these are plain strings, and FTS5 rows are many.
        connection.exec_driver_sql(_FTS_INSERT, [keys for _, keys in entries])
    else:
        connection.execute(_TSV_INSERT, [
            {"record_id": record_id, "title": title, "people": people, "other": other}
            for _, (record_id, title, people, other, _facets) in entries
        ])


Where = Callable[[Any], ColumnElement[bool]]
_TABLE: Table = RecordSearch.__table__  # type: ignore[assignment]


def _contiguous(ids: list[int]) -> bool:
    """Sorted, distinct ids with no gap (an import's new records, one record): a range
    selects the same rows as the list, without binding thousands of parameters."""
    return ids[-1] - ids[0] == len(ids) - 1


def _among(ids: list[int]) -> Where:
    if _contiguous(ids):
        return _between(ids[0], ids[-1])
    return lambda column: column.in_(ids)


def _between(low: int, high: int) -> Where:
    return lambda column: column.between(low, high)


def _entries(session: Session, where: Where) -> list[Entry]:
    """The entries of the records whose id satisfies `where`, from their rows."""
    drafts: dict[int, _Draft] = defaultdict(_Draft)
    connection = session.connection()  # Core rows, without the ORM's result machinery
    for record_id, surname, forenames in connection.execute(
        select(Contribution.record_id, Contributor.surname, Contributor.forenames)
        .join(Contributor, Contributor.id == Contribution.contributor_id)
        .where(where(Contribution.record_id))
        .order_by(Contribution.record_id, Contribution.position)
    ).all():
        drafts[record_id].people.append(person_name(surname, forenames))
    for record_id, code in connection.execute(
        select(RecordLanguage.record_id, RecordLanguage.code)
        .where(where(RecordLanguage.record_id))
        .order_by(RecordLanguage.record_id, RecordLanguage.position)
    ).all():
        drafts[record_id].languages.append(code)
    for record_id, heading in connection.execute(
        select(RecordSubject.record_id, Subject.heading)
        .join(Subject, Subject.id == RecordSubject.subject_id)
        .where(where(RecordSubject.record_id))
    ).all():
        drafts[record_id].others.append(heading)
    for record_id, word in connection.execute(
        select(RecordKeyword.record_id, Keyword.word)
        .join(Keyword, Keyword.id == RecordKeyword.keyword_id)
        .where(where(RecordKeyword.record_id))
    ).all():
        drafts[record_id].others.append(word)
    for record_id, barcode, location in connection.execute(
        select(Copy.record_id, Copy.barcode, Copy.location_code)
        .where(where(Copy.record_id)).order_by(Copy.record_id, Copy.id)
    ).all():
        drafts[record_id].copies.append((barcode, location))
    open_loan = (Loan.copy_id == Copy.id) & Loan.returned_at.is_(None)
    for record_id, available in connection.execute(
        select(Copy.record_id, func.count(Copy.id))
        .outerjoin(Loan, open_loan)
        .where(where(Copy.record_id), Copy.status == CopyStatus.AVAILABLE, Loan.id.is_(None))
        .group_by(Copy.record_id)
    ).all():
        drafts[record_id].available = available
    empty = _Draft()
    entries = []
    for row in connection.execute(
        select(Record.id, Record.title, Record.subtitle, Record.part_name,
               Record.responsibility, Record.publisher, Record.series, Record.isbn13,
               Record.ean, Record.media_type, Record.audience, Record.cefr_level, Record.year,
               Record.created_at)
        .where(where(Record.id))
    ).mappings().all():
        draft = drafts.get(row["id"], empty)
        entries.append(index_entry(
            row["id"], record_texts(row, draft.people, draft.others), row,
            languages=draft.languages, copies=draft.copies, available=draft.available))
    return entries


def person_name(surname: str, forenames: str | None) -> str:
    """A contributor's name as the index reads it."""
    return f"{surname} {forenames or ''}"


@lru_cache(maxsize=20_000)  # the same people write many books
def _person_sort_key(name: str) -> str:
    return sort_key(name)[:SORT_LENGTH]


def _code(code: str) -> str:
    """Barcodes and ISBNs are digits, which need no folding; a legacy code may not be."""
    return code if code.isdigit() and code.isascii() else " ".join(search_keys(code))


def _keys(*parts: str | None) -> str:
    return " ".join(dict.fromkeys(key for part in parts if part for key in search_keys(part)))


def _title_keys(title_words: list[str], *others: str | None) -> str:
    """`_keys(title, *others)`, from the title's words already found."""
    found = dict.fromkeys(keys_of_words(title_words))
    for part in others:
        if part:
            found.update(dict.fromkeys(search_keys(part)))
    return " ".join(found)

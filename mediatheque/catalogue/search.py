"""Catalogue search as you type, with filters, counts, sorting and pages (DESIGN.md §3).

What a person types is never handed to MATCH or to_tsquery as it is: it is cut into search
keys (mediatheque.catalogue.normalise) — letters and digits only — each key quoted, the
last one a prefix, all of them required (AND). So `"`, `*`, `NEAR(`, `AND`, `-`, `col:` are
only words or nothing. Text without any word browses, like empty text.

SQLite matches in the FTS5 table, filters other than availability included (as facet
tokens), so counting a broad match needs no join; PostgreSQL matches the GIN-indexed
tsvector, which holds the filters too (migration 0008), and checks the filters most
records pass row by row. Browsing without text walks the indexes of `record_search` in
the order asked. Counts stop COUNT_LIMIT beyond the page ("more than …") on both engines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from weakref import WeakKeyDictionary

import isbnlib
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from mediatheque.catalogue.normalise import search_keys
from mediatheque.catalogue.search_index import (
    AVAILABLE_FACET,
    ENGINE_INDEX_TABLES,
    FTS_TABLE,
    TSV_TABLE,
    facet,
    index_records,
    is_engine_index_table,
    rebuild_search_index,
    unindex_records,
)
from mediatheque.errors import InvalidValue
from mediatheque.models import Contribution, Contributor, Copy, Loan, Record, RecordLanguage
from mediatheque.models.vocabulary import ContributorRole, CopyStatus

__all__ = [
    "COUNT_LIMIT",
    "ENGINE_INDEX_TABLES",
    "SearchFilters",
    "SearchHit",
    "SearchPage",
    "SortKey",
    "index_records",
    "is_engine_index_table",
    "page_json",
    "rebuild_search_index",
    "search_keys_of_query",
    "search_records",
    "unindex_records",
]

MAX_QUERY_CHARS = 1000
MAX_QUERY_KEYS = 8
MAX_LIMIT = 1000
# Matches are counted up to this many beyond the page's offset ("more than 1,000
# records"): an exact count of a common prefix or a broad filter costs PostgreSQL a visit
# to every matching row, tens of milliseconds on a large catalogue.
COUNT_LIMIT = 1000
_ISBN_TYPED = re.compile(r"^(?:\d{9}[\dXx]|\d{13})$")


@dataclass(frozen=True)
class SearchFilters:
    media_type: str | None = None
    language: str | None = None  # ISO 639-2/B; any language of the record
    audience: str | None = None
    cefr_level: str | None = None
    location: str | None = None  # code; the record has a copy there
    available_only: bool = False  # a copy available on the shelf now


class SortKey(StrEnum):
    RELEVANCE = "relevance"  # best first (the `descending` flag is ignored); browse: title
    TITLE = "title"
    AUTHOR = "author"
    YEAR = "year"
    NEWEST = "newest"  # last catalogued first; `descending` turns it to oldest first


@dataclass(frozen=True)
class SearchHit:
    record_id: int
    title: str
    subtitle: str | None
    authors: str  # "Surname, F ; Surname, F"
    year: int | None
    isbn: str | None
    media_type: str
    language: str | None
    copies: int
    available: int  # copies with status available and no open loan


@dataclass(frozen=True)
class SearchPage:
    """`total` is exact when `total_exact`; otherwise there are more matches than that
    (counting stops at `offset` + the count limit of `search_records`)."""

    total: int
    hits: tuple[SearchHit, ...]
    offset: int
    total_exact: bool = True


def search_keys_of_query(query: str) -> list[str]:
    """The keys searched for: an ISBN typed with hyphens or as ISBN-10 becomes one
    ISBN-13 key; very long input is cut to a sane number of keys."""
    query = query[:MAX_QUERY_CHARS]
    compact = re.sub(r"[\s\-‐‑–]", "", query)
    if _ISBN_TYPED.match(compact):
        return [isbnlib.to_isbn13(compact) or compact.lower()] if len(compact) == 10 \
            else [compact]
    return search_keys(query)[:MAX_QUERY_KEYS]


def search_records(
    session: Session,
    text_: str,
    *,
    filters: SearchFilters = SearchFilters(),
    sort: SortKey = SortKey.RELEVANCE,
    descending: bool = False,
    offset: int = 0,
    limit: int = 50,
    count_limit: int | None = None,
) -> SearchPage:
    """One page of the records matching `text_` (all of its words, the last one as a prefix)
    and the filters, with the number of matches: exact up to `offset + count_limit`
    (COUNT_LIMIT by default; at least the page's `limit`), beyond that that number with
    `total_exact` false — on both engines; scrolling further counts further. Empty text
    browses."""
    if offset < 0:
        raise InvalidValue("offset", str(offset))
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidValue("limit", str(limit))
    if count_limit is None:
        count_limit = COUNT_LIMIT
    if count_limit < 1:
        raise InvalidValue("count_limit", str(count_limit))
    keys = search_keys_of_query(text_)
    sort = SortKey(sort)
    if sort == SortKey.RELEVANCE and not keys:
        sort = SortKey.TITLE
    plan = _sqlite_page if _dialect(session) == "sqlite" else _postgresql_page
    cap = offset + max(count_limit, limit)
    total, ids = plan(session, _Request(keys, filters, sort, descending, offset, limit, cap))
    return SearchPage(total=min(total, cap), hits=tuple(_hits(session, ids)), offset=offset,
                      total_exact=total <= cap)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# FTS5's bm25 reads the whole list of every word searched (a prefix, a filter) to weigh it,
# tens of milliseconds for common ones: up to this many matches they are ranked here
# instead (`relevance`); beyond, "every word in the title" first, then the others, each
# by record id (FTS5 reads that order directly).
RANK_LIMIT = 1000
# Beyond this many matches, a page sorted by title, author, year or date is read along the
# index of that column (checking each row against the matches) rather than sorted.
SORT_IN_INDEX_FROM = 8000
_SORT_COLUMNS = {
    SortKey.TITLE: ("rs.sort_title", "ix_record_search_sort_title"),
    SortKey.AUTHOR: ("rs.sort_author", "ix_record_search_sort_author"),
    SortKey.YEAR: ("rs.sort_year", "ix_record_search_sort_year"),
    SortKey.NEWEST: ("rs.created_at", "ix_record_search_created_at"),
}
_PAGE = " LIMIT :limit OFFSET :offset"


def _order(sort: SortKey, descending: bool) -> tuple[str, str]:
    """ORDER BY text and the index that gives that order."""
    column, index = _SORT_COLUMNS[sort]
    if sort == SortKey.NEWEST:
        descending = not descending
    direction = " DESC" if descending else ""
    return f"{column}{direction}, rs.record_id{direction}", index


Page = tuple[int, list[int]]


@dataclass(frozen=True)
class _Request:
    keys: list[str]
    filters: SearchFilters
    sort: SortKey
    descending: bool
    offset: int
    limit: int
    count_cap: int  # the count reported is at most this (the plan may count more)


def _sqlite_page(session: Session, request: _Request) -> Page:
    keys, filters, sort = request.keys, request.filters, request.sort
    descending, offset, limit = request.descending, request.offset, request.limit
    words = " AND ".join(_quoted(keys)) if keys else ""
    facets = " AND ".join(f'"{token}"' for token in _facets(filters))
    parts = ([f"{{title people other}} : ({words})"] if words else []) + (
        [f"facets : ({facets})"] if facets else [])
    match = " AND ".join(parts)
    page = {"limit": limit, "offset": offset}

    def ids(sql: str, **params: Any) -> list[int]:
        return list(session.execute(text(sql), {**page, **params}).scalars())

    if not match:
        total = int(session.execute(text("SELECT count(*) FROM record_search")).scalar_one())
        order, _ = _order(sort, descending)
        return total, ids(f"SELECT rs.record_id FROM record_search rs ORDER BY {order}{_PAGE}")
    matching = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match"
    total = int(session.execute(text(f"SELECT count(*) FROM ({matching})"),
                                {"match": match}).scalar_one())
    if total <= offset:
        return total, []
    if sort == SortKey.RELEVANCE and total <= RANK_LIMIT:
        rows = session.execute(text(
            f"SELECT rowid, title, people FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match"
        ), {"match": match}).all()
        ranked = sorted(rows, key=lambda row: (-relevance(keys, row.title, row.people),
                                               row.rowid))
        return total, [row.rowid for row in ranked[offset:offset + limit]]
    if sort == SortKey.RELEVANCE:
        in_title = " AND ".join([f"{{title}} : ({words})", *parts[1:]])
        return total, _tiers(session, matching, (in_title, f"({match}) NOT ({in_title})"),
                             offset, limit)
    order, index = _order(sort, descending)
    if not words and total >= SORT_IN_INDEX_FROM:
        # Browsing with broad filters: the index order, checking the filters row by row,
        # meets a page of matches quickly.
        conditions, params = _conditions(filters)
        return total, ids(f"SELECT rs.record_id FROM record_search rs INDEXED BY {index} "
                          f"WHERE {' AND '.join(conditions)} ORDER BY {order}{_PAGE}",
                          **params)
    if total < SORT_IN_INDEX_FROM:
        return total, ids(
            f"SELECT rs.record_id FROM {FTS_TABLE} JOIN record_search rs "
            f"ON rs.record_id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH :match "
            f"ORDER BY {order}{_PAGE}", match=match)
    return total, ids(
        f"SELECT rs.record_id FROM record_search rs INDEXED BY {index} "
        f"WHERE rs.record_id IN ({matching}) ORDER BY {order}{_PAGE}", match=match)


def relevance(keys: list[str], title: str, people: str) -> int:
    """How well a record's title and people keys answer the searched keys (the last one a
    prefix): words in the title count most, the whole title typed most of all."""
    title_words, people_words = title.split(), people.split()
    score = 0
    in_title = 0
    for position, key in enumerate(keys):
        prefix = position == len(keys) - 1
        if _has(title_words, key, prefix):
            score += 3
            in_title += 1
        elif _has(people_words, key, prefix):
            score += 2
        if prefix and (key in title_words or key in people_words):
            score += 1  # a finished word beats the beginning of a longer one
    if in_title == len(keys):
        score += 2
        if title_words == keys:
            score += 3
    return score


def _has(words: list[str], key: str, prefix: bool) -> bool:
    return key in words or (prefix and any(word.startswith(key) for word in words))


def _tiers(session: Session, matching: str, tiers: tuple[str, str], offset: int,
           limit: int) -> list[int]:
    """A page of [matches of the first] + [matches of the second], each by record id."""
    first, rest = tiers
    first_total = int(session.execute(text(f"SELECT count(*) FROM ({matching})"),
                                      {"match": first}).scalar_one())
    found: list[int] = []
    sql = text(f"{matching} ORDER BY rowid{_PAGE}")
    if offset < first_total:
        found += session.execute(sql, {"match": first, "limit": limit,
                                       "offset": offset}).scalars()
    if len(found) < limit:
        found += session.execute(sql, {"match": rest, "limit": limit - len(found),
                                       "offset": max(0, offset - first_total)}).scalars()
    return found


def _facets(filters: SearchFilters) -> list[str]:
    tokens = [facet(kind, value) for kind, value in (
        ("m", filters.media_type), ("g", filters.language), ("a", filters.audience),
        ("c", filters.cefr_level), ("p", filters.location),
    ) if value]
    return tokens + ([AVAILABLE_FACET] if filters.available_only else [])


def _quoted(keys: list[str]) -> list[str]:
    phrases = ['"' + key.replace('"', '""') + '"' for key in keys]
    phrases[-1] += "*"
    return phrases


def _postgresql_page(session: Session, request: _Request) -> Page:
    keys, filters, sort = request.keys, request.filters, request.sort
    params: dict[str, Any] = {"limit": request.limit, "offset": request.offset,
                              # Counting stops one beyond what is reported or ranked: an
                              # exact count of a common prefix or a broad filter visits
                              # tens of thousands of rows.
                              "count_to": max(request.count_cap, RANK_LIMIT) + 1}
    if keys:
        # The words and the filters (facets, migration 0008) are one GIN lookup.
        terms = [f"'{key}'" for key in keys]  # keys are letters and digits only
        terms[-1] += ":*"
        params["words"] = " & ".join(terms)
        query = "to_tsquery('simple', :words)"
        # A filter most records pass (books, French, on the shelf) costs the GIN lookup a
        # long list to intersect: it is checked row by row instead, on the few matches
        # of the words. The others narrow the lookup itself.
        broad = _broad_facets(session)
        facets = [f"'={token}'" for token in _facets(filters)]  # [a-z0-9] only
        narrow = [facet for facet in facets if facet.strip("'") not in broad]
        checked = [facet for facet in facets if facet.strip("'") in broad]
        if narrow:
            params["narrow"] = " & ".join(narrow)
            query += " && CAST(:narrow AS tsquery)"
        matches = f"SELECT t.record_id FROM {TSV_TABLE} t WHERE t.document @@ ({query})"
        if checked:
            params["checked"] = " & ".join(checked)
            matches += " AND ts_match_vq(t.document, CAST(:checked AS tsquery))"
    else:
        # Browsing: the narrow record_search, whose indexes answer broad filters and
        # selective ones alike (planner's choice), and give the sort order.
        conditions, condition_params = _conditions(filters)
        params.update(condition_params)
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        matches = f"SELECT rs.record_id FROM record_search rs{where}"
    total = int(session.execute(text(
        f"SELECT count(*) FROM ({matches} LIMIT :count_to) AS counted"), params).scalar_one())
    if total <= request.offset:
        return total, []
    if sort == SortKey.RELEVANCE:
        # Up to RANK_LIMIT matches are ranked; beyond, by record (like each tier on SQLite).
        order = ("ts_rank(t.document, to_tsquery('simple', :words)) DESC, t.record_id"
                 if total <= RANK_LIMIT else "t.record_id")
        sql = f"{matches} ORDER BY {order}{_PAGE}"
    elif keys:
        # The matches first (walking the sort index instead, checking each row, may pass
        # most of the catalogue when they sort late: Cyrillic titles come last), then
        # their sort keys one by one (OFFSET 0: not a hash of all of record_search).
        order, _ = _order(sort, request.descending)
        sql = (f"WITH m AS MATERIALIZED ({matches}) SELECT rs.record_id FROM m "
               "CROSS JOIN LATERAL (SELECT * FROM record_search r "
               "WHERE r.record_id = m.record_id OFFSET 0) AS rs "
               f"ORDER BY {order}{_PAGE}")
    else:
        order, _ = _order(sort, request.descending)
        sql = f"{matches} ORDER BY {order}{_PAGE}"
    return total, list(session.execute(text(sql), params).scalars())


# Facets found in more than this share of the records are "broad" (PostgreSQL's own
# statistics of the tsvector column, read again every _BROAD_REFRESH searches).
_BROAD_SHARE = 0.25
_BROAD_REFRESH = 1000
_broad: WeakKeyDictionary[Engine, tuple[int, frozenset[str]]] = WeakKeyDictionary()


def _broad_facets(session: Session) -> frozenset[str]:
    """The facet lexemes ('=m626f6f6b') on more than _BROAD_SHARE of the records, as far
    as ANALYZE knows; only speed depends on it, never the answers."""
    engine = session.get_bind().engine
    uses, found = _broad.get(engine, (0, frozenset()))
    if uses % _BROAD_REFRESH == 0:
        row = session.execute(text(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            f"WHERE tablename = '{TSV_TABLE}' AND attname = 'document'")).first()
        elements, shares = (row[0] or [], row[1] or []) if row is not None else ([], [])
        found = frozenset(element for element, share in zip(elements, shares, strict=False)
                          if element.startswith("=") and share > _BROAD_SHARE)
    _broad[engine] = (uses + 1, found)
    return found


def _conditions(filters: SearchFilters) -> tuple[list[str], dict[str, Any]]:
    """The filters as conditions on `record_search rs`."""
    conditions: list[str] = []
    params: dict[str, Any] = {}
    for name in ("media_type", "audience", "cefr_level"):
        value = getattr(filters, name)
        if value:
            conditions.append(f"rs.{name} = :{name}")
            params[name] = value
    if filters.language:
        conditions.append("EXISTS (SELECT 1 FROM record_language WHERE code = :language "
                          "AND record_id = rs.record_id)")
        params["language"] = filters.language
    if filters.location:
        conditions.append("EXISTS (SELECT 1 FROM copy WHERE location_code = :location "
                          "AND record_id = rs.record_id)")
        params["location"] = filters.location
    if filters.available_only:
        conditions.append("rs.available > 0")
    return conditions, params


def _hits(session: Session, ids: list[int]) -> list[SearchHit]:
    if not ids:
        return []
    first_language = (select(RecordLanguage.code).where(RecordLanguage.record_id == Record.id)
                      .order_by(RecordLanguage.position).limit(1).scalar_subquery())
    copies = select(func.count(Copy.id)).where(Copy.record_id == Record.id).scalar_subquery()
    open_loan = select(Loan.id).where(Loan.copy_id == Copy.id, Loan.returned_at.is_(None))
    available = (select(func.count(Copy.id))
                 .where(Copy.record_id == Record.id, Copy.status == CopyStatus.AVAILABLE,
                        ~open_loan.exists())
                 .scalar_subquery())
    records = {row.id: row for row in session.execute(
        select(Record.id, Record.title, Record.subtitle, Record.year, Record.isbn13,
               Record.media_type, first_language.label("language"),
               copies.label("copies"), available.label("available"))
        .where(Record.id.in_(ids))
    )}
    people: dict[int, list[tuple[str, str, str | None]]] = {}
    for record_id, role, surname, forenames in session.execute(
        select(Contribution.record_id, Contribution.role, Contributor.surname,
               Contributor.forenames)
        .join(Contributor, Contributor.id == Contribution.contributor_id)
        .where(Contribution.record_id.in_(ids))
        .order_by(Contribution.record_id, Contribution.position)
    ):
        people.setdefault(record_id, []).append((role, surname, forenames))
    hits = []
    for record_id in ids:
        row = records.get(record_id)
        if row is None:  # deleted since it was indexed
            continue
        hits.append(SearchHit(
            record_id=record_id, title=row.title, subtitle=row.subtitle,
            authors=authors_line(people.get(record_id, [])), year=row.year,
            isbn=row.isbn13, media_type=row.media_type, language=row.language,
            copies=int(row.copies), available=int(row.available),
        ))
    return hits


def authors_line(people: list[tuple[str, str, str | None]]) -> str:
    """'Hugo, V ; Sartre, J-P' from (role, surname, forenames): the authors, or when a
    record names none, whoever it names."""
    chosen = [p for p in people if p[0] == ContributorRole.AUTHOR] or people
    return " ; ".join(_short_name(surname, forenames) for _, surname, forenames in chosen)


def _short_name(surname: str, forenames: str | None) -> str:
    if not forenames:
        return surname
    initials = " ".join(
        "-".join(part[:1] for part in word.split("-") if part) for word in forenames.split()
    )
    return f"{surname}, {initials}"


def page_json(page: SearchPage) -> dict[str, Any]:
    """`catalogue search --json`: total, offset and results (CLI.md keys first);
    `total_exact` false when there are more matches than `total`."""
    results = [
        {"record_id": hit.record_id, "title": hit.title, "authors": hit.authors,
         "year": hit.year, "isbn": hit.isbn, "copies": hit.copies, "available": hit.available,
         "subtitle": hit.subtitle, "media_type": hit.media_type, "language": hit.language}
        for hit in page.hits
    ]
    return {"total": page.total, "offset": page.offset, "total_exact": page.total_exact,
            "results": results}

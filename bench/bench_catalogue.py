"""Catalogue search and record reading on the demo library (200,000 records, 300,000
copies, 1,000,000 loans at full size).

Targets (issue 3): search p95 ≤ 15 ms for one to three words including a prefix, with any
filter; opening a record with its copies p95 ≤ 20 ms. Each timed call opens its own read
session, as the Catalogue page does. Queries are words of real demo titles and authors,
the last one cut to a prefix as if still being typed.

`--db URL` times an existing demo database instead of the cached SQLite one, e.g. on
PostgreSQL: `python -m bench.run bench_catalogue --db postgresql+psycopg://…/demo200k`
(`python -m bench.bench_catalogue --db URL --no-rebuild` keeps its index as it is).
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import func, select

from bench.common import bench_parser, demo_database, open_url, size_for, timed
from mediatheque.catalogue.normalise import words
from mediatheque.catalogue.reading import record_detail
from mediatheque.catalogue.search import SearchFilters, SortKey, search_records
from mediatheque.catalogue.search_index import rebuild_search_index
from mediatheque.db import Database
from mediatheque.models import Contribution, Contributor, Location, Record

FILTERS = (
    SearchFilters(media_type="book"),
    SearchFilters(language="rus"),
    SearchFilters(language="fre", media_type="comic"),
    SearchFilters(audience="children"),
    SearchFilters(available_only=True),
    SearchFilters(media_type="book", language="fre", available_only=True),
)


def main(argv: Sequence[str] | None = None) -> None:
    parser = bench_parser(__doc__ or "")
    parser.add_argument("--no-rebuild", action="store_true",
                        help="time the search index as it is, without rebuilding it first")
    args = parser.parse_args(argv)
    size = size_for(args.quick)
    repeat = 20 if args.quick else 200
    database = open_url(args.db) if args.db else demo_database(size)[0]
    print(f"database: {database.dialect}", flush=True)
    try:
        if not args.no_rebuild:
            _rebuild(database)
        rng = random.Random(7)
        samples = _samples(database, rng, 400)
        one = [_prefix(rng, title) for title, _ in samples]
        two = [f"{_word(rng, title)} {_prefix(rng, author)}" for title, author in samples]
        three = [f"{_word(rng, title)} {_word(rng, author)} {_prefix(rng, title)}"
                 for title, author in samples]
        locations = _locations(database)
        filters = [*FILTERS, *(SearchFilters(location=code) for code in locations[:3])]
        _search("search 1 word (prefix)", database, one, [SearchFilters()], repeat)
        _search("search 2 words", database, two, [SearchFilters()], repeat)
        _search("search 3 words", database, three, [SearchFilters()], repeat)
        _search("search 1-3 words, filtered", database, one + two + three, filters, repeat)
        _search("search 1-3 words, sorted by title", database, one + two + three,
                [SearchFilters()], repeat, sort=SortKey.TITLE)
        _search("browse, filtered, by title", database, [""], filters, repeat,
                sort=SortKey.TITLE)
        _search("browse, filtered, newest", database, [""], filters, repeat,
                sort=SortKey.NEWEST)
        _search("browse page 100 by author", database, [""], [SearchFilters()], repeat,
                sort=SortKey.AUTHOR, offset=5000)
        ids = _record_ids(database, rng, 400)
        cycle = itertools.cycle(ids)
        timed("record_detail with copies",
              lambda: _in_session(database, lambda s: record_detail(s, next(cycle))),
              repeat=repeat)
    finally:
        database.dispose()


def _rebuild(database: Database) -> None:
    with database.write() as session:
        started = time.perf_counter()
        count = rebuild_search_index(session)
    print(f"rebuild_search_index: {count} records in {time.perf_counter() - started:.1f} s",
          flush=True)


def _search(name: str, database: Database, queries: list[str],
            filters: list[SearchFilters], repeat: int, **options: Any) -> None:
    cases = itertools.cycle(list(itertools.product(queries, filters)))
    totals: list[int] = []

    def run() -> None:
        query, chosen = next(cases)
        page = _in_session(database, lambda s: search_records(s, query, filters=chosen,
                                                             **options))
        totals.append(page.total)

    timed(name, run, repeat=repeat)
    ordered = sorted(totals)
    print(f"    matches: median {ordered[len(ordered) // 2]}, max {ordered[-1]}", flush=True)


def _in_session(database: Database, work: Callable[[Any], Any]) -> Any:
    with database.read() as session:
        return work(session)


def _samples(database: Database, rng: random.Random, count: int) -> list[tuple[str, str]]:
    with database.read() as session:
        top = session.scalar(select(func.max(Record.id))) or 1
        ids = [rng.randint(1, top) for _ in range(count)]
        rows = session.execute(
            select(Record.id, Record.title, Contributor.surname)
            .join(Contribution, Contribution.record_id == Record.id)
            .join(Contributor, Contributor.id == Contribution.contributor_id)
            .where(Record.id.in_(ids), Contribution.position == 0)
        ).all()
    # The same samples on every engine: rows in record order.
    return [(title, surname) for _, title, surname in sorted(rows)]


def _word(rng: random.Random, text: str) -> str:
    found = [word for word in words(text) if len(word) >= 3] or words(text) or ["a"]
    return rng.choice(found)


def _prefix(rng: random.Random, text: str) -> str:
    word = _word(rng, text)
    if len(word) < 3:  # a title of short words only
        return word
    return word[: rng.randint(3, len(word))]


def _locations(database: Database) -> list[str]:
    with database.read() as session:
        return list(session.scalars(select(Location.code).order_by(Location.code)))


def _record_ids(database: Database, rng: random.Random, count: int) -> list[int]:
    with database.read() as session:
        top = session.scalar(select(func.max(Record.id))) or 1
    return [rng.randint(1, top) for _ in range(count)]


if __name__ == "__main__":
    main()

"""Catalogue search gives the same counts and the same pages on SQLite and PostgreSQL, and
counts stop at `offset + count_limit` ("more than …") on both."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text, update
from sqlalchemy.engine import URL

from mediatheque.catalogue import search as search_module
from mediatheque.catalogue.search import (
    SearchFilters,
    SortKey,
    page_json,
    rebuild_search_index,
    search_records,
)
from mediatheque.db import Database, sqlite_url
from mediatheque.demo import generate_demo
from mediatheque.errors import InvalidValue
from mediatheque.models import Copy, Loan, Location, Record
from mediatheque.schema import alembic_config
from mediatheque.startup import open_database
from tests.conftest import NOW
from tests.core.test_search import BOOKS, _catalogue

TODAY = NOW.date()


@pytest.fixture
def catalogue(database: Database) -> tuple[Database, dict[str, int]]:
    with database.write() as session:
        ids = _catalogue(session)
    return database, ids


def test_counting_stops_beyond_the_count_limit(
        catalogue: tuple[Database, dict[str, int]]) -> None:
    database, _ = catalogue
    with database.read() as session:
        exact = search_records(session, "")
        assert (exact.total, exact.total_exact) == (len(BOOKS), True)
        first = search_records(session, "", count_limit=3, limit=2)
        assert (first.total, first.total_exact, len(first.hits)) == (3, False, 2)
        # Scrolling on counts further: offset + count_limit.
        further = search_records(session, "", count_limit=3, offset=3, limit=2)
        assert (further.total, further.total_exact) == (6, False)
        last = search_records(session, "", count_limit=3, offset=8, limit=5)
        assert (last.total, last.total_exact, len(last.hits)) == (len(BOOKS), True, 2)
        # The pages are those of an exact count.
        assert [hit.record_id for hit in further.hits] == [
            hit.record_id for hit in search_records(session, "", offset=3, limit=2).hits]
        # Words and filters alike; a count that reaches the limit exactly is exact.
        hugo = search_records(session, "hugo", count_limit=1, limit=1)
        assert (hugo.total, hugo.total_exact, len(hugo.hits)) == (1, False, 1)
        assert search_records(session, "hugo", count_limit=2, limit=1).total_exact
        # Never less than the page: a count stops at the page's size at least.
        whole = search_records(session, "hugo", count_limit=1, limit=5)
        assert (whole.total, whole.total_exact, len(whole.hits)) == (2, True, 2)
        french = search_records(session, "", filters=SearchFilters(language="fre"),
                                count_limit=4, limit=3)
        assert (french.total, french.total_exact) == (4, False)
        assert page_json(french)["total_exact"] is False
        assert page_json(exact)["total_exact"] is True
        with pytest.raises(InvalidValue):
            search_records(session, "hugo", count_limit=0)


def test_filters_follow_copies_and_loans_after_a_rebuild(
        catalogue: tuple[Database, dict[str, int]]) -> None:
    """On PostgreSQL the filters live in the tsvector (migration 0008): a rebuild, a
    return and a change of status keep them right, with and without words."""
    database, ids = catalogue
    with database.write() as session:
        rebuild_search_index(session)
    available = SearchFilters(available_only=True, language="kaz")

    def found(typed: str, filters: SearchFilters) -> list[int]:
        with database.read() as session:
            return [hit.record_id for hit in search_records(session, typed,
                                                            filters=filters).hits]

    assert found("", available) == found("a", available) == [ids["abai"]]
    with database.write() as session:
        session.execute(update(Loan).where(Loan.record_id == ids["qara"]).values(
            returned_at=NOW))
    assert sorted(found("", available)) == sorted([ids["abai"], ids["qara"]])
    assert found("kara", available) == [ids["qara"]]
    with database.write() as session:
        session.execute(update(Copy).where(Copy.record_id == ids["abai"]).values(
            status="lost"))
    assert found("", available) == [ids["qara"]]
    assert found("abai jol", SearchFilters(available_only=True)) == []
    assert found("abai jol", SearchFilters(location="KAZ", language="kaz")) == [ids["abai"]]
    assert found("abai jol", SearchFilters(location="RUS")) == []


# -- the same answers on both engines -------------------------------------------------


@pytest.fixture
def two_engines(tmp_path: Path, pg_url: URL) -> Iterator[tuple[Database, Database]]:
    """The same small demo library on SQLite and on PostgreSQL."""
    databases = []
    for url, directory in ((sqlite_url(tmp_path / "library.db"), tmp_path / "lite"),
                           (pg_url, tmp_path / "pg")):
        directory.mkdir()
        database = open_database(url, data_dir=directory, now=NOW, busy_timeout=2).database
        with database.write() as session:
            generate_demo(session, records=400, copies_per_record=1.5, members=30, loans=300,
                          seed=3, today=TODAY, now=NOW)
            rebuild_search_index(session)
        databases.append(database)
    try:
        yield databases[0], databases[1]
    finally:
        for database in databases:
            database.dispose()


def _answer(database: Database, typed: str, filters: SearchFilters, sort: SortKey,
            descending: bool, **options: int) -> tuple[int, bool, list[str]]:
    with database.read() as session:
        page = search_records(session, typed, filters=filters, sort=sort,
                              descending=descending, **options)
        # Record ids may differ between engines; what a person sees may not.
        keys = [f"{hit.title}|{hit.authors}|{hit.year}|{hit.copies}|{hit.available}"
                for hit in page.hits]
    return page.total, page.total_exact, keys


@pytest.mark.postgresql
def test_both_engines_give_the_same_pages(two_engines: tuple[Database, Database]) -> None:
    lite, pg = two_engines
    with lite.read() as session:
        titles = list(session.scalars(select(Record.title).order_by(Record.id).limit(40)))
        locations = list(session.scalars(select(Location.code).order_by(Location.code)))
        assert session.execute(text("SELECT count(*) FROM loan")).scalar_one() > 0
    with pg.read() as session:
        assert list(session.scalars(select(Record.title).order_by(Record.id).limit(40))) \
            == titles
    typed = ["", "a", "le", titles[0].split()[-1][:4], " ".join(titles[1].split()[:2]),
             titles[2][:3], "zzzz"]
    filters = [
        SearchFilters(),
        SearchFilters(media_type="book"),
        SearchFilters(language="rus"),
        SearchFilters(language="fre", media_type="comic"),
        SearchFilters(audience="children", available_only=True),
        SearchFilters(available_only=True),
        SearchFilters(cefr_level="B1"),
        *(SearchFilters(location=code) for code in locations[:2]),
    ]
    compared = 0
    for text_, chosen, sort, descending in itertools.product(
            typed, filters, [SortKey.TITLE, SortKey.AUTHOR, SortKey.YEAR, SortKey.NEWEST],
            [False, True]):
        for options in ({"limit": 20}, {"offset": 20, "limit": 7, "count_limit": 30}):
            expected = _answer(lite, text_, chosen, sort, descending, **options)
            assert _answer(pg, text_, chosen, sort, descending, **options) == expected, (
                text_, chosen, sort, descending, options)
            compared += expected[0] > 0
    assert compared > 100  # most of them find something
    # Relevance orders differ (bm25-like tiers on SQLite, ts_rank on PostgreSQL): the
    # same records, the same counts.
    for text_, chosen in itertools.product(typed[1:], filters):
        lite_page = _answer(lite, text_, chosen, SortKey.RELEVANCE, False, limit=1000)
        pg_page = _answer(pg, text_, chosen, SortKey.RELEVANCE, False, limit=1000)
        assert lite_page[:2] == pg_page[:2], (text_, chosen)
        assert sorted(lite_page[2]) == sorted(pg_page[2]), (text_, chosen)


def test_migration_0008_down_and_up_again(catalogue: tuple[Database, dict[str, int]]) -> None:
    """Down to 0007 (PostgreSQL: facets out of the tsvector, triggers gone) and up again
    (facets of the records already there): the same answers."""
    database, ids = catalogue
    cases = [("", SearchFilters(language="kaz", available_only=True)),
             ("a", SearchFilters(location="FLE", cefr_level="A1")),
             ("hugo", SearchFilters(media_type="book", available_only=True)),
             ("alter", SearchFilters())]

    def answers() -> list[list[int]]:
        with database.read() as session:
            return [[hit.record_id for hit in search_records(session, typed,
                                                             filters=chosen).hits]
                    for typed, chosen in cases]

    before = answers()
    assert before[0] == [ids["abai"]] and before[1] == [ids["alter"]]
    for target in ("0007", "head"):
        with database.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            if target == "head":
                command.upgrade(config, target)
            else:
                command.downgrade(config, target)
            if database.dialect == "postgresql":
                facets = connection.execute(text(
                    "SELECT count(*) FROM record_tsv, unnest(document) AS l "
                    "WHERE l.lexeme LIKE '=%'")).scalar_one()
                assert (facets > 0) == (target == "head")
    assert answers() == before


def test_broad_filters_checked_row_by_row_give_the_same_answers(
        catalogue: tuple[Database, dict[str, int]], monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL checks the filters most records pass on each match of the words rather
    than in the GIN lookup (which ones depends on statistics): the answers are the same."""
    database, _ = catalogue
    if database.dialect != "postgresql":
        pytest.skip("PostgreSQL's plan only")
    cases = [(typed, chosen) for typed in ("a", "hugo", "alter", "abai jol", "p")
             for chosen in (SearchFilters(language="fre"), SearchFilters(available_only=True),
                            SearchFilters(media_type="book", language="kaz",
                                          available_only=True),
                            SearchFilters(location="FLE", cefr_level="B1"))]

    def answers() -> list[tuple[int, list[int]]]:
        with database.read() as session:
            pages = [search_records(session, typed, filters=chosen, sort=sort)
                     for typed, chosen in cases for sort in (SortKey.RELEVANCE, SortKey.TITLE)]
        return [(page.total, [hit.record_id for hit in page.hits]) for page in pages]

    monkeypatch.setattr(search_module, "_broad_facets", lambda _session: frozenset())
    in_the_lookup = answers()
    assert sum(total for total, _ in in_the_lookup) > 10
    everything = frozenset("=" + token for typed, chosen in cases
                           for token in search_module._facets(chosen))
    monkeypatch.setattr(search_module, "_broad_facets", lambda _session: everything)
    assert answers() == in_the_lookup
    half = frozenset(sorted(everything)[::2])
    monkeypatch.setattr(search_module, "_broad_facets", lambda _session: half)
    assert answers() == in_the_lookup

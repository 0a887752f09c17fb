"""Member search on a library of 20,000 members (issue 4: p95 ≤ 10 ms).

Queries as typed at the desk: the first letters of a last name, a last name and the
start of a first name, a Cyrillic name typed in Latin letters, a card barcode, the start
of a phone number or an e-mail; and browsing all members page by page. Each timed call
opens its own read session, as the Members page does; the search alone is also timed in
one open session.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.common import DemoSize, demo_database, parse_args, timed
from mediatheque.catalogue.normalise import transliterate, words
from mediatheque.db import Database
from mediatheque.members.search import search_members
from mediatheque.models import Member
from mediatheque.permissions import LOCAL_ADMIN

FULL = DemoSize(records=2_000, copies_per_record=1.0, members=20_000, loans=2_000)
QUICK = DemoSize(records=200, copies_per_record=1.0, members=500, loans=100)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv, __doc__ or "")
    size = QUICK if args.quick else FULL
    repeat = 20 if args.quick else 300
    database, _path = demo_database(size)
    try:
        rng = random.Random(11)
        people = _people(database, rng, 400)
        kinds = {
            "1-3 letters of a last name": [last[:rng.randint(1, 3)] for _f, last, *_ in people],
            "last name + first letters": [f"{last} {first[:2]}" for first, last, *_ in people],
            "Cyrillic name typed in Latin": [
                transliterate(words(last)[0]) if words(last) else last
                for _f, last, *_ in people],
            "card barcode": [barcode for *_n, barcode, _e, _p in people],
            "phone digits": [phone[-7:] for *_n, _b, _e, phone in people if phone] or ["0"],
            "e-mail start": [email[:6] for *_n, _b, email, _p in people if email] or ["a"],
        }
        everything = [query for queries in kinds.values() for query in queries]
        with database.read() as session:
            total = search_members(session, LOCAL_ADMIN, "").total
        print(f"members: {total}", flush=True)
        for name, queries in kinds.items():
            _search(f"search: {name}", database, queries, repeat)
        _search("search: all kinds mixed", database, everything, repeat)
        # The same queries in one open session: the search itself, without the cost of
        # opening a connection (a new one per read session on SQLite).
        for name, queries in (("1-3 letters of a last name",
                               kinds["1-3 letters of a last name"]),
                              ("all kinds mixed", everything)):
            with database.read() as session:
                _in_session(f"search in an open session: {name}", session, queries, repeat)
        offsets = itertools.cycle(range(0, max(1, total - 50), max(1, total // 40)))
        timed("browse all members, a page of 50",
              lambda: _page(database, "", next(offsets)), repeat=repeat)
    finally:
        database.dispose()


def _people(database: Database, rng: random.Random,
            count: int) -> list[tuple[str, str, str, str | None, str | None]]:
    with database.read() as session:
        rows = session.execute(select(Member.first_name, Member.last_name, Member.barcode,
                                      Member.email, Member.phone)).all()
    return [tuple(row) for row in rng.sample(rows, min(count, len(rows)))]  # type: ignore[misc]


def _page(database: Database, query: str, offset: int = 0) -> int:
    with database.read() as session:
        return len(search_members(session, LOCAL_ADMIN, query, offset=offset).rows)


def _in_session(name: str, session: Session, queries: list[str], repeat: int) -> None:
    cycle = itertools.cycle(queries)
    timed(name, lambda: len(search_members(session, LOCAL_ADMIN, next(cycle)).rows),
          repeat=repeat)


def _search(name: str, database: Database, queries: list[str], repeat: int) -> None:
    cycle = itertools.cycle(queries)
    timed(name, lambda: _page(database, next(cycle)), repeat=repeat)


if __name__ == "__main__":
    main()

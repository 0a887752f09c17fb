"""The loan desk services on the demo library (300,000 copies, 1,000,000 loans at full
size): check_out and return_copy, each in its own write transaction with its commit, as the
desk does; also for a member holding 200 current loans; and the member panel.

Target (issue 5): service-level loan and return p95 ≤ 10 ms, also for a member with 200
current loans. The benchmark works on a copy of the cached demo database (the cache is
shared by the other benchmarks and must not change); the copy allows 500 loans a member and
does not block members with overdue copies (nor at the last notice level), so that every
timed loan goes through.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import exists, select, text, update
from sqlalchemy.orm import Session

from bench.common import (
    NOW,
    Timing,
    demo_database,
    open_sqlite,
    parse_args,
    size_for,
    timed,
)
from mediatheque.circulation import check_out, member_panel, return_copy
from mediatheque.circulation.config import CirculationSettings, save_circulation_settings
from mediatheque.db import Database
from mediatheque.models import Copy, Hold, Loan, LoanRule, Member
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.reports.notice_settings import NoticeSettings, save_notice_settings

HEAVY_LOANS = 200


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv, __doc__ or "")
    size = size_for(args.quick)
    repeat = 20 if args.quick else 200
    heavy_loans = 20 if args.quick else HEAVY_LOANS
    cached, cached_path = demo_database(size)
    cached.dispose()
    with tempfile.TemporaryDirectory(prefix="bench-circulation-") as scratch:
        path = Path(scratch) / "desk.db"
        shutil.copyfile(cached_path, path)
        database = open_sqlite(path)
        try:
            _run(database, repeat, heavy_loans, random.Random(11))
        finally:
            database.dispose()


def _run(database: Database, repeat: int, heavy_loans: int, rng: random.Random) -> None:
    with database.write() as session:
        session.execute(update(LoanRule).values(max_loans=500))
        save_circulation_settings(session, CirculationSettings(block_when_overdue=False))
        save_notice_settings(session, NoticeSettings(block_at_last_level=False))
    members, heavy = _members(database, rng)
    copies = _free_copies(database, rng, 2 * repeat + heavy_loans + 10)
    heavy_copies, copies = copies[:heavy_loans], copies[heavy_loans:]
    for barcode in heavy_copies:
        _lend(database, heavy, barcode)
    SERVICE_MS.clear()

    # The floor under every desk action on this machine: a session that opens its
    # connection, BEGIN IMMEDIATE, one tiny write and the fsync'ed commit (synchronous=FULL).
    timed("floor: empty write transaction", lambda: _touch(database), repeat=repeat)
    timed("floor: empty read session", lambda: _read_nothing(database), repeat=repeat)

    plain = iter(copies[:repeat + 1])
    member_cycle = iter(members * (repeat + 2))
    lent: list[str] = []

    def lend_one() -> None:
        barcode = next(plain)
        _lend(database, next(member_cycle), barcode)
        lent.append(barcode)

    SERVICE_MS.clear()
    SERVICE_CPU_MS.clear()
    timed("check_out (own transaction)", lend_one, repeat=repeat)
    _service_timing("check_out", repeat)
    returned = iter(list(lent))
    timed("return_copy (own transaction)", lambda: _return(database, next(returned)),
          repeat=repeat)
    _service_timing("return_copy", repeat)

    for_heavy = iter(copies[repeat + 1:])
    heavy_lent: list[str] = []

    def lend_heavy() -> None:
        barcode = next(for_heavy)
        _lend(database, heavy, barcode)
        heavy_lent.append(barcode)

    timed(f"check_out, member with {heavy_loans}+ loans", lend_heavy, repeat=repeat)
    _service_timing(f"check_out, member with {heavy_loans}+ loans", repeat)
    heavy_returned = iter(list(heavy_lent))
    timed(f"return_copy, member with {heavy_loans}+ loans",
          lambda: _return(database, next(heavy_returned)), repeat=repeat)
    _service_timing(f"return_copy, member with {heavy_loans}+ loans", repeat)

    panel_members = iter(members * (repeat + 2))
    timed("member_panel", lambda: _panel(database, next(panel_members)), repeat=repeat)
    timed(f"member_panel, member with {heavy_loans} loans", lambda: _panel(database, heavy),
          repeat=repeat)


def _touch(database: Database) -> None:
    with database.write() as session:
        session.execute(text("UPDATE setting SET value = value WHERE key = 'library.name'"))


def _read_nothing(database: Database) -> None:
    with database.read() as session:
        session.execute(text("SELECT 1"))


# Durations of the service calls alone (inside the open transaction, after its first
# statement has begun it and loaded the schema): what the service itself costs, apart from
# opening the connection and the fsync'ed commit measured by the floor above.
# The CPU time of the same calls is printed too: on a shared, loaded machine the wall time
# includes waiting for a processor.
SERVICE_MS: list[float] = []
SERVICE_CPU_MS: list[float] = []


def _service(session: Session, call: Callable[[], object]) -> None:
    session.execute(text("SELECT 1 FROM setting LIMIT 1"))
    start, cpu = time.perf_counter(), time.process_time()
    call()
    SERVICE_MS.append((time.perf_counter() - start) * 1000)
    SERVICE_CPU_MS.append((time.process_time() - cpu) * 1000)


def _lend(database: Database, member_id: int, barcode: str) -> None:
    with database.write() as session:
        _service(session, lambda: check_out(session, LOCAL_ADMIN, member_id=member_id,
                                            copy_barcode=barcode, now=NOW))


def _return(database: Database, barcode: str) -> None:
    with database.write() as session:
        _service(session, lambda: return_copy(session, LOCAL_ADMIN, copy_barcode=barcode,
                                              now=NOW))


def _service_timing(name: str, repeat: int) -> None:
    """Prints the last `repeat` service-only durations (those of the timed runs)."""
    print(Timing(f"{name}: service call only", tuple(SERVICE_MS[-repeat:])).line(), flush=True)
    print(Timing(f"{name}: service call only, CPU time", tuple(SERVICE_CPU_MS[-repeat:])).line(),
          flush=True)
    SERVICE_MS.clear()
    SERVICE_CPU_MS.clear()


def _panel(database: Database, member_id: int) -> None:
    with database.read() as session:
        member_panel(session, member_id, now=NOW)


def _members(database: Database, rng: random.Random) -> tuple[list[int], int]:
    """Members whose membership is valid and who are not blocked; one of them the heavy."""
    with database.read() as session:
        ids = list(session.scalars(
            select(Member.id).where(Member.membership_expiry >= NOW.date(),
                                    Member.status == "active").order_by(Member.id)
        ))
    rng.shuffle(ids)
    return ids[1:51], ids[0]


def _free_copies(database: Database, rng: random.Random, count: int) -> list[str]:
    """Available copies, not on loan, of records nobody holds."""
    with database.read() as session:
        barcodes = list(session.scalars(
            select(Copy.barcode).where(
                Copy.status == "available",
                ~exists().where(Loan.copy_id == Copy.id, Loan.returned_at.is_(None)),
                ~exists().where(Hold.record_id == Copy.record_id,
                                Hold.status.in_(("waiting", "ready"))),
            ).limit(count * 3)
        ))
    rng.shuffle(barcodes)
    if len(barcodes) < count:
        raise SystemExit(f"only {len(barcodes)} free copies, {count} needed")
    return barcodes[:count]


if __name__ == "__main__":
    main()

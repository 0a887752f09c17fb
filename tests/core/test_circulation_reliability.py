"""Reliability: loans survive a killed process; two desks cannot lend one copy twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from mediatheque.circulation import check_out, loans
from mediatheque.db import Database, connect
from mediatheque.errors import LoanRefused
from mediatheque.models import Loan, LoanRule
from mediatheque.permissions import LOCAL_ADMIN
from tests.conftest import NOW
from tests.core.circulation_world import add_member, add_record, build_world

COPIES = 3000
ROUNDS = 5

# Lends copies K0, K1… one transaction each and prints "loan_id barcode" only after the
# commit returned: what is printed has been acknowledged to the person at the desk.
LENDER = """
import sys
from datetime import UTC, datetime
from mediatheque.circulation import check_out
from mediatheque.db import connect
from mediatheque.errors import LoanRefused
from mediatheque.permissions import LOCAL_ADMIN
database = connect(sys.argv[1])
member = int(sys.argv[2])
for n in range(int(sys.argv[3])):
    barcode = f"K{n}"
    try:
        with database.write() as session:
            done = check_out(session, LOCAL_ADMIN, member_id=member, copy_barcode=barcode,
                             now=datetime.now(UTC))
    except LoanRefused:
        continue
    print(done.loan_id, barcode, flush=True)
"""


def test_killed_lender_loses_no_acknowledged_loan(sqlite_database: Database,
                                                   tmp_path: Path) -> None:
    database = sqlite_database
    build_world(database)
    with database.write() as session:
        member = add_member(session, "M-MANY")
        session.scalars(select(LoanRule)).one().max_loans = 30000
        add_record(session, "Stock", tuple(f"K{n}" for n in range(COPIES)))
    url = database.url.render_as_string(hide_password=False)
    acknowledged: dict[int, str] = {}
    rng = random.Random(5)
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    for _round in range(ROUNDS):
        process = subprocess.Popen(
            [sys.executable, "-c", LENDER, url, str(member), str(COPIES)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        assert process.stdout is not None
        first = process.stdout.readline()  # wait until it is really lending
        assert first, process.stderr.read() if process.stderr else ""
        time.sleep(rng.uniform(0.0, 0.4))
        process.send_signal(signal.SIGKILL)
        rest, _err = process.communicate()
        assert process.returncode == -signal.SIGKILL
        for line in [first, *rest.splitlines()]:
            if line.strip():
                loan_id, barcode = line.split()
                acknowledged[int(loan_id)] = barcode
        check = connect(url)
        try:
            with check.read() as session:
                assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                rows = dict(session.execute(
                    select(Loan.id, Loan.copy_id).where(Loan.id.in_(acknowledged))
                ).all())
                assert set(rows) == set(acknowledged)
                per_copy = session.execute(
                    select(Loan.copy_id, func.count()).where(Loan.returned_at.is_(None))
                    .group_by(Loan.copy_id).having(func.count() > 1)
                ).all()
                assert per_copy == []
        finally:
            check.dispose()
    assert len(acknowledged) >= ROUNDS  # at least one acknowledged loan per round
    assert len(set(acknowledged.values())) == len(acknowledged)


def test_the_unique_index_guards_a_race_missed_by_the_checks(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If another desk lends the copy between our checks and our INSERT, the one-open-loan
    index refuses it: a clean copy_on_loan, never a traceback, and the transaction goes on."""
    world = build_world(database)
    with database.write() as session:
        check_out(session, LOCAL_ADMIN, member_id=world.alice, copy_barcode="C1", now=NOW)
    monkeypatch.setattr(loans, "_loan_refusals", lambda *args, **kwargs: [])
    with database.write() as session:
        with pytest.raises(LoanRefused) as caught:
            check_out(session, LOCAL_ADMIN, member_id=world.boris, copy_barcode="C1", now=NOW)
        # the same transaction is still usable after the refusal
        check_out(session, LOCAL_ADMIN, member_id=world.boris, copy_barcode="C3", now=NOW)
    assert caught.value.reason == "copy_on_loan"
    assert caught.value.detail["on_loan_to"] == world.alice
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Loan)) == 2


@pytest.mark.postgresql
def test_two_desks_lend_the_same_copy_at_once(pg_url: object, tmp_path: Path) -> None:
    from mediatheque.startup import open_database

    database = open_database(pg_url, data_dir=tmp_path, now=NOW).database  # type: ignore[arg-type]
    try:
        world = build_world(database)
        with database.write() as session:
            add_record(session, "Course", tuple(f"R{n}" for n in range(8)))
            session.scalars(select(LoanRule)).one().max_loans = 50
        for n in range(8):
            barcode = f"R{n}"
            barrier = threading.Barrier(2)
            results: list[object] = []

            def desk(member_id: int, barcode: str = barcode,
                     barrier: threading.Barrier = barrier,
                     results: list[object] = results) -> None:
                try:
                    with database.write() as session:
                        barrier.wait()
                        results.append(check_out(session, LOCAL_ADMIN, member_id=member_id,
                                                 copy_barcode=barcode, now=NOW))
                except LoanRefused as error:
                    results.append(error)

            threads = [threading.Thread(target=desk, args=(m,))
                       for m in (world.alice, world.boris)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            refused = [r for r in results if isinstance(r, LoanRefused)]
            assert len(results) == 2 and len(refused) == 1, results
            assert refused[0].reason == "copy_on_loan"
        with database.read() as session:
            assert session.scalar(select(func.count()).select_from(Loan)) == 8
    finally:
        database.dispose()

"""Engine settings, URLs, instants and the write lock."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import event, select

from mediatheque.db import Database, connect, parse_database_url, sqlite_url
from mediatheque.errors import DatabaseLocked, InvalidDatabaseUrl
from mediatheque.models import AuditEntry, Setting


def test_sqlite_connections_get_the_pragmas_design_asks_for(sqlite_database: Database) -> None:
    with sqlite_database.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("foreign_keys") == 1
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == 2000


def test_writes_begin_immediate_and_reads_deferred(sqlite_database: Database) -> None:
    statements: list[str] = []
    event.listen(
        sqlite_database.engine, "before_cursor_execute",
        lambda conn, cursor, statement, *rest: statements.append(statement),
    )
    with sqlite_database.write() as session:
        session.add(Setting(key="probe", value="1"))
    with sqlite_database.read() as session:
        session.execute(select(Setting)).all()
    begins = [s for s in statements if s.startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE", "BEGIN DEFERRED"]


def test_a_failed_write_leaves_nothing_behind(database: Database) -> None:
    with pytest.raises(RuntimeError), database.write() as session:
        session.add(Setting(key="half", value="1"))
        session.flush()
        raise RuntimeError("boom")
    with database.read() as session:
        assert session.get(Setting, "half") is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("not a url", "syntax"),
        ("mysql://user@host/db", "engine"),
        ("postgresql+asyncpg://u@h/db", "driver"),
        ("postgresql+psycopg://u@h", "no_database"),
        ("sqlite://", "no_file"),
        ("sqlite:///:memory:", "no_file"),
    ],
)
def test_invalid_database_urls_are_refused_with_the_reason(url: str, problem: str) -> None:
    with pytest.raises(InvalidDatabaseUrl) as caught:
        parse_database_url(url)
    assert caught.value.problem == problem
    assert caught.value.code == "invalid_database_url"


def test_plain_postgresql_urls_get_the_psycopg_driver() -> None:
    assert parse_database_url("postgresql://u@h/db").drivername == "postgresql+psycopg"


def test_instants_come_back_as_utc_whatever_zone_they_were_given_in(database: Database) -> None:
    almaty = timezone(timedelta(hours=5))
    moment = datetime(2026, 3, 8, 10, 0, tzinfo=almaty)
    with database.write() as session:
        session.add(AuditEntry(recorded_at=moment, happened_at=moment, actor="t",
                               action="probe", entity="none", details="{}"))
    with database.read() as session:
        stored = session.scalars(select(AuditEntry.recorded_at)).one()
    assert stored == moment
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored.hour == 5


def test_naive_instants_are_refused(sqlite_database: Database) -> None:
    with pytest.raises(Exception, match="naive"), sqlite_database.write() as session:
        naive = datetime(2026, 1, 1, 12, 0)
        session.add(AuditEntry(recorded_at=naive, happened_at=naive, actor="t",
                               action="probe", entity="none", details="{}"))
        session.flush()


def _hold_write_lock(path: Path, release: threading.Event, ready: threading.Event) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT INTO setting (key, value) VALUES ('holder', '\"kept\"')")
    ready.set()
    release.wait(10)
    connection.execute("COMMIT")
    connection.close()


def test_a_locked_database_waits_then_says_so_and_loses_nothing(tmp_path: Path,
                                                                 sqlite_database: Database) -> None:
    assert sqlite_database.path is not None
    impatient = connect(sqlite_url(sqlite_database.path), busy_timeout=0.3)
    release, ready = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock,
                              args=(sqlite_database.path, release, ready))
    holder.start()
    assert ready.wait(5)
    started = datetime.now(UTC)
    with pytest.raises(DatabaseLocked) as caught, impatient.write() as session:
        session.add(Setting(key="mine", value="1"))
    waited = (datetime.now(UTC) - started).total_seconds()
    release.set()
    holder.join()
    assert caught.value.code == "database_locked"
    assert waited >= 0.25
    with impatient.write() as session:  # the lock is gone: the same write now goes through
        session.add(Setting(key="mine", value="1"))
    with impatient.read() as session:
        assert session.get(Setting, "holder") is not None
        assert session.get(Setting, "mine") is not None
    impatient.dispose()


def test_a_writer_waits_for_a_short_lock_instead_of_failing(sqlite_database: Database) -> None:
    assert sqlite_database.path is not None
    release, ready = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock,
                              args=(sqlite_database.path, release, ready))
    holder.start()
    assert ready.wait(5)
    threading.Timer(0.3, release.set).start()
    with sqlite_database.write() as session:  # busy timeout is 2 s: it waits, then writes
        session.add(Setting(key="patient", value="1"))
    holder.join()
    with sqlite_database.read() as session:
        assert session.get(Setting, "patient") is not None

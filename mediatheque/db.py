"""Engine, connection settings and sessions.

SQLite (DESIGN.md §3): foreign keys on, WAL, synchronous=FULL (a power cut must not lose a
recorded loan), a busy timeout, and write transactions started with BEGIN IMMEDIATE so that
two writers queue up at the start instead of failing half-way. Reads use plain deferred
transactions and never wait for a writer (WAL).

The caller owns the transaction (DESIGN.md §2):

    with database.write() as session:
        check_out(session, ...)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from mediatheque.errors import DatabaseLocked, DatabaseUnavailable, InvalidDatabaseUrl

DEFAULT_BUSY_TIMEOUT = 10.0
SUPPORTED_DIALECTS = ("sqlite", "postgresql")


def parse_database_url(text: str) -> URL:
    """Parses and checks a database URL; raises InvalidDatabaseUrl with the reason."""
    try:
        url = make_url(text)
    except ArgumentError as error:
        raise InvalidDatabaseUrl(text, "syntax") from error
    if url.get_backend_name() not in SUPPORTED_DIALECTS:
        raise InvalidDatabaseUrl(text, "engine", url.get_backend_name())
    if url.get_backend_name() == "postgresql":
        if url.get_driver_name() not in ("psycopg", "psycopg2") and url.drivername != "postgresql":
            raise InvalidDatabaseUrl(text, "driver", url.get_driver_name())
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        if not url.database:
            raise InvalidDatabaseUrl(text, "no_database")
    elif url.database in (None, "", ":memory:"):
        raise InvalidDatabaseUrl(text, "no_file")
    return url


def sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path))


def sqlite_path(url: URL) -> Path | None:
    """The file of an SQLite URL, or None for another engine."""
    if url.get_backend_name() != "sqlite" or not url.database:
        return None
    return Path(url.database)


@dataclass(frozen=True)
class Database:
    """An open database: one engine, and session factories for reading and for writing."""

    url: URL
    engine: Engine
    busy_timeout: float

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    def describe(self) -> str:
        """The URL without its password, for status bars and diagnostics."""
        if self.path is not None:
            return str(self.path)
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in a write transaction: committed at the end, rolled back on error."""
        factory = sessionmaker(
            self.engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )
        with _translate_lock_errors(self.busy_timeout), factory.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; never commits."""
        with _translate_lock_errors(self.busy_timeout), Session(self.engine) as session:
            yield session
            session.rollback()

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _translate_lock_errors(waited: float) -> Iterator[None]:
    try:
        yield
    except OperationalError as error:
        original = error.orig
        if isinstance(original, sqlite3.OperationalError) and "locked" in str(original):
            raise DatabaseLocked(waited) from error
        if getattr(error, "connection_invalidated", False) or _is_connection_error(error):
            raise DatabaseUnavailable(str(original).strip().splitlines()[0]) from error
        raise


def _is_connection_error(error: OperationalError) -> bool:
    module = type(error.orig).__module__
    return module.startswith("psycopg") and "connect" in str(error.orig).lower()


def connect(url: URL | str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Database:
    """Creates the engine for a database URL with the settings DESIGN.md §3 asks for."""
    if isinstance(url, str):
        url = parse_database_url(url)
    if url.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, busy_timeout)
    else:
        engine = create_engine(
            url,
            pool_pre_ping=True,
            hide_parameters=True,  # no member's name or password in errors and logs
            # Instants are exchanged in UTC whatever the server's own time zone.
            connect_args={
                "connect_timeout": max(1, int(busy_timeout)),
                "options": "-c timezone=UTC",
            },
        )
    return Database(url=url, engine=engine, busy_timeout=busy_timeout)


def _sqlite_engine(url: URL, busy_timeout: float) -> Engine:
    # A small pool: opening a connection (pragmas, reading the schema of a large catalogue)
    # costs a few milliseconds that every scan at the desk would pay otherwise. A pooled
    # connection serves one thread at a time; restores write through the SQLite backup API,
    # which the other connections see, and `dispose()` closes the pool before a file is
    # renamed or replaced.
    engine = create_engine(
        url,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=8,
        hide_parameters=True,  # no member's name or password in errors and logs
        connect_args={"timeout": busy_timeout, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        # 32 MiB of page cache instead of SQLite's 2 MiB: a large import or a search over
        # a 200,000-record catalogue keeps its index pages in memory (taken as used).
        cursor.execute("PRAGMA cache_size=-32768")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine

"""Fixtures shared by the core and UI tests: databases on SQLite and on PostgreSQL.

PostgreSQL tests need MEDIATHEQUE_TEST_PG, a URL to a server where databases can be
created (`.ci/run` starts a throwaway cluster and sets it). Without it they are skipped on
a developer machine, and fail under CI (CI=true), where a missing server is a bug.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from mediatheque.db import Database, sqlite_url
from mediatheque.i18n import set_language
from mediatheque.startup import open_database

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def _pg_base_url() -> URL | None:
    raw = os.environ.get("MEDIATHEQUE_TEST_PG")
    return make_url(raw) if raw else None


def _require_pg() -> URL:
    base = _pg_base_url()
    if base is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but MEDIATHEQUE_TEST_PG is not set: PostgreSQL tests must run")
        pytest.skip("no PostgreSQL test server (set MEDIATHEQUE_TEST_PG)")
    return base


@pytest.fixture(autouse=True)
def _french_by_default() -> Iterator[None]:
    set_language("fr")
    yield
    set_language("fr")


@pytest.fixture
def pg_url() -> Iterator[URL]:
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    base = _require_pg()
    name = f"mediatheque_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> URL:
    """An empty database URL, once per engine."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "library.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def database(db_url: URL, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database on each engine."""
    opened = open_database(db_url, data_dir=tmp_path, now=NOW, busy_timeout=2)
    yield opened.database
    opened.database.dispose()


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[Database]:
    opened = open_database(sqlite_url(tmp_path / "library.db"), data_dir=tmp_path, now=NOW,
                           busy_timeout=2)
    yield opened.database
    opened.database.dispose()


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the checkout (real sample files); skipped where a clone lacks it."""
    if not SHARED.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {SHARED} is missing")
        pytest.skip(f"{SHARED} is not there (a clone without ../shared)")
    return SHARED


def wait_for_workers_to_exit(seconds: float = 10) -> None:
    """Worker processes that finished their work exit on their own (mediatheque.parallel
    does not wait for them): gone within a moment."""
    deadline = time.monotonic() + seconds
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)

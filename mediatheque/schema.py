"""Schema versions: what a database holds, whether this version can open it, upgrades.

Alembic's migrations are packaged in mediatheque/migrations and run by the application
itself at start. No `create_all` outside the tests (DESIGN.md §3).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from mediatheque.db import Database
from mediatheque.errors import DatabaseCorrupt, DatabaseNewer
from mediatheque.paths import migrations_dir

SQLITE_HEADER = b"SQLite format 3\x00"
VERSION_TABLE = "alembic_version"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _script().get_current_head()
    assert head is not None, "the application ships no migration"
    return head


def known_revisions() -> set[str]:
    return {revision.revision for revision in _script().walk_revisions()}


@dataclass(frozen=True)
class SchemaState:
    """`current` is None for an empty database (nothing created yet)."""

    current: str | None
    head: str

    @property
    def is_empty(self) -> bool:
        return self.current is None

    @property
    def pending(self) -> bool:
        return self.current != self.head

    def pending_migrations(self) -> list[str]:
        """Revisions that an upgrade would apply, oldest first."""
        if not self.pending:
            return []
        lower = self.current or "base"
        revisions = _script().iterate_revisions(self.head, lower)
        return [revision.revision for revision in reversed(list(revisions))]


def revision_of(connection: Connection) -> str | None:
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def check_revision(current: str | None) -> SchemaState:
    """Refuses a database written by a newer version of the application."""
    state = SchemaState(current=current, head=head_revision())
    if current is not None and current not in known_revisions():
        raise DatabaseNewer(found=current, supported=state.head)
    return state


def schema_state(database: Database) -> SchemaState:
    with database.engine.connect() as connection:
        return check_revision(revision_of(connection))


def upgrade(database: Database) -> SchemaState:
    """Applies pending migrations in one transaction (SQLite: a write lock from the start)."""
    engine = database.engine.execution_options(sqlite_begin="IMMEDIATE")
    with engine.begin() as connection:
        check_revision(revision_of(connection))
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return schema_state(database)


def probe_sqlite_file(path: Path, *, thorough: bool = False) -> str | None:
    """Reads an SQLite file without ever writing to it; returns its schema revision.

    Raises DatabaseCorrupt when the file is not an SQLite database or fails SQLite's own
    check (`quick_check`, or the full `integrity_check` when thorough).
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise DatabaseCorrupt(path, f"cannot read the file ({error.strerror})") from error
    if header != SQLITE_HEADER:
        raise DatabaseCorrupt(path, "not an SQLite database")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise DatabaseCorrupt(path, str(error)) from error
    try:
        check = "integrity_check" if thorough else "quick_check"
        problems = [row[0] for row in connection.execute(f"PRAGMA {check}")]
        if problems != ["ok"]:
            raise DatabaseCorrupt(path, "; ".join(problems[:3]))
        has_version = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (VERSION_TABLE,)
        ).fetchone()
        if not has_version:
            return None
        row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as error:
        raise DatabaseCorrupt(path, str(error)) from error
    finally:
        connection.close()


def integrity_problems(database: Database) -> list[str]:
    """The engine's own consistency check: SQLite's integrity_check and foreign keys."""
    if database.dialect != "sqlite":
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return []
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
        problems = [row[0] for row in rows if row[0] != "ok"]
        for table, rowid, parent, _ in connection.exec_driver_sql("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid}: missing {parent}")
    return problems

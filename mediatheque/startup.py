"""Opening the database at start: which one, is it sound, back it up, bring it up to date.

The same sequence serves the application window and every CLI command:
1. the URL comes from --db, else MEDIATHEQUE_DB, else the SQLite file in the data directory;
2. an SQLite file is checked read-only first: a damaged file raises DatabaseCorrupt (with the
   latest backup to offer) and is never modified; a file from a newer version raises
   DatabaseNewer;
3. before an upgrade, and once a day, the database is backed up (and old backups rotated);
4. pending migrations are applied.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL

from mediatheque.backups import backup_if_due, latest_backup
from mediatheque.db import (
    DEFAULT_BUSY_TIMEOUT,
    Database,
    connect,
    parse_database_url,
    sqlite_path,
    sqlite_url,
)
from mediatheque.errors import DatabaseCorrupt, DataDirUnwritable
from mediatheque.paths import backups_dir, default_database_path
from mediatheque.schema import SchemaState, check_revision, probe_sqlite_file, schema_state, upgrade


@dataclass(frozen=True)
class OpenedDatabase:
    database: Database
    schema: SchemaState
    backup: Path | None
    upgraded_from: str | None


def resolve_database_url(db_option: str | None, data_dir: Path) -> URL:
    text = db_option or os.environ.get("MEDIATHEQUE_DB")
    if text:
        return parse_database_url(text)
    return sqlite_url(default_database_path(data_dir))


def ensure_writable_dir(directory: Path) -> None:
    """Creates the folder if needed and proves a file can be written in it."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".write-test-"):
            pass
    except OSError as error:
        raise DataDirUnwritable(directory) from error


def open_database(
    url: URL,
    *,
    data_dir: Path,
    now: datetime,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    upgrade_schema: bool = True,
    auto_backup: bool = True,
) -> OpenedDatabase:
    backups = backups_dir(data_dir)
    database_path = sqlite_path(url)
    if database_path is not None:
        ensure_writable_dir(database_path.parent)
        if database_path.exists() and database_path.stat().st_size > 0:
            try:
                check_revision(probe_sqlite_file(database_path))
            except DatabaseCorrupt as error:
                error.latest_backup = latest_backup(backups)
                raise
    if auto_backup:
        ensure_writable_dir(backups)

    database = connect(url, busy_timeout=busy_timeout)
    try:
        state = schema_state(database)
        made_backup = None
        if auto_backup and not state.is_empty:
            made_backup = backup_if_due(
                database, directory=backups, now=now, force=upgrade_schema and state.pending,
                reason="before-upgrade" if upgrade_schema and state.pending else None,
            )
        upgraded_from = None
        if upgrade_schema and state.pending:
            upgraded_from = state.current or "empty"
            state = upgrade(database)
    except BaseException:
        database.dispose()
        raise
    return OpenedDatabase(database, state, made_backup, upgraded_from)

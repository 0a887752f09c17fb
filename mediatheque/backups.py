"""Backups and restores.

A backup is always one SQLite file holding the whole database at one schema revision,
whatever the engine: SQLite is copied with its online backup API (consistent while desks
keep working), PostgreSQL row by row in one snapshot. So a backup can be checked, opened
and restored the same way everywhere, and moved from one engine to the other.

Rotation keeps the latest backup of each of the last 14 days and of the last 12 months
that have one (the usual daily/monthly policy).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, insert, select, text

from mediatheque.db import Database, sqlite_url
from mediatheque.errors import DatabaseNewer, NotABackup
from mediatheque.permissions import Actor, Permission
from mediatheque.schema import (
    DatabaseCorrupt,
    alembic_config,
    check_revision,
    head_revision,
    probe_sqlite_file,
    revision_of,
)

KEEP_DAILY = 14
KEEP_MONTHLY = 12
_NAME = re.compile(r"^mediatheque-(\d{8}-\d{6})(?:-[a-z-]+)?\.db$")
_COPY_BATCH = 5000


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime


def backup_name(now: datetime, reason: str | None = None) -> str:
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    return f"mediatheque-{stamp}-{reason}.db" if reason else f"mediatheque-{stamp}.db"


def list_backups(directory: Path) -> list[BackupFile]:
    """The application's backups in a folder, oldest first (other files are left alone)."""
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            taken = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
            found.append(BackupFile(path, taken))
    return sorted(found, key=lambda backup: (backup.taken_at, backup.path.name))


def latest_backup(directory: Path) -> Path | None:
    backups = list_backups(directory)
    return backups[-1].path if backups else None


def backups_to_delete(
    backups: Iterable[BackupFile], keep_daily: int = KEEP_DAILY, keep_monthly: int = KEEP_MONTHLY
) -> list[BackupFile]:
    """Pure rotation rule: everything but the newest backup of each of the `keep_daily` most
    recent days and of the `keep_monthly` most recent months."""
    newest_first = sorted(backups, key=lambda backup: backup.taken_at, reverse=True)
    keep: set[Path] = set()
    for key_of, limit in (
        (lambda moment: moment.date(), keep_daily),
        (lambda moment: (moment.year, moment.month), keep_monthly),
    ):
        periods: set[object] = set()
        for backup in newest_first:
            period = key_of(backup.taken_at)
            if period in periods:
                continue
            if len(periods) == limit:
                break
            periods.add(period)
            keep.add(backup.path)
    return [backup for backup in newest_first if backup.path not in keep]


def rotate_backups(directory: Path) -> list[Path]:
    removed = []
    for backup in backups_to_delete(list_backups(directory)):
        backup.path.unlink(missing_ok=True)
        removed.append(backup.path)
    return removed


def backup_database(
    database: Database, *, out: Path | None = None, directory: Path, now: datetime,
    reason: str | None = None,
) -> Path:
    """Writes a consistent copy of the database; `out` or a dated file in `directory`.

    The copy is written beside its destination under a temporary name and renamed when
    complete, so an interrupted backup never leaves a file that looks usable.
    """
    target = out if out is not None else directory / backup_name(now, reason)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if database.path is not None:
            _sqlite_online_copy(database.path, partial)
        else:
            _copy_to_sqlite(database.engine, partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def backup_if_due(
    database: Database, *, directory: Path, now: datetime, force: bool = False,
    reason: str | None = None,
) -> Path | None:
    """The automatic backup: when forced (before an upgrade) or when today has none yet."""
    today = now.astimezone(UTC).date()
    if not force and any(b.taken_at.date() == today for b in list_backups(directory)):
        return None
    path = backup_database(database, directory=directory, now=now, reason=reason)
    rotate_backups(directory)
    return path


def verify_backup(path: Path) -> str:
    """Checks that a file is a sound backup of this application; returns its revision."""
    if not path.is_file():
        raise NotABackup(path, "missing")
    try:
        revision = probe_sqlite_file(path, thorough=True)
    except DatabaseCorrupt as error:
        raise NotABackup(path, "damaged", error.problem) from error
    if revision is None:
        raise NotABackup(path, "foreign")
    try:
        check_revision(revision)
    except DatabaseNewer as error:
        raise NotABackup(path, "newer", revision) from error
    return revision


@dataclass(frozen=True)
class RestoreResult:
    restored: Path
    previous_backup: Path | None
    revision: str


def restore_database(
    database: Database, backup: Path, *, directory: Path, now: datetime, actor: Actor
) -> RestoreResult:
    """Verifies a backup, backs the current database up, then replaces its content.

    The backup is first copied and brought to the current schema in a temporary file, so
    the live database is only touched once everything is known to be right. Needs
    Permission.RESTORE; the restore is written in the restored database's audit trail.
    """
    actor.require(Permission.RESTORE)
    verify_backup(backup)
    with tempfile.TemporaryDirectory(prefix="mediatheque-restore-") as scratch:
        staged = _staged_copy(backup, Path(scratch))
        previous = backup_database(
            database, directory=directory, now=now, reason="before-restore"
        )
        if database.path is not None:
            _sqlite_online_copy(staged, database.path)
        else:
            _replace_rows(database.engine, staged)
    rotate_backups(directory)
    _audit_restore(database, actor, backup, previous, now)
    return RestoreResult(restored=backup, previous_backup=previous, revision=head_revision())


def _audit_restore(
    database: Database, actor: Actor, backup: Path, previous: Path, now: datetime
) -> None:
    from mediatheque.audit import record_audit
    from mediatheque.models import Staff

    with database.write() as session:
        if actor.staff_id is not None and session.get(Staff, actor.staff_id) is None:
            actor = replace(actor, staff_id=None)  # the account is not in the restored data
        record_audit(
            session, actor, action="restore", entity="database", entity_id=None, now=now,
            details={"backup": backup.name, "previous_backup": previous.name},
        )


def restore_over_damaged_file(path: Path, backup: Path, *, now: datetime) -> Path:
    """For a damaged SQLite file: sets it aside untouched (renamed) and puts the restored
    backup in its place. Returns where the damaged file now is."""
    verify_backup(backup)
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    with tempfile.TemporaryDirectory(prefix="mediatheque-restore-") as scratch:
        staged = _staged_copy(backup, Path(scratch))
        for suffix in ("", "-wal", "-shm"):
            source = Path(str(path) + suffix)
            if source.exists():
                source.rename(Path(str(kept) + suffix))
        shutil.copyfile(staged, path)
    return kept


def _staged_copy(backup: Path, scratch: Path) -> Path:
    """A copy of the backup upgraded to the current schema, ready to be restored."""
    from mediatheque.db import connect
    from mediatheque.schema import upgrade

    staged = scratch / "staged.db"
    _sqlite_online_copy(backup, staged)
    staged_db = connect(sqlite_url(staged))
    try:
        upgrade(staged_db)
    finally:
        staged_db.dispose()
    return staged


def _sqlite_online_copy(source: Path, target: Path) -> None:
    """SQLite's backup API: a consistent snapshot even while other connections write."""
    source_connection = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    target_connection = sqlite3.connect(target)
    try:
        source_connection.backup(target_connection)
        if target_connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            target_connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        target_connection.close()
        source_connection.close()


def _copy_to_sqlite(source: Engine, target: Path) -> None:
    """Copies a PostgreSQL database into a new SQLite file at the same schema revision."""
    from alembic import command

    target_engine = create_engine(sqlite_url(target))
    try:
        with source.connect() as source_connection:
            source_connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            revision = revision_of(source_connection)
            with target_engine.begin() as target_connection:
                config = alembic_config()
                config.attributes["connection"] = target_connection
                command.upgrade(config, revision or "base")
                _copy_rows(source_connection, target_connection)
            source_connection.rollback()
    finally:
        target_engine.dispose()


def _replace_rows(target: Engine, staged: Path) -> None:
    """Replaces every row of a PostgreSQL database with a staged backup, in one transaction."""
    source_engine = create_engine(sqlite_url(staged))
    try:
        with source_engine.connect() as source_connection, target.begin() as target_connection:
            tables = _application_tables(target_connection)
            names = ", ".join(f'"{table.name}"' for table in tables)
            target_connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            _copy_rows(source_connection, target_connection)
            for table in tables:
                if "id" in table.c and table.c.id.autoincrement is True:
                    target_connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                            f'coalesce(max(id), 1), max(id) IS NOT NULL) FROM "{table.name}"'
                        )
                    )
    finally:
        source_engine.dispose()


def _reflect(connection: Connection) -> MetaData:
    metadata = MetaData()
    with warnings.catch_warnings():
        # Expression indexes are not reflected; only the tables' columns are needed here.
        warnings.filterwarnings("ignore", message=".*expression-based index")
        metadata.reflect(bind=connection)
    return metadata


def _application_tables(connection: Connection) -> list[Table]:
    metadata = _reflect(connection)
    return [table for table in metadata.sorted_tables if table.name != "alembic_version"]


def _copy_rows(source_connection: Connection, target_connection: Connection) -> None:
    source_meta = _reflect(source_connection)
    target_meta = _reflect(target_connection)
    for table in target_meta.sorted_tables:
        if table.name == "alembic_version" or table.name not in source_meta.tables:
            continue
        source_table = source_meta.tables[table.name]
        columns = [column.name for column in table.columns if column.name in source_table.c]
        result = source_connection.execute(select(*(source_table.c[name] for name in columns)))
        while batch := result.fetchmany(_COPY_BATCH):
            target_connection.execute(
                insert(table), [dict(zip(columns, row, strict=True)) for row in batch]
            )

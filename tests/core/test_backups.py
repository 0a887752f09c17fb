"""Backups, their rotation, and restores on both engines."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import URL

from mediatheque.backups import (
    BackupFile,
    backup_database,
    backup_if_due,
    backups_to_delete,
    list_backups,
    restore_database,
    restore_over_damaged_file,
    verify_backup,
)
from mediatheque.db import Database, sqlite_url
from mediatheque.errors import NotABackup
from mediatheque.library import initialise_library
from mediatheque.models import Record, Setting
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.settings import LibrarySettings, load_library_settings
from mediatheque.startup import open_database
from tests.conftest import NOW


def _daily(days: int, start: datetime = NOW) -> list[BackupFile]:
    return [BackupFile(Path(f"b{n}"), start - timedelta(days=n)) for n in range(days)]


def test_rotation_keeps_fourteen_days_and_twelve_months() -> None:
    backups = _daily(800)
    kept = {b.path for b in backups} - {b.path for b in backups_to_delete(backups)}
    kept_times = sorted((b.taken_at for b in backups if b.path in kept), reverse=True)
    daily = kept_times[:14]
    assert [t.date() for t in daily] == [(NOW - timedelta(days=n)).date() for n in range(14)]
    months = {(t.year, t.month) for t in kept_times}
    assert len(months) == 12
    # One per month beyond the daily ones, the newest of its month.
    assert len(kept) == 14 + 12 - 1  # November 2026 is both a daily and a monthly keeper


def test_rotation_keeps_only_the_newest_of_a_day() -> None:
    same_day = [BackupFile(Path(f"h{h}"), NOW.replace(hour=h)) for h in (1, 5, 9)]
    deleted = {b.path for b in backups_to_delete(same_day)}
    assert deleted == {Path("h1"), Path("h5")}


def test_rotation_of_a_few_backups_deletes_nothing() -> None:
    assert backups_to_delete(_daily(5)) == []


def test_automatic_backup_runs_once_a_day_and_rotates(sqlite_database: Database,
                                                      tmp_path: Path) -> None:
    folder = tmp_path / "auto"
    for n in range(40):  # six weeks of old daily backups
        old = folder / f"mediatheque-{(NOW - timedelta(days=n + 1)):%Y%m%d-%H%M%S}.db"
        folder.mkdir(exist_ok=True)
        old.write_bytes(b"")
    first = backup_if_due(sqlite_database, directory=folder, now=NOW)
    second = backup_if_due(sqlite_database, directory=folder, now=NOW + timedelta(hours=2))
    assert first is not None and first.exists()
    assert second is None
    remaining = list_backups(folder)
    assert len(remaining) == 14 + 1  # 14 days + October's newest; November is among the days
    assert remaining[-1].path == first
    next_day = backup_if_due(sqlite_database, directory=folder, now=NOW + timedelta(days=1))
    assert next_day is not None


def _fill(database: Database, titles: list[str]) -> None:
    with database.write() as session:
        if not load_library_settings(session).is_initialised:
            initialise_library(session, LibrarySettings(name="AF Almaty", code="KZ-ALA-AF"))
        for title in titles:
            session.add(Record(title=title, created_at=NOW, updated_at=NOW))


def _titles(database: Database) -> list[str]:
    with database.read() as session:
        return sorted(session.scalars(select(Record.title)))


def test_backup_then_restore_brings_back_the_data(database: Database, tmp_path: Path) -> None:
    _fill(database, ["Абай жолы", "Qazaq tili", "Les Misérables"])
    backup = backup_database(database, directory=tmp_path / "b", now=NOW)
    assert verify_backup(backup)
    _fill(database, ["Written after the backup"])
    with database.write() as session:
        session.execute(Record.__table__.delete().where(Record.title == "Les Misérables"))
    result = restore_database(database, backup, directory=tmp_path / "b",
                              now=NOW + timedelta(minutes=1), actor=LOCAL_ADMIN)
    assert _titles(database) == sorted(["Абай жолы", "Qazaq tili", "Les Misérables"])
    assert result.previous_backup is not None and result.previous_backup.exists()
    with database.write() as session:  # identifiers keep counting after a restore
        session.add(Record(title="New", created_at=NOW, updated_at=NOW))
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 4
        assert load_library_settings(session).code == "KZ-ALA-AF"


def test_a_postgresql_backup_opens_as_an_sqlite_database(pg_url: URL, tmp_path: Path) -> None:
    opened = open_database(pg_url, data_dir=tmp_path, now=NOW)
    _fill(opened.database, ["Мұхтар Әуезов"])
    backup = backup_database(opened.database, directory=tmp_path / "b", now=NOW)
    opened.database.dispose()
    moved = open_database(sqlite_url(backup), data_dir=tmp_path / "elsewhere", now=NOW,
                          auto_backup=False)
    assert _titles(moved.database) == ["Мұхтар Әуезов"]
    moved.database.dispose()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", ["text", "foreign_sqlite", "newer", "missing", "truncated"])
def test_restoring_something_that_is_not_a_backup_changes_nothing(
    database: Database, tmp_path: Path, kind: str
) -> None:
    _fill(database, ["Still here"])
    candidate = tmp_path / "candidate.db"
    if kind == "text":
        candidate.write_text("title,author\nLes Misérables,Hugo\n", encoding="utf-8")
    elif kind == "foreign_sqlite":
        with sqlite3.connect(candidate) as connection:
            connection.execute("CREATE TABLE books (title TEXT)")
    elif kind in ("newer", "truncated"):
        backup_database(database, out=candidate, directory=tmp_path, now=NOW)
        if kind == "newer":
            with sqlite3.connect(candidate) as connection:
                connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
        else:
            candidate.write_bytes(candidate.read_bytes()[:2048])
    with pytest.raises(NotABackup) as caught:
        restore_database(database, candidate, directory=tmp_path / "b", now=NOW,
                         actor=LOCAL_ADMIN)
    expected = {"text": "damaged", "foreign_sqlite": "foreign", "newer": "newer",
                "missing": "missing", "truncated": "damaged"}[kind]
    assert caught.value.problem == expected
    assert caught.value.code == "not_a_backup"
    assert _titles(database) == ["Still here"]
    assert not (tmp_path / "b").exists()  # not even a pre-restore backup was made


def test_restore_over_a_damaged_file_keeps_that_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    opened = open_database(sqlite_url(path), data_dir=tmp_path, now=NOW)
    _fill(opened.database, ["Kept"])
    backup = backup_database(opened.database, directory=tmp_path / "b", now=NOW)
    opened.database.dispose()
    path.write_bytes(b"\x00garbage" * 1000)
    Path(str(path) + "-wal").unlink(missing_ok=True)
    damaged_digest = _sha(path)
    kept = restore_over_damaged_file(path, backup, now=NOW)
    assert _sha(kept) == damaged_digest
    reopened = open_database(sqlite_url(path), data_dir=tmp_path, now=NOW)
    assert _titles(reopened.database) == ["Kept"]
    reopened.database.dispose()


def test_an_interrupted_backup_leaves_no_file_that_looks_usable(
    sqlite_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mediatheque import backups

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(backups, "_sqlite_online_copy", fail)
    with pytest.raises(OSError, match="disk full"):
        backup_database(sqlite_database, directory=tmp_path / "b", now=NOW)
    assert list((tmp_path / "b").iterdir()) == []


def test_backups_copy_settings_rows(database: Database, tmp_path: Path) -> None:
    _fill(database, [])
    backup = backup_database(database, directory=tmp_path / "b", now=datetime.now(UTC))
    with sqlite3.connect(backup) as connection:
        keys = {row[0] for row in connection.execute(f"SELECT key FROM {Setting.__tablename__}")}
    assert "library.code" in keys

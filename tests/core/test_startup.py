"""What happens at start: the right database, a backup, then the upgrade."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from mediatheque import schema
from mediatheque.backups import list_backups
from mediatheque.db import sqlite_url
from mediatheque.errors import DataDirUnwritable
from mediatheque.paths import backups_dir, default_database_path
from mediatheque.startup import open_database, resolve_database_url
from tests.conftest import NOW


def test_default_database_is_the_file_in_the_data_directory(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEDIATHEQUE_DB", raising=False)
    url = resolve_database_url(None, tmp_path)
    assert url.database == str(default_database_path(tmp_path))
    monkeypatch.setenv("MEDIATHEQUE_DB", "sqlite:///elsewhere.db")
    assert resolve_database_url(None, tmp_path).database == "elsewhere.db"
    assert resolve_database_url("sqlite:///given.db", tmp_path).database == "given.db"


def test_first_start_creates_the_schema_then_backs_up_daily(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "library.db")
    first = open_database(url, data_dir=tmp_path, now=NOW)
    assert first.upgraded_from == "empty"
    assert first.backup is None  # nothing worth saving yet
    first.database.dispose()
    second = open_database(url, data_dir=tmp_path, now=NOW + timedelta(minutes=5))
    assert second.backup is not None and second.backup.exists()
    second.database.dispose()
    third = open_database(url, data_dir=tmp_path, now=NOW + timedelta(hours=3))
    assert third.backup is None  # already one today
    third.database.dispose()
    assert len(list_backups(backups_dir(tmp_path))) == 1


def test_unwritable_data_directory_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(DataDirUnwritable) as caught:
        open_database(sqlite_url(blocker / "sub" / "library.db"), data_dir=tmp_path, now=NOW)
    assert caught.value.path == blocker / "sub"


NEXT_MIGRATION = '''"""a later version adds a column"""
import sqlalchemy as sa
from alembic import op

revision = "9000_test"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.add_column(sa.Column("nickname", sa.String(50), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.drop_column("nickname")
'''


def test_an_upgrade_is_preceded_by_a_backup_of_the_old_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = sqlite_url(tmp_path / "library.db")
    old = open_database(url, data_dir=tmp_path, now=NOW)
    old.database.dispose()
    head = schema.head_revision()

    newer = tmp_path / "migrations"
    shutil.copytree(schema.migrations_dir(), newer)
    (newer / "versions" / "9000_test.py").write_text(NEXT_MIGRATION.format(head=head),
                                                      encoding="utf-8")
    monkeypatch.setattr(schema, "migrations_dir", lambda: newer)
    schema._script.cache_clear()
    try:
        later = open_database(url, data_dir=tmp_path, now=NOW + timedelta(minutes=1))
        later.database.dispose()
    finally:
        schema._script.cache_clear()
    assert later.upgraded_from == head
    assert later.schema.current == "9000_test"
    assert later.backup is not None and "before-upgrade" in later.backup.name
    with sqlite3.connect(later.backup) as connection:
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        assert version == head
        columns = [row[1] for row in connection.execute("PRAGMA table_info(member)")]
    assert "nickname" not in columns
    with sqlite3.connect(tmp_path / "library.db") as connection:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(member)")]
    assert "nickname" in columns

"""Migrations, schema constraints, and databases this version must not open."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import IntegrityError

from mediatheque.backups import backup_database
from mediatheque.catalogue.search_index import is_engine_index_table
from mediatheque.db import Database, sqlite_url
from mediatheque.errors import DatabaseCorrupt, DatabaseNewer
from mediatheque.models import Base, Copy, Loan, LoanRule, Member, MemberCategory, Record
from mediatheque.schema import head_revision, schema_state
from mediatheque.startup import open_database
from tests.conftest import NOW


@pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning")
@pytest.mark.filterwarnings("ignore:.*expression-based index:sqlalchemy.exc.SAWarning")
def test_migrations_build_exactly_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        # The search engines' own tables (FTS5 on SQLite, tsvector on PostgreSQL) are not
        # models: mediatheque.catalogue.search_index.
        context = MigrationContext.configure(connection, opts={
            "compare_type": True,
            "include_name": lambda name, kind, _parents: not (
                kind == "table" and is_engine_index_table(name or "")),
        })
        differences = compare_metadata(context, Base.metadata)
        # Expression indexes cannot be compared by reflection: check this one by name.
        if database.dialect == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'index'"
        else:
            query = "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
        indexes = set(connection.execute(text(query)).scalars())
    assert differences == []
    assert {"uq_loan_rule_scope", "uq_loan_open_copy"} <= indexes


def test_an_upgraded_database_is_at_the_head(database: Database) -> None:
    state = schema_state(database)
    assert state.current == head_revision()
    assert state.pending_migrations() == []


def _record_and_copy(session, barcode: str = "100200000017") -> tuple[int, int]:  # type: ignore[no-untyped-def]
    record = Record(title="Les Misérables", created_at=NOW, updated_at=NOW)
    session.add(record)
    session.flush()
    copy = Copy(record_id=record.id, barcode=barcode, created_at=NOW, updated_at=NOW)
    session.add(copy)
    session.flush()
    return record.id, copy.id


def _member(session, barcode: str = "100100000018") -> int:  # type: ignore[no-untyped-def]
    category = MemberCategory(code="ADULT", name="Adulte", membership_months=12)
    session.add(category)
    session.flush()
    member = Member(barcode=barcode, first_name="Айгерім", last_name="Сәрсенова",
                    category_id=category.id, membership_start=date(2026, 1, 1),
                    membership_expiry=date(2027, 1, 1), created_at=NOW, updated_at=NOW)
    session.add(member)
    session.flush()
    return member.id


def test_copy_barcodes_are_unique(database: Database) -> None:
    with pytest.raises(IntegrityError), database.write() as session:
        record_id, _ = _record_and_copy(session)
        session.add(Copy(record_id=record_id, barcode="100200000017", created_at=NOW,
                         updated_at=NOW))
        session.flush()


def _loan(copy_id: int, member_id: int, returned: bool = False) -> dict[str, object]:
    return {"copy_id": copy_id, "member_id": member_id, "media_type": "book",
            "loaned_at": NOW, "due_on": date(2026, 12, 12), "recorded_at": NOW,
            "returned_at": NOW if returned else None, "renewals": 0}


def test_a_copy_cannot_be_on_loan_twice(database: Database) -> None:
    with database.write() as session:
        _, copy_id = _record_and_copy(session)
        member_id = _member(session)
        session.execute(insert(Loan), [_loan(copy_id, member_id, returned=True)] * 2)
        session.execute(insert(Loan), [_loan(copy_id, member_id)])
    with pytest.raises(IntegrityError), database.write() as session:
        session.execute(insert(Loan), [_loan(copy_id, member_id)])


def test_one_loan_rule_per_scope_wildcards_included(database: Database) -> None:
    with database.write() as session:
        session.add(LoanRule())  # the default rule: any category, any media type
        session.add(LoanRule(media_type="dvd"))
    with pytest.raises(IntegrityError), database.write() as session:
        session.add(LoanRule())
        session.flush()
    with pytest.raises(IntegrityError), database.write() as session:
        session.add(LoanRule(media_type="dvd", loan_days=7))
        session.flush()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE copy SET status = 'borrowed'",
        "UPDATE record SET media_type = 'scroll'",
        "UPDATE record SET cefr_level = 'D1'",
        "UPDATE member SET membership_expiry = '2025-01-01'",
        "UPDATE member SET preferred_language = 'de'",
        "UPDATE copy SET record_id = 999999",
        "DELETE FROM record",
    ],
)
def test_the_schema_refuses_inconsistent_data(database: Database, statement: str) -> None:
    with database.write() as session:
        _record_and_copy(session)
        _member(session)
    with pytest.raises(IntegrityError), database.write() as session:
        session.execute(text(statement))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_newer_database_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    open_database(sqlite_url(path), data_dir=tmp_path, now=NOW).database.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = _sha(path)
    with pytest.raises(DatabaseNewer) as caught:
        open_database(sqlite_url(path), data_dir=tmp_path, now=NOW)
    assert caught.value.found == "9999_future"
    assert caught.value.supported == head_revision()
    assert _sha(path) == before


def test_a_newer_postgresql_database_is_refused(pg_url: URL, tmp_path: Path) -> None:
    open_database(pg_url, data_dir=tmp_path, now=NOW).database.dispose()
    from sqlalchemy import create_engine
    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(DatabaseNewer):
        open_database(pg_url, data_dir=tmp_path, now=NOW)


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "zeroed_page"],
)
def test_a_corrupt_file_is_reported_with_the_latest_backup_and_never_touched(
    tmp_path: Path, damage: str
) -> None:
    path = tmp_path / "library.db"
    opened = open_database(sqlite_url(path), data_dir=tmp_path, now=NOW)
    with opened.database.write() as session:
        for number in range(400):  # enough pages for damage in the middle to matter
            session.add(Record(title=f"Titre {number} " + "x" * 200, created_at=NOW,
                               updated_at=NOW))
    backup = backup_database(opened.database, directory=tmp_path / "backups", now=NOW)
    opened.database.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    if damage == "garbage":
        data = bytearray(b"this is not a database at all" * 100)
    elif damage == "truncated":
        data = data[: len(data) // 3]
    else:
        page = 4096
        data[page * 3: page * 6] = bytes(page * 3)
    path.write_bytes(bytes(data))
    before = _sha(path)
    with pytest.raises(DatabaseCorrupt) as caught:
        open_database(sqlite_url(path), data_dir=tmp_path, now=NOW)
    assert caught.value.code == "database_corrupt"
    assert caught.value.latest_backup == backup
    assert _sha(path) == before

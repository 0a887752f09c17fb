"""PostgreSQL: the desks' role may read and write rows but never edit the audit trail or
the schema (tools/postgres_roles.sql and staff.pg_roles)."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy.exc
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from mediatheque.errors import InvalidValue
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.staff import create_staff, log_in
from mediatheque.staff.pg_roles import application_role_statements, create_application_role
from mediatheque.startup import open_database
from tests.conftest import NOW
from tests.core.staff_helpers import cheap_hashing

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def role(pg_url: URL) -> Iterator[str]:
    name = f"desk_{uuid.uuid4().hex[:10]}"
    yield name
    owner = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        connection.execute(text(f'DROP OWNED BY "{name}"'))
        connection.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
    owner.dispose()


def _check_desk_role(pg_url: URL, role: str, tmp_path: Path) -> None:
    desk_url = pg_url.set(username=role, password="desk-secret")
    opened = open_database(desk_url, data_dir=tmp_path / "desk", now=NOW)
    database = opened.database
    try:
        with database.write() as session:
            create_staff(session, LOCAL_ADMIN, login="aigerim", role="admin",
                         password="aigerim-secret", now=NOW)
        assert log_in(database, "aigerim", "aigerim-secret", NOW).login == "aigerim"
        with database.write() as session:  # ordinary work: rows change
            session.execute(text("UPDATE staff SET display_name = 'A.' WHERE login = 'aigerim'"))
        for statement in ("UPDATE audit_entry SET actor = 'someone else'",
                          "DELETE FROM audit_entry", "TRUNCATE audit_entry",
                          "CREATE TABLE intruder (id int)", "DROP TABLE staff",
                          "UPDATE alembic_version SET version_num = 'x'"):
            with pytest.raises(sqlalchemy.exc.ProgrammingError) as caught, \
                    database.write() as session:
                session.execute(text(statement))
            assert "permission denied" in str(caught.value) or "must be owner" in str(
                caught.value)
        with database.read() as session:
            actors = set(session.scalars(text("SELECT actor FROM audit_entry")))
        assert actors == {"local", "aigerim"}
    finally:
        database.dispose()


def test_the_desk_role_cannot_edit_the_audit_trail(pg_url: URL, role: str,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)
    owner = open_database(pg_url, data_dir=tmp_path, now=NOW)
    with owner.database.engine.begin() as connection:
        create_application_role(connection, role, "desk-secret")
    owner.database.dispose()
    _check_desk_role(pg_url, role, tmp_path)


def test_the_psql_script_does_the_same(pg_url: URL, role: str, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)
    owner = open_database(pg_url, data_dir=tmp_path, now=NOW)
    owner.database.dispose()
    plain = pg_url.set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run(
        ["psql", plain, "-q", "-v", f"role={role}", "-v", "password=desk-secret",
         "-f", str(ROOT / "tools" / "postgres_roles.sql")],
        check=True, capture_output=True, timeout=60,
    )
    _check_desk_role(pg_url, role, tmp_path)


def test_role_names_are_checked() -> None:
    with pytest.raises(InvalidValue):
        application_role_statements('desk"; DROP TABLE staff; --')
    assert any("audit_entry" in s and "REVOKE UPDATE, DELETE" in s
               for s in application_role_statements("desk"))

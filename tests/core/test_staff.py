"""Staff accounts and logging in: roles, lockout, one error for every wrong login, no
password in clear anywhere."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from mediatheque.backups import backup_database, restore_database
from mediatheque.circulation.loans import check_out
from mediatheque.db import Database
from mediatheque.errors import (
    AccountLocked,
    BadCredentials,
    DuplicateLogin,
    InvalidPassword,
    InvalidValue,
    LastAdministrator,
    PermissionDenied,
    UnknownStaff,
)
from mediatheque.messages import describe_error
from mediatheque.models import AuditEntry, Staff
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.settings import load_library_settings
from mediatheque.staff import (
    StaffSettings,
    actor_without_login,
    authenticate,
    change_library_settings,
    create_staff,
    list_staff,
    load_staff_settings,
    lock_delay,
    log_in,
    reset_password,
    save_staff_settings,
    staff_accounts_exist,
    update_staff,
)
from tests.conftest import NOW
from tests.core.circulation_world import build_world
from tests.core.staff_helpers import PASSWORDS, cheap_hashing, make_team


@pytest.fixture(autouse=True)
def _cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)


def _add(database: Database, login: str = "Aigerim", role: str = "admin",
         password: str = "correct horse") -> None:
    with database.write() as session:
        create_staff(session, LOCAL_ADMIN, login=login, role=role, password=password, now=NOW)


# accounts


def test_without_accounts_everyone_is_the_local_admin(database: Database) -> None:
    assert actor_without_login(database) == LOCAL_ADMIN
    _add(database)
    assert actor_without_login(database) is None
    with database.read() as session:
        assert staff_accounts_exist(session)


def test_login_is_case_insensitive_and_unique(database: Database) -> None:
    _add(database, "Aigerim")
    actor = log_in(database, "  AIGERIM ", "correct horse", NOW)
    assert (actor.login, actor.role) == ("aigerim", "admin") and actor.staff_id is not None
    with pytest.raises(DuplicateLogin), database.write() as session:
        create_staff(session, LOCAL_ADMIN, login="aigERIM", role="librarian",
                     password="another one", now=NOW)
    with database.read() as session:
        assert [row.login for row in list_staff(session, LOCAL_ADMIN)] == ["aigerim"]


@pytest.mark.parametrize("login", ["' OR 1=1 --", '"*', "a", "x" * 101, "bad login", "é'"])
def test_a_login_with_sql_or_search_syntax_is_refused_at_creation(
    database: Database, login: str
) -> None:
    with pytest.raises(InvalidValue) as caught, database.write() as session:
        create_staff(session, LOCAL_ADMIN, login=login, role="admin", password="long enough",
                     now=NOW)
    assert caught.value.field == "login"
    with database.read() as session:
        assert not staff_accounts_exist(session)


def test_password_length_limits(database: Database) -> None:
    for password, problem in (("short", "too_short"), ("x" * 1001, "too_long")):
        with pytest.raises(InvalidPassword) as caught, database.write() as session:
            create_staff(session, LOCAL_ADMIN, login="admin", role="admin", password=password,
                         now=NOW)
        assert caught.value.problem == problem
        assert str(caught.value.limit) in describe_error(caught.value)


def test_the_first_account_must_be_an_administrator(database: Database) -> None:
    with pytest.raises(LastAdministrator), database.write() as session:
        create_staff(session, LOCAL_ADMIN, login="lib", role="librarian",
                     password="long enough", now=NOW)


def test_the_last_administrator_cannot_be_demoted_or_disabled(database: Database) -> None:
    team = make_team(database)
    for change in ({"role": "librarian"}, {"active": False}):
        with pytest.raises(LastAdministrator), database.write() as session:
            update_staff(session, team.admin, "admin1", now=NOW, **change)
    _add(database, "second", "admin")
    with database.write() as session:
        row = update_staff(session, team.admin, "admin1", now=NOW, role="director")
    assert row.role == "director"
    with database.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "staff_update")
                                ).one()
        assert json.loads(entry.details) == {"role": ["admin", "director"]}
        assert entry.actor == "admin1"


def test_unknown_account_is_a_clear_error(database: Database) -> None:
    team = make_team(database)
    with pytest.raises(UnknownStaff), database.write() as session:
        update_staff(session, team.admin, "nobody", now=NOW, active=False)


# logging in


@pytest.mark.parametrize("login", [
    "aigerim", "nobody", "' OR 1=1 --", '"*', "aigerim' --", "%", "", "a" * 5000,
])
def test_wrong_password_and_unknown_logins_get_the_same_error(
    database: Database, login: str
) -> None:
    _add(database)
    with pytest.raises(BadCredentials) as caught:
        log_in(database, login, "wrong password", NOW)
    assert caught.value.code == "bad_credentials" and caught.value.details() == {}


def test_sql_syntax_as_password_is_just_a_wrong_password(database: Database) -> None:
    _add(database)
    for password in ("' OR 1=1 --", '"*', "correct horse' OR '1'='1"):
        with pytest.raises(BadCredentials):
            log_in(database, "aigerim", password, NOW)


def test_a_disabled_account_gets_the_same_error(database: Database) -> None:
    team = make_team(database)
    with database.write() as session:
        update_staff(session, team.admin, "librarian1", now=NOW, active=False)
    with pytest.raises(BadCredentials):
        log_in(database, "librarian1", PASSWORDS["librarian"], NOW)


def test_a_very_long_password_is_refused_without_error(database: Database) -> None:
    _add(database)
    with pytest.raises(BadCredentials):
        log_in(database, "aigerim", "x" * 1_000_000, NOW)


def test_lock_delay_rule() -> None:
    assert [lock_delay(n) for n in range(5)] == [None] * 5
    assert lock_delay(5) == timedelta(minutes=5)
    assert lock_delay(6) == timedelta(minutes=10)
    assert lock_delay(7) == timedelta(minutes=20)
    assert lock_delay(100) == timedelta(hours=24)
    delays = [lock_delay(n) for n in range(5, 40)]
    assert delays == sorted(delays)  # type: ignore[type-var]


def test_lockout_after_five_failures_then_a_growing_delay(database: Database) -> None:
    _add(database)
    clock = NOW
    for _ in range(4):
        with pytest.raises(BadCredentials):
            log_in(database, "aigerim", "wrong", clock)
    with pytest.raises(AccountLocked) as caught:
        log_in(database, "aigerim", "wrong", clock)
    assert caught.value.until == NOW + timedelta(minutes=5)
    assert caught.value.details() == {"until": (NOW + timedelta(minutes=5)).isoformat()}
    # even the right password is refused while locked
    with pytest.raises(AccountLocked):
        log_in(database, "aigerim", "correct horse", NOW + timedelta(minutes=4))
    # the lock has passed; one more failure locks for twice as long
    later = NOW + timedelta(minutes=6)
    with pytest.raises(AccountLocked) as caught:
        log_in(database, "aigerim", "wrong", later)
    assert caught.value.until == later + timedelta(minutes=10)
    after = later + timedelta(minutes=11)
    actor = log_in(database, "aigerim", "correct horse", after)
    assert actor.login == "aigerim"
    with database.read() as session:
        staff = session.scalars(select(Staff)).one()
        assert (staff.failed_logins, staff.locked_until, staff.last_login_at) == (0, None, after)


def test_an_administrator_unlocks_with_a_new_password(database: Database) -> None:
    team = make_team(database)
    for _ in range(5):
        with pytest.raises((BadCredentials, AccountLocked)):
            log_in(database, "librarian1", "wrong", NOW)
    with database.write() as session:
        reset_password(session, team.admin, "librarian1", "a brand new one", now=NOW)
    assert log_in(database, "librarian1", "a brand new one", NOW).role == "librarian"


def test_authenticate_inside_a_session_raises_the_same_errors(database: Database) -> None:
    _add(database)
    with database.write() as session:
        assert authenticate(session, "aigerim", "correct horse", NOW).login == "aigerim"
    with pytest.raises(BadCredentials), database.write() as session:
        authenticate(session, "aigerim", "wrong", NOW)


def test_passwords_are_never_stored_logged_or_audited_in_clear(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Құпия-сөз-9f3b"
    _add(database, "aigerim", "admin", secret)
    team_admin = log_in(database, "aigerim", secret, NOW)
    with database.write() as session:
        create_staff(session, team_admin, login="bolat", role="librarian",
                     password=secret + "-2", now=NOW)
        reset_password(session, team_admin, "bolat", secret + "-3", now=NOW)
    with pytest.raises(BadCredentials):
        log_in(database, "aigerim", secret + "-typo", NOW)
    with database.read() as session:
        dump = []
        for table in inspect(session.connection()).get_table_names():
            dump += [repr(row) for row in session.execute(text(f'SELECT * FROM "{table}"'))]
        hashes = list(session.scalars(select(Staff.password_hash)))
    everything = "\n".join(dump)
    assert secret not in everything
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert secret not in caplog.text


# permissions of each role


def test_each_role_calling_staff_and_settings_services(database: Database,
                                                       tmp_path: Path) -> None:
    team = make_team(database)
    for actor in (team.librarian, team.director):
        with pytest.raises(PermissionDenied), database.write() as session:
            create_staff(session, actor, login="intern", role="librarian",
                         password="long enough", now=NOW)
        with pytest.raises(PermissionDenied), database.write() as session:
            update_staff(session, actor, "admin1", now=NOW, active=False)
        with pytest.raises(PermissionDenied), database.read() as session:
            list_staff(session, actor)
        with pytest.raises(PermissionDenied), database.write() as session:
            reset_password(session, actor, "admin1", "taken over!", now=NOW)
        with pytest.raises(PermissionDenied), database.write() as session:
            library = load_library_settings(session)
            change_library_settings(session, actor, replace(library, name="Hijacked"), now=NOW)
        with pytest.raises(PermissionDenied), database.write() as session:
            save_staff_settings(session, actor, StaffSettings(idle_lock_minutes=0), now=NOW)
        backup = backup_database(database, directory=tmp_path / "b", now=NOW)
        with pytest.raises(PermissionDenied):
            restore_database(database, backup, directory=tmp_path / "b", now=NOW, actor=actor)
    # anyone may change their own password
    with database.write() as session:
        reset_password(session, team.librarian, "librarian1", "my own new one", now=NOW)
    assert log_in(database, "librarian1", "my own new one", NOW) == team.librarian


def test_a_director_cannot_lend_and_a_librarian_can(database: Database) -> None:
    world = build_world(database)
    team = make_team(database)
    with pytest.raises(PermissionDenied), database.write() as session:
        check_out(session, team.director, member_id=world.alice, copy_barcode="C1", now=NOW)
    with database.write() as session:
        check_out(session, team.librarian, member_id=world.alice, copy_barcode="C1", now=NOW)
    with database.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "loan")).one()
        assert (entry.actor, entry.staff_id) == ("librarian1", team.librarian.staff_id)


def test_settings_changes_are_audited_and_restores_too(database: Database,
                                                       tmp_path: Path) -> None:
    team = make_team(database)
    build_world(database)
    with database.write() as session:
        library = load_library_settings(session)
        change_library_settings(session, team.admin, replace(library, city="Алматы"), now=NOW)
        save_staff_settings(session, team.admin, StaffSettings(idle_lock_minutes=3), now=NOW)
    with database.read() as session:
        assert load_staff_settings(session).idle_lock_minutes == 3
        details = [json.loads(d) for d in session.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "settings_update")
            .order_by(AuditEntry.id))]
    assert details == [{"city": ["", "Алматы"]}, {"idle_lock_minutes": [10, 3]}]
    backup = backup_database(database, directory=tmp_path / "b", now=NOW)
    restore_database(database, backup, directory=tmp_path / "b",
                     now=NOW + timedelta(hours=1), actor=team.admin)
    with database.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "restore")).one()
        assert entry.actor == "admin1" and entry.staff_id == team.admin.staff_id
        assert json.loads(entry.details)["backup"] == backup.name


def test_idle_lock_setting_is_validated(database: Database) -> None:
    for minutes in (-1, 481):
        with pytest.raises(InvalidValue), database.write() as session:
            save_staff_settings(session, LOCAL_ADMIN, StaffSettings(minutes), now=NOW)

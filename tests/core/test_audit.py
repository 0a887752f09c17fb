"""Reading the audit trail (service and `audit` command), and the staff commands that
write it: `staff add` (password on standard input) and --login."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from mediatheque.audit import record_audit
from mediatheque.cli import main
from mediatheque.db import Database
from mediatheque.errors import PermissionDenied
from mediatheque.models import AuditEntry, Staff
from mediatheque.permissions import LOCAL_ADMIN, Actor
from mediatheque.staff.audit_log import AuditFilter, audit_vocabulary, read_audit
from tests.conftest import NOW
from tests.core.staff_helpers import cheap_hashing, make_team


@pytest.fixture(autouse=True)
def _cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)


def _fill(database: Database) -> None:
    bolat = Actor("bolat", "librarian")
    with database.write() as session:
        for minute in range(30):
            record_audit(session, bolat if minute % 3 else LOCAL_ADMIN,
                         action="loan" if minute % 2 else "return", entity="loan",
                         entity_id=minute, now=NOW + timedelta(minutes=minute),
                         happened_at=NOW - timedelta(days=1), details={"copy_id": minute})


def test_read_audit_filters_and_pages(database: Database) -> None:
    _fill(database)
    with database.read() as session:
        page = read_audit(session, LOCAL_ADMIN, limit=10)
        assert page.total == 30 and len(page.rows) == 10
        assert page.rows[0].entity_id == "29"  # newest first
        assert page.rows[0].details == {"copy_id": 29}
        assert page.rows[0].happened_at == NOW - timedelta(days=1)
        second = read_audit(session, LOCAL_ADMIN, offset=10, limit=10)
        assert [r.entity_id for r in second.rows] == [str(n) for n in range(19, 9, -1)]
        since = read_audit(session, LOCAL_ADMIN, AuditFilter(
            since=NOW + timedelta(minutes=25), until=NOW + timedelta(minutes=28)))
        assert [r.entity_id for r in since.rows] == ["27", "26", "25"]
        by_actor = read_audit(session, LOCAL_ADMIN, AuditFilter(actor="BOLAT", action="loan"))
        assert by_actor.total == 10
        assert all(r.actor == "bolat" and r.action == "loan" for r in by_actor.rows)
        one = read_audit(session, LOCAL_ADMIN, AuditFilter(entity="loan", entity_id="7"))
        assert one.total == 1
        assert audit_vocabulary(session, LOCAL_ADMIN) == (
            ["bolat", "local"], ["loan", "return"], ["loan"])


def test_only_administrators_and_directors_read_the_trail(database: Database) -> None:
    team = make_team(database)
    with database.read() as session:
        assert read_audit(session, team.director).total > 0
        with pytest.raises(PermissionDenied):
            read_audit(session, team.librarian)


def test_the_audit_module_offers_no_way_to_change_entries() -> None:
    import mediatheque.staff.audit_log as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    for word in ("delete(", "update(", "insert(", ".add(", "session.delete", "execute(text"):
        assert word not in source


def _run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, stdin: str,
         *argv: str) -> tuple[int, dict[str, object], str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else {}, captured.err


def test_staff_commands_login_and_audit_from_the_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("MEDIATHEQUE_PASSWORD", raising=False)
    base = ["--data-dir", str(tmp_path / "data"), "--json"]
    assert _run(capsys, monkeypatch, "", *base, "init", "--name", "AF", "--code", "KZ-AF")[0] == 0
    # without accounts, the local administrator creates the first one
    code, payload, _err = _run(capsys, monkeypatch, "first-secret\n", *base, "staff", "add",
                               "--login", "Admin", "--role", "admin")
    assert (code, payload) == (0, {"login": "admin", "role": "admin"})
    # now a command that changes or reads protected data needs --login
    code, payload, err = _run(capsys, monkeypatch, "", *base, "staff", "list")
    assert code == 1 and payload["error"] == "login_required" and "--login" in err
    code, payload, _err = _run(capsys, monkeypatch, "wrong\n", *base, "--login", "admin",
                               "staff", "list")
    assert code == 1 and payload["error"] == "bad_credentials"
    code, payload, _err = _run(capsys, monkeypatch, "x\n", *base, "--login", "' OR 1=1 --",
                               "staff", "list")
    assert code == 1 and payload["error"] == "bad_credentials"
    # acting password first, then the new account's
    code, payload, _err = _run(capsys, monkeypatch, "first-secret\nbolat-secret\n", *base,
                               "--login", "ADMIN", "staff", "add", "--login", "bolat",
                               "--role", "director")
    assert (code, payload) == (0, {"login": "bolat", "role": "director"})
    monkeypatch.setenv("MEDIATHEQUE_PASSWORD", "bolat-secret")
    code, payload, _err = _run(capsys, monkeypatch, "", *base, "--login", "bolat", "init",
                               "--name", "Renamed", "--code", "KZ-AF")
    assert code == 1 and payload["error"] == "permission_denied"
    code, payload, _err = _run(capsys, monkeypatch, "", *base, "--login", "bolat", "audit",
                               "--since", NOW.replace(year=2000).isoformat(), "--limit", "50")
    assert code == 0
    entries = payload["entries"]
    assert isinstance(entries, list)
    assert {"at", "recorded_at", "actor", "action", "entity", "details"} <= set(entries[0])
    actions = [(e["actor"], e["action"]) for e in entries]
    assert ("local", "staff_create") in actions and ("admin", "staff_create") in actions
    assert ("admin", "login_failed") in actions and ("bolat", "login") in actions
    assert "first-secret" not in json.dumps(payload) and "bolat-secret" not in json.dumps(
        payload)
    code, payload, _err = _run(capsys, monkeypatch, "", *base, "--login", "bolat", "audit",
                               "--limit", "1")
    assert len(payload["entries"]) == 1  # type: ignore[arg-type]


def test_help_says_a_library_without_accounts_acts_as_local_administrator(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--login" in out and "local administrator" in " ".join(out.split())


def test_staff_password_is_hashed_when_added_from_the_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database: Database,
    tmp_path: Path
) -> None:
    url = database.engine.url.render_as_string(hide_password=False)
    code, _payload, _err = _run(capsys, monkeypatch, "Сырлы-сөз-42\n", "--db", url,
                                "--data-dir", str(tmp_path / "d"), "--json", "staff", "add",
                                "--login", "aigerim", "--role", "admin")
    assert code == 0
    with database.read() as session:
        stored = session.scalars(select(Staff.password_hash)).one()
        assert stored.startswith("$argon2id$") and "Сырлы" not in stored
        details = " ".join(session.scalars(select(AuditEntry.details)))
        assert "Сырлы" not in details

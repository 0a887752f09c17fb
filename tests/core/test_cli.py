"""The command-line contract (CLI.md): options, JSON keys, exit codes, reasons."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mediatheque import __version__
from mediatheque.cli import main
from mediatheque.paths import backups_dir, default_database_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code = main(list(argv))
    captured = capsys.readouterr()
    lines = [line for line in captured.out.splitlines() if line.strip()]
    payload = json.loads(captured.out) if "--json" in argv and captured.out.strip() else {}
    if "--json" in argv and captured.out.strip():
        assert len(lines) == 1, "--json prints one object and nothing else on stdout"
    return code, payload, captured.err


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"mediatheque {__version__}"


def test_init_creates_the_library_in_the_data_directory(capsys, data: Path) -> None:  # type: ignore[no-untyped-def]
    code, payload, _ = run(capsys, "--data-dir", str(data), "--json", "init",
                           "--name", "Alliance Française d'Almaty", "--code", "kz-ala-af",
                           "--country", "KZ", "--timezone", "Asia/Almaty")
    assert code == 0
    assert payload["library"]["code"] == "KZ-ALA-AF"
    assert payload["library"]["timezone"] == "Asia/Almaty"
    assert default_database_path(data).exists()
    code, payload, _ = run(capsys, "--data-dir", str(data), "--json", "init",
                           "--name", "AF Almaty", "--code", "KZ-ALA-AF")
    assert payload["library"]["name"] == "AF Almaty"
    assert payload["library"]["timezone"] == "Asia/Almaty"  # kept when not given again


def test_init_refuses_a_bad_code_with_a_reason(capsys, data: Path) -> None:  # type: ignore[no-untyped-def]
    code, payload, err = run(capsys, "--data-dir", str(data), "--json", "init",
                             "--name", "X", "--code", "bad code!")
    assert code == 1
    assert payload["error"] == "invalid_value"
    assert payload["field"] == "code"
    assert err.strip().count("\n") == 0


def test_check_reports_schema_and_problems(capsys, data: Path) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "--data-dir", str(data), "init", "--name", "AF", "--code", "KZ-AF")
    code, payload, _ = run(capsys, "--data-dir", str(data), "--json", "check")
    assert code == 0
    assert payload["ok"] is True
    assert payload["problems"] == []
    assert payload["schema"]["current"] == payload["schema"]["head"]


def test_check_of_a_corrupt_file_says_so(capsys, data: Path) -> None:  # type: ignore[no-untyped-def]
    data.mkdir(parents=True)
    default_database_path(data).write_bytes(b"definitely not sqlite" * 50)
    code, payload, _ = run(capsys, "--data-dir", str(data), "--json", "check")
    assert code == 1
    assert payload["ok"] is False
    assert payload["problems"]


def test_backup_and_restore_round_trip(capsys, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "--data-dir", str(data), "init", "--name", "Before", "--code", "KZ-AF")
    out = tmp_path / "copy.db"
    code, payload, _ = run(capsys, "--data-dir", str(data), "--json", "backup", "--out", str(out))
    assert code == 0 and payload["path"] == str(out) and out.exists()
    run(capsys, "--data-dir", str(data), "init", "--name", "After", "--code", "KZ-AF")
    code, payload, _ = run(capsys, "--data-dir", str(data), "--json", "restore", str(out))
    assert code == 0
    assert payload["restored"] == str(out)
    assert Path(payload["previous_backup"]).parent == backups_dir(data)
    code, payload, _ = run(capsys, "--data-dir", str(data), "--json", "init",
                           "--name", "Checked", "--code", "KZ-AF")
    with sqlite3.connect(out) as connection:
        name = connection.execute(
            "SELECT value FROM setting WHERE key = 'library.name'").fetchone()[0]
    assert json.loads(name) == "Before"


def test_restore_of_a_file_that_is_not_a_backup(capsys, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "--data-dir", str(data), "init", "--name", "Mine", "--code", "KZ-AF")
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello", encoding="utf-8")
    code, payload, err = run(capsys, "--data-dir", str(data), "--json", "restore", str(bogus))
    assert code == 1
    assert payload["error"] == "not_a_backup"
    assert "notes.txt" in err


def test_restore_over_a_corrupt_database(capsys, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "--data-dir", str(data), "init", "--name", "Saved", "--code", "KZ-AF")
    out = tmp_path / "good.db"
    run(capsys, "--data-dir", str(data), "backup", "--out", str(out))
    database = default_database_path(data)
    database.write_bytes(b"corrupted" * 500)
    code, payload, _ = run(capsys, "--data-dir", str(data), "--json", "restore", str(out))
    assert code == 0
    assert Path(payload["damaged_file"]).read_bytes() == b"corrupted" * 500
    code, payload, _ = run(capsys, "--data-dir", str(data), "--json", "check")
    assert payload["ok"] is True


def test_invalid_db_url_is_a_usage_error(capsys, data: Path) -> None:  # type: ignore[no-untyped-def]
    code, payload, err = run(capsys, "--data-dir", str(data), "--db", "oracle://x/y", "--json",
                             "check")
    assert code == 2
    assert payload["error"] == "invalid_database_url"
    assert "oracle://x/y" in err


def test_environment_variable_gives_the_database(capsys, data: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "from-env.db"
    monkeypatch.setenv("MEDIATHEQUE_DB", f"sqlite:///{target}")
    code, _, _ = run(capsys, "--data-dir", str(data), "init", "--name", "Env", "--code", "KZ-E")
    assert code == 0 and target.exists()
    assert not default_database_path(data).exists()


def test_unwritable_data_directory(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    code, payload, _ = run(capsys, "--data-dir", str(blocker / "data"), "--json", "check")
    assert code == 1
    assert payload["error"] == "data_dir_unwritable"


def test_usage_errors_exit_2(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["no-such-command"]) == 2
    assert main(["demo", "--records", "-5"]) == 2
    assert main(["init", "--name", "only the name"]) == 2
    capsys.readouterr()


def test_human_output_follows_lang(capsys, data: Path) -> None:  # type: ignore[no-untyped-def]
    from mediatheque.i18n import _, language

    run(capsys, "--data-dir", str(data), "init", "--name", "AF", "--code", "KZ-AF")
    for lang in ("fr", "ru", "kk", "en"):
        code = main(["--data-dir", str(data), "--lang", lang, "check"])
        out = capsys.readouterr().out
        with language(lang):
            expected = _("Integrity: ok")
        assert code == 0 and expected in out


def _hold_lock(path: Path, ready: threading.Event, release: threading.Event) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    ready.set()
    release.wait(10)
    connection.execute("ROLLBACK")
    connection.close()


def test_a_locked_database_gives_a_clear_refusal(capsys, data: Path,  # type: ignore[no-untyped-def]
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, "--data-dir", str(data), "init", "--name", "AF", "--code", "KZ-AF")
    monkeypatch.setenv("MEDIATHEQUE_BUSY_TIMEOUT", "0.3")
    ready, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_lock,
                              args=(default_database_path(data), ready, release))
    holder.start()
    ready.wait(5)
    try:
        code, payload, _err = run(capsys, "--data-dir", str(data), "--json", "init",
                                  "--name", "Renamed", "--code", "KZ-AF")
    finally:
        release.set()
        holder.join()
    assert code == 1
    assert payload["error"] == "database_locked"
    code, payload, _ = run(capsys, "--data-dir", str(data), "--json", "init",
                           "--name", "Renamed", "--code", "KZ-AF")
    assert code == 0 and payload["library"]["name"] == "Renamed"


def test_the_installed_command_runs_without_qt_for_subcommands(data: Path) -> None:
    script = (
        "import sys\n"
        "from mediatheque.ui.entry import main\n"
        "code = main()\n"
        "assert 'PySide6' not in sys.modules, 'a subcommand loaded Qt'\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "--data-dir", str(data), "--json", "check"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ok"] is True


def test_json_may_follow_the_command_too(capsys, data: Path) -> None:  # type: ignore[no-untyped-def]
    code, payload, _ = run(capsys, "--data-dir", str(data), "init", "--name", "AF Bichkek",
                           "--code", "KG-BIS", "--json")
    assert code == 0 and payload["library"]["code"] == "KG-BIS"
    code, payload, _ = run(capsys, "--data-dir", str(data), "catalogue", "search", "x",
                           "--json")
    assert code == 0 and payload["total"] == 0


def test_a_members_language_is_not_the_language_of_the_messages(capsys, data: Path) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "--data-dir", str(data), "init", "--name", "AF Almaty", "--code", "KZ-ALA")
    code, _payload, _err = run(capsys, "--data-dir", str(data), "members", "add", "--first",
                               "Әсем", "--last", "Әуезова", "--lang", "kk")
    assert code == 0
    # `--lang kk` after `members add` is Әсем's language; the messages stay in French.
    code = main(["--data-dir", str(data), "members", "add", "--first", "Jean", "--last",
                 "Dupont", "--lang", "kk"])
    out = capsys.readouterr().out
    assert code == 0 and "inscrit" in out, out
    code, payload, _ = run(capsys, "--data-dir", str(data), "--json", "members", "show",
                           "100100000015")
    assert payload["member"]["language"] == "kk"

"""The application from end to end: the console script, start-up, first run, self-test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from mediatheque.db import Database
from mediatheque.i18n import _, current_language
from mediatheque.library import initialise_library
from mediatheque.settings import load_library_settings
from mediatheque.startup import OpenedDatabase
from mediatheque.ui import application, dialogs
from mediatheque.ui.app import DeskPreferences
from mediatheque.ui.dialogs import Choice
from mediatheque.ui.entry import QtFrontend
from mediatheque.ui.main_window import MainWindow
from tests.ui.helpers import LIBRARY

ROOT = Path(__file__).resolve().parents[2]


def _close_main_window_soon(seen: list[MainWindow]) -> None:
    def close() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                seen.append(widget)
                widget.close()

    QTimer.singleShot(50, close)


def test_application_opens_the_window_and_exits_when_it_closes(
    qapp: QApplication, opened: OpenedDatabase, data_dir: Path
) -> None:
    opened.database.dispose()
    seen: list[MainWindow] = []
    _close_main_window_soon(seen)
    assert application.run_application(None, data_dir, "en") == 0
    assert len(seen) == 1
    window = seen[0]
    assert window.windowTitle().endswith(LIBRARY.name)
    assert str(data_dir / "mediatheque.db") in window.database_label.toolTip()
    assert DeskPreferences.for_user().window_geometry  # kept for the next start
    window.deleteLater()


def test_language_follows_the_desk_then_the_library(
    qapp: QApplication, opened: OpenedDatabase, data_dir: Path
) -> None:
    from dataclasses import replace

    from mediatheque.i18n import current_language
    from mediatheque.settings import save_library_settings

    with opened.database.write() as session:
        save_library_settings(session, replace(LIBRARY, language="ru"))
    opened.database.dispose()
    seen: list[MainWindow] = []
    _close_main_window_soon(seen)
    application.run_application(None, data_dir, None)
    assert current_language() == "ru"  # nothing chosen on this desk: the library's
    preferences = DeskPreferences.for_user()
    preferences.language = "kk"
    _close_main_window_soon(seen)
    application.run_application(None, data_dir, None)
    assert current_language() == "kk"  # this desk's choice wins
    _close_main_window_soon(seen)
    application.run_application(None, data_dir, "en")
    assert current_language() == "en"  # --lang wins over both
    for window in seen:
        window.deleteLater()


def test_first_run_dialog_comes_first_and_quitting_it_quits(
    qapp: QApplication, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    class Refused:
        def __init__(self, _database: Database, _languages: object) -> None:
            shown.append("first run")

        def exec(self) -> int:
            return QDialog.DialogCode.Rejected

    monkeypatch.setattr(application, "FirstRunDialog", Refused)
    assert application.run_application(None, data_dir, None) == 0
    assert shown == ["first run"]


def test_first_run_then_main_window(
    qapp: QApplication, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Accepted:
        def __init__(self, database: Database, _languages: object) -> None:
            self.database = database

        def exec(self) -> int:
            with self.database.write() as session:
                initialise_library(session, LIBRARY)
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(application, "FirstRunDialog", Accepted)
    seen: list[MainWindow] = []
    _close_main_window_soon(seen)
    assert application.run_application(None, data_dir, None) == 0
    assert len(seen) == 1
    with seen[0].context.database.read() as session:
        assert load_library_settings(session).is_initialised
    seen[0].deleteLater()


def test_a_database_that_cannot_be_opened_exits_with_1(
    qapp: QApplication, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, error, title="": errors.append(title))
    assert application.run_application("mysql://nowhere/db", data_dir, None) == 1
    assert current_language() == "fr"  # nothing chosen: the default language
    assert errors == [_("The database cannot be opened")]


def test_self_test_checks_the_window(qapp: QApplication, tmp_path: Path) -> None:
    checks = QtFrontend().self_test_checks(tmp_path)
    assert [(check.name, check.ok) for check in checks] == [("window", True)]
    assert "fr ru kk en" in checks[0].detail
    assert (tmp_path / "window.png").stat().st_size > 10_000


def test_console_script_runs_the_self_test_with_the_window(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from mediatheque.ui import entry

    monkeypatch.setattr(sys, "argv", ["mediatheque", "--json", "--self-test"])
    assert entry.main() == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert "window" in [check["name"] for check in report["checks"]]


def test_commands_never_load_qt(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        f"sys.argv = ['mediatheque', '--data-dir', {str(tmp_path)!r}, '--json', 'check']\n"
        "from mediatheque.ui.entry import main\n"
        "code = main()\n"
        "loaded = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not loaded, loaded\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ok"] is True


def test_ask_choice_returns_the_button_pressed(qtbot: QtBot) -> None:
    def press_restore() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        button = next(b for b in box.findChildren(QPushButton) if b.text() == "&Restore")
        button.click()

    QTimer.singleShot(0, press_restore)
    answer = dialogs.ask_choice(
        None, "Damaged database", "Restore?",
        [Choice("restore", "&Restore", accept=True), Choice("quit", "&Quit")], critical=True,
    )
    assert answer == "restore"


def test_ask_choice_escape_means_the_rejecting_choice(qtbot: QtBot) -> None:
    def escape() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.reject()

    QTimer.singleShot(0, escape)
    answer = dialogs.ask_choice(
        None, "Busy", "Try again?",
        [Choice("retry", "&Try again", accept=True), Choice("quit", "&Quit")],
    )
    assert answer == "quit"

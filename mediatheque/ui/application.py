"""Starting the application: language, database, first run, main window, event loop."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog

from mediatheque.db import sqlite_url
from mediatheque.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, current_language, translations
from mediatheque.library import initialise_library
from mediatheque.privacy import anonymise_old_loans
from mediatheque.selftest import SelfTestCheck
from mediatheque.settings import LibrarySettings, load_library_settings
from mediatheque.staff import actor_without_login
from mediatheque.startup import OpenedDatabase, open_database
from mediatheque.ui.app import DeskPreferences, Languages, ensure_application
from mediatheque.ui.context import create_context, utc_now
from mediatheque.ui.first_run import FirstRunDialog
from mediatheque.ui.login import LoginDialog, install_desk_lock
from mediatheque.ui.main_window import MainWindow
from mediatheque.ui.opening import open_with_dialogs

EXIT_OK, EXIT_FAILED = 0, 1


def run_application(
    db_option: str | None, data_dir: Path, language: str | None
) -> int:
    """The application's whole life; returns the exit status."""
    app = ensure_application()
    preferences = DeskPreferences.for_user()
    languages = Languages(app, preferences)
    languages.apply(language or preferences.language or DEFAULT_LANGUAGE)
    opened = open_with_dialogs(db_option, data_dir, clock=utc_now)
    if opened is None:
        languages.deleteLater()
        return EXIT_FAILED
    try:
        window = start_window(
            opened, data_dir, languages=languages, preferences=preferences,
            follow_library_language=language is None and preferences.language is None,
        )
        if window is None:
            return EXIT_OK
        window.show()
        if opened.upgraded_from not in (None, "empty") and opened.backup is not None:
            window.statusBar().showMessage(_(
                "The database has been upgraded; it was backed up first ({name})."
            ).format(name=opened.backup.name))
        return app.exec()
    finally:
        opened.database.dispose()
        languages.deleteLater()


def start_window(
    opened: OpenedDatabase,
    data_dir: Path,
    *,
    languages: Languages,
    preferences: DeskPreferences,
    follow_library_language: bool = False,
    synchronous: bool = False,
    clock: Callable[[], datetime] = utc_now,
) -> MainWindow | None:
    """Runs the first-run dialog when the library has no name yet, then builds the main
    window (which starts the daily backups). None when the librarian quits the first run."""
    database = opened.database
    with database.read() as session:
        library = load_library_settings(session)
    if not library.is_initialised:
        dialog = FirstRunDialog(database, languages)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
    elif follow_library_language:
        languages.apply(library.language)
    actor = actor_without_login(database)
    if actor is None:
        login = LoginDialog(database, clock, library_name=library.name)
        if login.exec() != QDialog.DialogCode.Accepted or login.actor is None:
            return None
        actor = login.actor
    with database.write() as session:
        anonymise_old_loans(session, clock())  # the privacy pass, once per start
    context = create_context(
        database, data_dir, opened.schema, preferences=preferences, languages=languages,
        synchronous=synchronous, clock=clock,
    )
    context.actor = actor
    window = MainWindow(context)
    for qobject in (context.runner, context.backups, context.events):
        qobject.setParent(window)
    if actor.staff_id is not None:
        window.desk_lock = install_desk_lock(window, context)
    return window


def self_test_window(scratch: Path) -> list[SelfTestCheck]:
    """`mediatheque --self-test`: the main window on a scratch database, drawn offscreen,
    in every language."""
    if QApplication.instance() is None and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    with _without_offscreen_noise():
        return _self_test_window(scratch)


def _self_test_window(scratch: Path) -> list[SelfTestCheck]:
    app = ensure_application()
    data_dir = scratch / "window"
    preferences = DeskPreferences.in_file(data_dir / "desk.ini")
    languages = Languages(app, preferences)
    previous_language = current_language()
    opened = open_database(
        sqlite_url(data_dir / "mediatheque.db"), data_dir=data_dir, now=utc_now()
    )
    try:
        with opened.database.write() as session:
            initialise_library(session, LibrarySettings(name="Self-test", code="SELF-TEST"))
        window = start_window(
            opened, data_dir, languages=languages, preferences=preferences, synchronous=True
        )
        assert window is not None
        window.show()
        app.processEvents()
        image = window.grab()
        picture = scratch / "window.png"
        if image.isNull() or not image.save(str(picture)):
            raise RuntimeError("the main window could not be drawn")
        for code in LANGUAGES:
            languages.apply(code)
            app.processEvents()
            expected = translations(code).gettext("Settings")
            shown = window.page_title("settings")
            if shown != expected:
                raise RuntimeError(f"{code}: the window shows {shown!r}, not {expected!r}")
        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        opened.database.dispose()
        languages.apply(previous_language)
        languages.deleteLater()
    return [SelfTestCheck(
        "window", True,
        f"{image.width()}x{image.height()} offscreen ({app.platformName()}); "
        f"languages {' '.join(LANGUAGES)}",
    )]


@contextmanager
def _without_offscreen_noise() -> Iterator[None]:
    """The offscreen platform warns about what it cannot do (resize windows to their
    hints, raise a popup): true, harmless, and not something a self-test should print."""

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message.startswith("This plugin does not support"):
            return
        if previous is not None:
            previous(kind, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)

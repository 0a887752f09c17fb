"""Draws the application's windows into PNG files, to look at them and for the docs.

    python tools/screenshot.py [--out docs/screenshots] [--lang fr ru kk en]

Builds a small library in a scratch data folder (with a few backups of different kinds),
opens the real main window and the first-run dialog, and saves a grab of each:
main-window-<lang>.png and first-run-<lang>.png. Without a display it draws offscreen;
under Xvfb (xvfb-run python tools/screenshot.py) it uses the real X11 platform.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from mediatheque.backups import backup_database  # noqa: E402
from mediatheque.db import sqlite_url  # noqa: E402
from mediatheque.i18n import LANGUAGES  # noqa: E402
from mediatheque.library import initialise_library  # noqa: E402
from mediatheque.paths import backups_dir  # noqa: E402
from mediatheque.settings import LibrarySettings  # noqa: E402
from mediatheque.startup import open_database  # noqa: E402
from mediatheque.ui.app import DeskPreferences, Languages, ensure_application  # noqa: E402
from mediatheque.ui.context import create_context  # noqa: E402
from mediatheque.ui.first_run import FirstRunDialog  # noqa: E402
from mediatheque.ui.main_window import MainWindow  # noqa: E402

WINDOW_SIZE = (1100, 700)
NOW = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
LIBRARY = LibrarySettings(
    name="Médiathèque de l'Alliance Française d'Almaty",
    short_name="AF Almaty",
    code="KZ-ALA-AF",
    city="Almaty",
    country="KZ",
    timezone="Asia/Almaty",
    language="fr",
)
# (days before NOW, reason) of the backups shown in the list
BACKUPS = ((0, None), (1, None), (2, None), (6, "before-restore"), (9, None), (40, None),
           (41, "before-upgrade"))


def save(widget: QWidget, path: Path) -> None:
    app = QApplication.instance()
    assert app is not None
    for _ in range(3):
        app.processEvents()
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(path)


def main_window(data: Path, languages: Languages, preferences: DeskPreferences,
                language: str, out: Path) -> None:
    opened = open_database(sqlite_url(data / "mediatheque.db"), data_dir=data, now=NOW)
    try:
        with opened.database.write() as session:
            initialise_library(session, LIBRARY)
        for days, reason in BACKUPS:
            backup_database(opened.database, directory=backups_dir(data),
                            now=NOW - timedelta(days=days, hours=days % 5), reason=reason)
        languages.apply(language)
        context = create_context(
            opened.database, data, opened.schema, preferences=preferences,
            languages=languages, synchronous=True, clock=lambda: NOW,
        )
        window = MainWindow(context)
        window.resize(*WINDOW_SIZE)
        window.show()
        settings = window.pages["settings"]
        settings.backups.list.setCurrentItem(settings.backups.list.topLevelItem(0))
        window.statusBar().clearMessage()
        save(window, out / f"main-window-{language}.png")
        context.backups.stop()
        window.hide()
        window.deleteLater()
    finally:
        opened.database.dispose()


def first_run(data: Path, languages: Languages, language: str, out: Path) -> None:
    opened = open_database(sqlite_url(data / "new.db"), data_dir=data, now=NOW)
    try:
        languages.apply(language)
        dialog = FirstRunDialog(opened.database, languages)
        dialog.form.name.setText("Médiathèque de l'Alliance Française d'Astana")
        dialog.form.code.setText("KZ-AST-AF")
        dialog._update_ok()
        dialog.show()
        dialog.form.name.deselect()
        save(dialog, out / f"first-run-{language}.png")
        dialog.hide()
        dialog.deleteLater()
    finally:
        opened.database.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", nargs="+", choices=LANGUAGES, default=["fr"])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = ensure_application()
    scratch = Path(tempfile.mkdtemp(prefix="mediatheque-screenshots-"))
    try:
        preferences = DeskPreferences.in_file(scratch / "desk.ini")
        languages = Languages(app, preferences)
        for language in args.lang:
            data = scratch / language / "Mediatheque"
            main_window(data, languages, preferences, language, args.out)
            first_run(data, languages, language, args.out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

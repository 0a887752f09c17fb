"""Draws the staff screens into PNG files, to look at them: the login dialog, the lock screen
over the main window, Settings (staff accounts, privacy) and the Audit page.

    xvfb-run -a -s "-screen 0 1280x800x24" python tools/screenshot_staff.py [--out DIR]
        [--lang fr]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtWidgets import QApplication, QScrollArea, QWidget  # noqa: E402

from mediatheque.circulation.loans import check_out, return_copy  # noqa: E402
from mediatheque.db import sqlite_url  # noqa: E402
from mediatheque.errors import BadCredentials  # noqa: E402
from mediatheque.library import initialise_library  # noqa: E402
from mediatheque.models import Copy, Member, MemberCategory, Record  # noqa: E402
from mediatheque.permissions import LOCAL_ADMIN  # noqa: E402
from mediatheque.settings import LibrarySettings, load_library_settings  # noqa: E402
from mediatheque.staff import (  # noqa: E402
    change_library_settings,
    create_staff,
    log_in,
    update_staff,
)
from mediatheque.startup import open_database  # noqa: E402
from mediatheque.ui.app import DeskPreferences, Languages, ensure_application  # noqa: E402
from mediatheque.ui.context import create_context  # noqa: E402
from mediatheque.ui.login import LoginDialog, install_desk_lock  # noqa: E402
from mediatheque.ui.main_window import MainWindow  # noqa: E402

NOW = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
LIBRARY = LibrarySettings(name="Médiathèque de l'Alliance Française d'Almaty",
                          short_name="AF Almaty", code="KZ-ALA-AF", city="Almaty")


def save(widget: QWidget, path: Path) -> None:
    app = QApplication.instance()
    assert app is not None
    for _ in range(5):
        app.processEvents()
    widget.grab().save(str(path))
    print(path)


def save_screen(path: Path) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for _ in range(5):
        app.processEvents()
    app.primaryScreen().grabWindow(0).save(str(path))
    print(path)


def fill(database) -> None:  # type: ignore[no-untyped-def]
    with database.write() as session:
        initialise_library(session, LIBRARY)
        create_staff(session, LOCAL_ADMIN, login="aigerim", role="admin",
                     password="aigerim-secret", now=NOW - timedelta(days=30),
                     display_name="Айгерім Сәрсенова")
    admin = log_in(database, "aigerim", "aigerim-secret", NOW - timedelta(days=30))
    with database.write() as session:
        create_staff(session, admin, login="bolat", role="librarian", password="bolat-secret",
                     now=NOW - timedelta(days=29), display_name="Болат Ким")
        create_staff(session, admin, login="claire", role="director", password="claire-secret",
                     now=NOW - timedelta(days=29), display_name="Claire Dubois")
        create_staff(session, admin, login="stagiaire", role="librarian",
                     password="intern-secret", now=NOW - timedelta(days=20))
        update_staff(session, admin, "stagiaire", active=False, now=NOW - timedelta(days=2))
        change_library_settings(session, admin, LibrarySettings(
            **{**load_library_settings(session).__dict__, "city": "Алматы"}),
            now=NOW - timedelta(days=10))
        category = session.query(MemberCategory).first()
        assert category is not None
        session.add(Member(barcode="1001000000017", first_name="Дана", last_name="Омарова",
                           category_id=category.id, membership_start=NOW.date(),
                           membership_expiry=NOW.date() + timedelta(days=365),
                           created_at=NOW, updated_at=NOW))
        for number, title in enumerate(("Абай жолы", "Les Misérables", "Le Petit Prince")):
            record = Record(title=title, media_type="book", created_at=NOW, updated_at=NOW)
            session.add(record)
            session.flush()
            session.add(Copy(record_id=record.id, barcode=f"200000000{number}", status="available",
                             created_at=NOW, updated_at=NOW))
    librarian = log_in(database, "bolat", "bolat-secret", NOW - timedelta(hours=3))
    for attempt in range(2):
        with contextlib.suppress(BadCredentials):
            log_in(database, "bolat", "wrong", NOW - timedelta(hours=4, minutes=attempt))
    with database.write() as session:
        member = session.query(Member).one()
        for number in range(3):
            check_out(session, librarian, member_id=member.id,
                      copy_barcode=f"200000000{number}", now=NOW - timedelta(hours=2),
                      at=NOW - timedelta(days=1) if number == 2 else None)
        return_copy(session, librarian, copy_barcode="2000000001", now=NOW - timedelta(hours=1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--lang", default="fr")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = ensure_application()
    data = Path(tempfile.mkdtemp(prefix="mediatheque-staff-shots-"))
    preferences = DeskPreferences.in_file(data / "desk.ini")
    languages = Languages(app, preferences)
    languages.apply(args.lang)
    opened = open_database(sqlite_url(data / "mediatheque.db"), data_dir=data, now=NOW)
    database = opened.database
    fill(database)
    lang = args.lang

    login = LoginDialog(database, lambda: NOW, library_name=LIBRARY.name)
    login.show()
    login.login.setText("bolat")
    login.password.setText("wrong")
    login.try_login()
    save(login, args.out / f"login-{lang}.png")
    login.close()

    context = create_context(database, data, opened.schema, preferences=preferences,
                             languages=languages, synchronous=True, clock=lambda: NOW)
    context.actor = log_in(database, "aigerim", "aigerim-secret", NOW)
    window = MainWindow(context)
    window.resize(1240, 760)
    window.move(10, 10)
    lock = install_desk_lock(window, context)
    window.show()
    window.show_page("audit")
    audit = window.pages["audit"]
    audit.period.setCurrentIndex(audit.period.findData("all"))
    save(window, args.out / f"audit-{lang}.png")
    window.show_page("settings")
    settings = window.pages["settings"]
    save(window, args.out / f"settings-top-{lang}.png")
    settings.show_tab_of(settings.staff)  # the Settings page has one tab per subject
    scroll = settings.tabs.currentWidget()
    assert isinstance(scroll, QScrollArea)
    scroll.ensureWidgetVisible(settings.staff, 0, 0)
    scroll.ensureWidgetVisible(settings.privacy, 0, 0)
    settings.staff.select("bolat")
    save(window, args.out / f"settings-staff-{lang}.png")
    window.show_page("catalogue")
    lock.lock()
    assert lock.dialog is not None
    lock.dialog.move(window.geometry().center() - lock.dialog.rect().center())
    save(lock.dialog, args.out / f"lock-{lang}.png")
    save_screen(args.out / f"lock-screen-{lang}.png")
    database.dispose()


if __name__ == "__main__":
    main()

"""Draws the Calendar panel of the Settings page into PNG files, to look at it: closed
weekdays, the holidays of the year, a hand-added closure and an emergency closure.

    xvfb-run -a -s "-screen 0 1280x800x24" python tools/screenshot_calendar.py [--out DIR]
        [--lang fr]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QDate  # noqa: E402
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget  # noqa: E402

from mediatheque.circulation import check_out  # noqa: E402
from mediatheque.circulation.calendar import add_closure, add_kazakhstan_holidays  # noqa: E402
from mediatheque.db import sqlite_url  # noqa: E402
from mediatheque.library import initialise_library  # noqa: E402
from mediatheque.models import Copy, Member, MemberCategory, Record  # noqa: E402
from mediatheque.permissions import LOCAL_ADMIN  # noqa: E402
from mediatheque.settings import LibrarySettings  # noqa: E402
from mediatheque.startup import open_database  # noqa: E402
from mediatheque.ui import dialogs  # noqa: E402
from mediatheque.ui.app import DeskPreferences, Languages, ensure_application  # noqa: E402
from mediatheque.ui.context import create_context  # noqa: E402
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


def fill(database) -> None:  # type: ignore[no-untyped-def]
    with database.write() as session:
        initialise_library(session, LIBRARY)
        add_kazakhstan_holidays(session, LOCAL_ADMIN, 2026, now=NOW)
        add_closure(session, LOCAL_ADMIN, start_on=date(2026, 5, 27), end_on=date(2026, 5, 27),
                    reason="Құрбан айт", now=NOW)
        category = session.query(MemberCategory).first()
        assert category is not None
        member = Member(barcode="100100000017", first_name="Дана", last_name="Омарова",
                        category_id=category.id, membership_start=NOW.date(),
                        membership_expiry=date(2027, 11, 20), created_at=NOW, updated_at=NOW)
        session.add(member)
        for number in range(3):
            record = Record(title=f"Livre {number}", created_at=NOW, updated_at=NOW)
            session.add(record)
            session.flush()
            session.add(Copy(record_id=record.id, barcode=f"20000000{number}", created_at=NOW,
                             updated_at=NOW))
        session.flush()
        for number in range(3):
            check_out(session, LOCAL_ADMIN, member_id=member.id,
                      copy_barcode=f"20000000{number}", now=NOW)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--lang", default="fr")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = ensure_application()
    data = Path(tempfile.mkdtemp(prefix="mediatheque-calendar-shots-"))
    preferences = DeskPreferences.in_file(data / "desk.ini")
    languages = Languages(app, preferences)
    languages.apply(args.lang)
    opened = open_database(sqlite_url(data / "mediatheque.db"), data_dir=data, now=NOW)
    fill(opened.database)
    context = create_context(opened.database, data, opened.schema, preferences=preferences,
                             languages=languages, synchronous=True, clock=lambda: NOW)
    window = MainWindow(context)
    window.resize(1240, 760)
    window.move(10, 10)
    window.show()
    window.show_page("settings")
    settings = window.pages["settings"]
    panel = settings.calendar
    panel.refresh()
    settings.show_tab_of(panel)  # the Settings page has one tab per subject
    scroll = settings.tabs.currentWidget()
    assert isinstance(scroll, QScrollArea)
    scroll.ensureWidgetVisible(panel, 0, 0)
    scroll.ensureWidgetVisible(panel.result, 0, 0)
    save(window, args.out / f"calendar-{args.lang}.png")
    dialogs.confirm = lambda *_args: True  # type: ignore[assignment]
    panel.start.setDate(QDate(2026, 12, 10))
    panel.end.setDate(QDate(2026, 12, 11))
    panel.reason.setText("Panne de chauffage")
    panel.declare_emergency()
    scroll.ensureWidgetVisible(panel.result, 0, 0)
    save(window, args.out / f"calendar-emergency-{args.lang}.png")
    opened.database.dispose()


if __name__ == "__main__":
    main()

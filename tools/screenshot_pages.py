"""Every page of the main window, and every tab of Settings, in each language, on a small
demo library: the pictures to check by eye for cut or untranslated text; and the desk at work
(<lang>-desk-member.png: a member's card scanned, then a copy lent).

    xvfb-run -a .venv/bin/python tools/screenshot_pages.py --out /tmp/pages --lang fr ru kk en

Without a display it draws offscreen (the fonts may then differ from a real desktop).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

from sqlalchemy import exists, select

from mediatheque.db import Database, sqlite_url
from mediatheque.demo.generate import generate_demo
from mediatheque.library import initialise_library
from mediatheque.models import Copy, Loan, Member
from mediatheque.settings import LibrarySettings
from mediatheque.startup import open_database
from mediatheque.ui.app import DeskPreferences, Languages, ensure_application
from mediatheque.ui.context import create_context
from mediatheque.ui.main_window import PAGES, MainWindow

NOW = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
WINDOW_SIZE = (1280, 760)
LIBRARY = LibrarySettings(name="Médiathèque de l'Alliance Française d'Almaty", code="KZ-ALA",
                          city="Almaty", country="KZ", timezone="Asia/Almaty")


def desk_codes(database: Database) -> tuple[str, str]:
    """A member with loans, none overdue, and a copy on the shelf: what the desk shot scans."""
    today = NOW.date()
    open_loan = Loan.returned_at.is_(None)
    with database.read() as session:
        late = select(Loan.member_id).where(open_loan, Loan.due_on < today)
        member = session.scalars(
            select(Member.barcode)
            .where(Member.status == "active", Member.membership_expiry > today,
                   Member.id.in_(select(Loan.member_id).where(open_loan)),
                   Member.id.not_in(late.where(Loan.member_id.is_not(None))))
            .order_by(Member.id).limit(1)).one()
        copy = session.scalars(
            select(Copy.barcode)
            .where(Copy.status == "available",
                   ~exists().where(Loan.copy_id == Copy.id, open_loan))
            .order_by(Copy.id).limit(1)).one()
    return member, copy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--lang", nargs="+", default=["fr", "ru", "kk", "en"])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = ensure_application()
    data = Path(tempfile.mkdtemp(prefix="mediatheque-pages-"))
    opened = open_database(sqlite_url(data / "mediatheque.db"), data_dir=data, now=NOW)
    with opened.database.write() as session:
        initialise_library(session, LIBRARY)
        generate_demo(session, records=300, copies_per_record=1.5, members=80, loans=900,
                      seed=3, today=NOW.date(), now=NOW)
    preferences = DeskPreferences.in_file(data / "desk.ini")
    languages = Languages(app, preferences)
    for language in args.lang:
        languages.apply(language)
        context = create_context(opened.database, data, opened.schema,
                                 preferences=preferences, languages=languages,
                                 synchronous=True, clock=lambda: NOW)
        window = MainWindow(context)
        window.resize(*WINDOW_SIZE)
        window.show()
        for spec in PAGES:
            window.show_page(spec.key)
            page = window.pages[spec.key]
            tabs = getattr(page, "tabs", None)
            for tab in range(tabs.count() if tabs is not None else 1):
                if tabs is not None:
                    tabs.setCurrentIndex(tab)
                for _ in range(5):
                    app.processEvents()
                suffix = f"-{tab + 1}" if tabs is not None else ""
                path = args.out / f"{language}-{spec.key}{suffix}.png"
                window.grab().save(str(path))
                print(path)
        window.show_page("desk")
        desk = window.pages["desk"]
        for code in desk_codes(opened.database):
            desk.scan(code)
        for _ in range(5):
            app.processEvents()
        path = args.out / f"{language}-desk-member.png"
        window.grab().save(str(path))
        print(path)
        desk.close_member()
        context.backups.stop()
        window.close()
        window.deleteLater()
        app.processEvents()
    opened.database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

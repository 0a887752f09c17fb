"""Draws the Catalogue page and the record editor into PNG files, for the docs.

    xvfb-run -a -s "-screen 0 1280x800x24" python tools/screenshot_catalogue.py [--lang fr ru]

Builds a demo library of 2,000 records in a scratch folder, opens the main window on the
Catalogue page with a search typed, and the record editor filled from a lookup (a fixed
BookMetadata, as the BnF answers for Le Petit Prince; no network): catalogue-<lang>.png and
record-editor-<lang>.png.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QImage, QPainter  # noqa: E402

from mediatheque.catalogue.lookup import LookupOutcome  # noqa: E402
from mediatheque.catalogue.metadata import BookMetadata, Person  # noqa: E402
from mediatheque.db import sqlite_url  # noqa: E402
from mediatheque.demo import generate_demo  # noqa: E402
from mediatheque.i18n import LANGUAGES  # noqa: E402
from mediatheque.startup import open_database  # noqa: E402
from mediatheque.ui import record_editor  # noqa: E402
from mediatheque.ui.app import DeskPreferences, Languages, ensure_application  # noqa: E402
from mediatheque.ui.context import create_context  # noqa: E402
from mediatheque.ui.main_window import MainWindow  # noqa: E402
from mediatheque.ui.record_editor import RecordEditor  # noqa: E402
from tools.screenshot import LIBRARY, save  # noqa: E402

NOW = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
LOOKED_UP = BookMetadata(
    isbn13="9782070612758", title="Le petit prince",
    responsibility="Antoine de Saint-Exupéry ; avec des aquarelles de l'auteur",
    contributors=(Person("Saint-Exupéry", "Antoine de", "1900-1944"),),
    publisher="Gallimard", place="Paris", year=2007, edition="Folio junior",
    extent="97 p.", languages=("fre",), country="FR", series="Folio junior",
    series_number="100", subjects=("Contes", "Aviateurs -- Romans, nouvelles, etc."),
    dewey="843", summary="Un aviateur tombé en panne dans le désert rencontre un petit "
    "garçon venu d'une autre planète.", cover_url="https://example.invalid/cover.jpg",
    sources=("bnf", "openlibrary"),
)


def cover_image() -> bytes:
    image = QImage(260, 380, QImage.Format.Format_RGB32)
    image.fill(QColor("#f3ead3"))
    painter = QPainter(image)
    painter.setPen(QColor("#1d3f8c"))
    painter.setFont(QFont("DejaVu Serif", 22, QFont.Weight.Bold))
    painter.drawText(image.rect().adjusted(10, 40, -10, -200),
                     Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap,
                     "Le petit prince")
    painter.setBrush(QColor("#e8b200"))
    painter.drawEllipse(95, 210, 70, 70)
    painter.end()
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(array.data())


def stub_network() -> None:
    def lookup(_database: object, isbn13: str, **_kwargs: object) -> LookupOutcome:
        return LookupOutcome(isbn13=isbn13, metadata=LOOKED_UP, pending=False)

    record_editor.lookup_isbn = lookup  # type: ignore[assignment]
    picture = cover_image()
    record_editor.fetch_cover = lambda *_args, **_kwargs: (picture, "image/png")  # type: ignore[assignment]


def shoot(data: Path, languages: Languages, preferences: DeskPreferences, language: str,
          out: Path) -> None:
    opened = open_database(sqlite_url(data / "mediatheque.db"), data_dir=data, now=NOW,
                           auto_backup=False)
    try:
        with opened.database.write() as session:
            from mediatheque.library import initialise_library

            initialise_library(session, LIBRARY)
            generate_demo(session, records=2000, copies_per_record=1.5, members=100,
                          loans=3000, seed=3, today=date(2026, 11, 20), now=NOW)
        languages.apply(language)
        context = create_context(opened.database, data, opened.schema,
                                 preferences=preferences, languages=languages,
                                 synchronous=True, clock=lambda: NOW)
        window = MainWindow(context)
        window.resize(1280, 760)
        window.show()
        window.show_page("catalogue")
        page = window.pages["catalogue"]
        page.search.setText("histoire")
        page._search_now()
        page.table.selectRow(2)
        page.detail_timer.stop()  # show the selected record's detail now, not after the delay
        page._show_current_record()
        window.statusBar().clearMessage()
        save(window, out / f"catalogue-{language}.png")

        editor = RecordEditor(context, page.health, page.locations, parent=window)
        editor.isbn.setText("9782070612758")
        editor.look_up()
        editor.copies.count.setValue(2)
        editor.show()
        save(editor, out / f"record-editor-{language}.png")
        editor.hide()
        context.backups.stop()
        window.hide()
        window.deleteLater()
    finally:
        opened.database.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", nargs="+", choices=LANGUAGES, default=["fr", "ru"])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = ensure_application()
    stub_network()
    scratch = Path(tempfile.mkdtemp(prefix="mediatheque-screenshots-"))
    try:
        preferences = DeskPreferences.in_file(scratch / "desk.ini")
        languages = Languages(app, preferences)
        for language in args.lang:
            data = scratch / language / "Mediatheque"
            shoot(data, languages, preferences, language, args.out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

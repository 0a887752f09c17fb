"""Draws the printing screens and PDFs into PNG files, to look at them: the card and label
dialogs, the print preview, the Printing settings panel, and 150 dpi renderings of a CR80
card with a Kazakh name, an A4 card sheet and a label sheet.

    xvfb-run -a -s "-screen 0 1280x800x24" python tools/screenshot_printing.py [--out DIR]
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

import pypdfium2 as pdfium  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402

from mediatheque.db import sqlite_url  # noqa: E402
from mediatheque.i18n import set_language  # noqa: E402
from mediatheque.library import initialise_library  # noqa: E402
from mediatheque.models import Copy, Member, MemberCategory, Record  # noqa: E402
from mediatheque.printing.cards import (  # noqa: E402
    CardData,
    CardLayout,
    CardOptions,
    render_cards,
)
from mediatheque.printing.labels import (  # noqa: E402
    LABEL_PRESETS,
    LabelData,
    LabelOptions,
    render_labels,
)
from mediatheque.settings import LibrarySettings  # noqa: E402
from mediatheque.startup import open_database  # noqa: E402
from mediatheque.ui import print_batch  # noqa: E402
from mediatheque.ui.app import DeskPreferences, Languages, ensure_application  # noqa: E402
from mediatheque.ui.card_printing import CardPrintingDialog  # noqa: E402
from mediatheque.ui.context import create_context  # noqa: E402
from mediatheque.ui.label_printing import LabelPrintingDialog  # noqa: E402
from mediatheque.ui.printing_panel import PrintingPanel  # noqa: E402

NOW = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
LOGO = ROOT / "resources" / "icons" / "mediatheque.png"
LIBRARY = LibrarySettings(name="Médiathèque de l'Alliance Française d'Almaty",
                          short_name="AF Almaty", code="KZ-ALA-AF", city="Almaty")
NAMES = [("Әсел", "Қанатқызы"), ("Jean", "Dupont"), ("Айгерім", "Жанұзақова-Әбдірахманова"),
         ("Hélène", "Lefèvre"), ("Мұхтар", "Нұрпейісов")]


def save(widget: QWidget, path: Path) -> None:
    app = QApplication.instance()
    assert app is not None
    widget.show()
    for _ in range(5):
        app.processEvents()
    widget.grab().save(str(path))
    print(path)


def save_pdf_page(pdf: bytes, path: Path) -> None:
    document = pdfium.PdfDocument(pdf)
    document[0].render(scale=150 / 72).to_pil().save(path)
    document.close()
    print(path)


def pdfs(out: Path) -> None:
    cards = [CardData(f"1001000000{index}{index}", f"{first} {last}", "Ересек",
                      date(2027, 11, 21), "kk") for index, (first, last) in enumerate(NAMES)]
    options = CardOptions(LIBRARY.name, logo_path=str(LOGO))
    save_pdf_page(render_cards(cards[:1], options).pdf, out / "card-cr80-kazakh.png")
    sheet = CardOptions(LIBRARY.name, layout=CardLayout.A4, logo_path=str(LOGO))
    save_pdf_page(render_cards(cards * 2, sheet).pdf, out / "cards-a4.png")
    labels = [LabelData(f"1002{index:07d}{index % 10}", ["843 HUG m", "ҚАЗ 894.3 ӘУЕ"][index % 2])
              for index in range(30)]
    save_pdf_page(render_labels(labels, LabelOptions("AF Almaty", grid=LABEL_PRESETS["3x7"],
                                                     start=4)).pdf, out / "labels-3x7.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "printing")
    parser.add_argument("--lang", default="fr")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    set_language(args.lang)
    pdfs(out)
    app = ensure_application()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        opened = open_database(sqlite_url(folder / "shots.db"), data_dir=folder, now=NOW)
        with opened.database.write() as session:
            initialise_library(session, LIBRARY)
            category = session.scalar(select(MemberCategory.id).limit(1))
            for index, (first, last) in enumerate(NAMES):
                session.add(Member(barcode=f"1001000000{index}{index}", first_name=first,
                                   last_name=last, preferred_language="kk",
                                   category_id=category, membership_start=date(2026, 1, 1),
                                   membership_expiry=date(2027, 1, 1), created_at=NOW,
                                   updated_at=NOW))
            record = Record(title="Абай жолы", created_at=NOW, updated_at=NOW)
            session.add(record)
            session.flush()
            session.add_all(Copy(record_id=record.id, barcode=f"1002000000{index}{index}",
                                 call_number="ҚАЗ 894.3 ӘУЕ", created_at=NOW, updated_at=NOW)
                            for index in range(3))
        preferences = DeskPreferences.in_file(folder / "desk.ini")
        context = create_context(opened.database, folder, opened.schema,
                                 preferences=preferences, languages=Languages(app, preferences),
                                 synchronous=True, clock=lambda: NOW)
        previews: list[QWidget] = []
        print_batch.run_dialog = lambda dialog: previews.append(dialog) or 0  # type: ignore[assignment]
        cards = CardPrintingDialog(context, [1, 2, 3])
        save(cards, out / "card-dialog.png")
        cards.a4.setChecked(True)
        cards.render("preview")
        previews[-1].resize(760, 820)
        save(previews[-1], out / "card-preview.png")
        labels = LabelPrintingDialog(context, ["100200000000", "100200000011"])
        labels.start.setValue(5)
        save(labels, out / "label-dialog.png")
        labels.render("preview")
        save(previews[-1], out / "label-preview.png")
        panel = PrintingPanel(context)
        panel.load()
        panel.resize(1000, panel.sizeHint().height())
        save(panel, out / "printing-settings.png")
        opened.database.dispose()


if __name__ == "__main__":
    main()

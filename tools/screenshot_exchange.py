"""Draws the Exchange dialogs into PNG files, to look at them: the export dialog after an
export, the import dialog checking a new file (exchange-import-new-<lang>.png, the guide's
picture), then with a dry run's report once imported, the Reference catalogues panel.

    xvfb-run -a -s "-screen 0 1280x800x24" python tools/screenshot_exchange.py [--out DIR]
        [--lang fr] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from mediatheque.db import sqlite_url  # noqa: E402
from mediatheque.library import initialise_library  # noqa: E402
from mediatheque.settings import LibrarySettings  # noqa: E402
from mediatheque.startup import open_database  # noqa: E402
from mediatheque.ui.app import DeskPreferences, Languages, ensure_application  # noqa: E402
from mediatheque.ui.context import create_context  # noqa: E402
from mediatheque.ui.exchange_dialogs import ExportDialog, MarcImportDialog  # noqa: E402
from mediatheque.ui.reference_panel import ReferencePanel  # noqa: E402

NOW = datetime(2026, 11, 22, 9, 15, tzinfo=UTC)


def save(widget: QWidget, path: Path) -> None:
    app = QApplication.instance()
    assert app is not None
    for _ in range(5):
        app.processEvents()
    widget.grab().save(str(path))
    print(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = ensure_application()
    data = Path(tempfile.mkdtemp(prefix="mediatheque-exchange-shots-"))
    preferences = DeskPreferences.in_file(data / "desk.ini")
    languages = Languages(app, preferences)
    languages.apply(args.lang)
    opened = open_database(sqlite_url(data / "mediatheque.db"), data_dir=data, now=NOW)
    with opened.database.write() as session:
        initialise_library(session, LibrarySettings(
            name="Alliance Française d'Almaty", code="KZ-ALA-AF", city="Almaty"))
    context = create_context(opened.database, data, opened.schema, preferences=preferences,
                             languages=languages, synchronous=True, clock=lambda: NOW)
    lang = args.lang
    importing = MarcImportDialog(context)
    importing.show()
    importing.check_file(args.shared / "data" / "unimarc_sciencespo_cotesMEL.mrc")
    importing.resize(780, importing.sizeHint().height())  # no issue list: no empty room
    save(importing, args.out / f"exchange-import-new-{lang}.png")
    importing.resize(780, 560)
    importing.import_button.click()
    dry = MarcImportDialog(context)
    dry.show()
    dry.check_file(args.shared / "data" / "unimarc_sciencespo_cotesMEL.mrc")
    save(dry, args.out / f"exchange-import-{lang}.png")
    export = ExportDialog(context)
    export.folder.setText(str(data / "packages"))
    export.show()
    export.export_button.click()
    save(export, args.out / f"exchange-export-{lang}.png")
    panel = ReferencePanel(context)
    panel.resize(900, 320)
    panel.show()
    assert export.report is not None
    panel.load(export.report.path)
    panel.load(args.shared / "data" / "unimarc_bnf_sru_verne.xml")
    panel.table.selectRow(0)
    save(panel, args.out / f"exchange-references-{lang}.png")


if __name__ == "__main__":
    main()

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mediatheque.i18n import _
from mediatheque.models.catalogue import Copy, Record
from mediatheque.ui import dialogs
from mediatheque.ui.catalogue_page import CataloguePage
from mediatheque.ui.context import AppContext
from mediatheque.ui.csv_import_dialog import CsvImportDialog
from tests.ui.catalogue_helpers import DialogRunner, build_catalogue

CSV = (
    "Titre;Auteur;ISBN;Année;Exemplaires\n"
    "Les Misérables;Victor Hugo;;1862;2\n"           # matched: 2 copies for the existing one
    "Vingt mille lieues sous les mers;Jules Verne;;1870;1\n"
    ";Anonyme;;1900;1\n"                              # rejected: no title
    "Candide;Voltaire;;1759;1\n"
)


def counts(context: AppContext) -> tuple[int, int]:
    with context.database.read() as session:
        records = session.scalar(select(func.count()).select_from(Record))
        copies = session.scalar(select(func.count()).select_from(Copy))
    return int(records or 0), int(copies or 0)


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "catalogue.csv"
    path.write_text(CSV, encoding="utf-8-sig")
    return path


@pytest.fixture
def dialog(qtbot: QtBot, context: AppContext) -> CsvImportDialog:
    build_catalogue(context.database, context.clock())
    made = CsvImportDialog(context)
    qtbot.add_widget(made)
    return made


def test_dry_run_then_import(
    dialog: CsvImportDialog, csv_file: Path, context: AppContext
) -> None:
    before = counts(context)
    dialog.check_file(csv_file)
    report = dialog.report
    assert report is not None and report.dry_run
    assert (report.records_new, report.records_matched, report.copies_new) == (2, 1, 4)
    assert counts(context) == before  # nothing written by the dry run
    assert dialog.rejected_rows() == [("4", _("no title"))]
    assert dialog.import_button.isEnabled()
    assert dialog.summary.text().startswith(_(
        "The file was checked; nothing has been written yet. Importing it will add:"
    ))

    dialog.import_button.click()
    assert dialog.imported
    assert counts(context) == (before[0] + 2, before[1] + 4)
    assert not dialog.import_button.isEnabled()  # once is enough
    assert dialog.close_button.text() == _("Close")
    assert dialog.summary.text().startswith(_("The catalogue was imported:"))


def test_a_file_that_cannot_be_read_is_explained(
    dialog: CsvImportDialog, tmp_path: Path, context: AppContext
) -> None:
    dialog.check_file(tmp_path / "missing.csv")
    assert dialog.report is None
    assert dialog.error.text()
    assert not dialog.import_button.isEnabled()


def test_the_page_opens_the_dialog_and_refreshes(
    qtbot: QtBot, context: AppContext, csv_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_catalogue(context.database, context.clock())
    page = CataloguePage(context)
    qtbot.add_widget(page)
    monkeypatch.setattr(dialogs, "choose_file_to_open", lambda *_args: csv_file)
    runner = DialogRunner(monkeypatch)

    def import_it(dialog: CsvImportDialog) -> bool:
        assert dialog.report is not None and dialog.report.dry_run
        dialog.import_button.click()
        return True

    runner.drive = import_it
    assert page.model.total == 7
    page.import_action.trigger()
    assert page.model.total == 9


def test_columns_are_shown_and_can_be_changed_before_importing(
    dialog: CsvImportDialog, tmp_path: Path, context: AppContext
) -> None:
    path = tmp_path / "liste.csv"
    path.write_text("Nom du livre;Auteur;Cote\nCandide;Voltaire;843 VOL\n", encoding="utf-8")
    dialog.check_file(path)
    # No column is recognised as the title: the columns are offered instead of a dead end.
    assert dialog.report is None and dialog.error.text()
    assert dialog.columns.isVisibleTo(dialog)
    assert [header for header, _field in dialog.columns.mapping()] == [
        "Nom du livre", "Auteur", "Cote"
    ]
    dialog.columns.choose("Nom du livre", "title")
    assert dialog.recheck_button.isEnabled() and not dialog.import_button.isEnabled()
    dialog.check_with_chosen_columns()
    assert dialog.report is not None and dialog.report.records_new == 1
    assert dict(dialog.columns.mapping()) == {
        "Nom du livre": "title", "Auteur": "authors", "Cote": "call_number"
    }
    dialog.columns.choose("Cote", "ignore")
    dialog.check_with_chosen_columns()
    before = counts(context)
    dialog.start_import()
    assert counts(context) == (before[0] + 1, before[1])  # no copy: the call number was left out
    with context.database.read() as session:
        assert session.scalar(select(Record.title).where(Record.title == "Candide")) == "Candide"

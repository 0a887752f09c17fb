"""The Exchange dialogs: export with its options, import with the dry run's report, load as
a reference catalogue, and the Reference catalogues panel of the Settings page."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mediatheque.i18n import _
from mediatheque.models import Copy, Record
from mediatheque.ui import dialogs, exchange_dialogs
from mediatheque.ui.context import AppContext
from mediatheque.ui.exchange_dialogs import ExportDialog, MarcImportDialog
from mediatheque.ui.reference_panel import ReferencePanel
from tests.ui.catalogue_helpers import build_catalogue


def counts(context: AppContext) -> tuple[int, int]:
    with context.database.read() as session:
        return (int(session.scalar(select(func.count()).select_from(Record)) or 0),
                int(session.scalar(select(func.count()).select_from(Copy)) or 0))


def _export(qtbot: QtBot, context: AppContext, folder: Path, profile: int = 0) -> Path:
    dialog = ExportDialog(context)
    qtbot.add_widget(dialog)
    dialog.folder.setText(str(folder))
    dialog.profile.setCurrentIndex(profile)
    dialog.export_button.click()
    assert dialog.report is not None, dialog.result.text()
    assert str(dialog.report.path) in dialog.result.text()
    return dialog.report.path


def test_export_then_import_then_reference(qtbot: QtBot, context: AppContext,
                                           tmp_path: Path, shared_dir: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    build_catalogue(context.database, context.clock())
    package = _export(qtbot, context, tmp_path / "out", profile=1)
    assert package.name.endswith(".fm21.zip")

    dialog = MarcImportDialog(context)
    qtbot.add_widget(dialog)
    before = counts(context)
    dialog.check_file(shared_dir / "data" / "unimarc_sciencespo_cotesMEL.mrc")
    assert dialog.report is not None and dialog.report.dry_run
    assert counts(context) == before
    assert dialog.summary.text().startswith(_(
        "The file was checked; nothing has been written yet. Importing it will add:"))
    assert dialog.import_button.isEnabled() and dialog.reference_button.isEnabled()
    dialog.import_button.click()
    assert dialog.done and counts(context) == (before[0] + 109, before[1] + 132)
    assert not dialog.import_button.isEnabled()

    # The same library's own package again: everything matched, nothing added.
    again = MarcImportDialog(context)
    qtbot.add_widget(again)
    again.check_file(package)
    assert again.report is not None and again.report.records_new == 0

    panel = ReferencePanel(context)
    qtbot.add_widget(panel)
    monkeypatch.setattr(dialogs, "choose_file_to_open", lambda *_args: package)
    panel.add()
    assert panel.table.rowCount() == 1
    panel.table.selectRow(0)
    assert panel.remove_button.isEnabled()
    monkeypatch.setattr(dialogs, "confirm", lambda *_args: True)
    panel.remove()
    assert panel.table.rowCount() == 0


def test_load_as_reference_from_the_import_dialog(qtbot: QtBot, context: AppContext,
                                                 shared_dir: Path) -> None:
    dialog = MarcImportDialog(context)
    qtbot.add_widget(dialog)
    before = counts(context)
    dialog.check_file(shared_dir / "data" / "unimarc_bnf_sru_verne.xml")
    dialog.reference_button.click()
    assert dialog.reference is not None and dialog.reference.records == 50
    assert counts(context) == before  # not holdings


def test_bad_files_are_explained(qtbot: QtBot, context: AppContext, tmp_path: Path) -> None:
    bogus = tmp_path / "x.fm21.zip"
    bogus.write_bytes(b"PK\x03\x04junk")
    dialog = MarcImportDialog(context)
    qtbot.add_widget(dialog)
    dialog.check_file(bogus)
    assert dialog.report is None and dialog.error.text()
    assert not dialog.import_button.isEnabled()
    export = ExportDialog(context)  # a folder that is a file: the system's reason is shown
    qtbot.add_widget(export)
    export.delta.setChecked(True)
    assert export.since_instant() is not None
    (tmp_path / "a file").write_text("x")
    export.folder.setText(str(tmp_path / "a file"))
    export.export_button.click()
    assert export.report is None and export.result.text()


def test_the_file_menu_opens_the_dialogs(qtbot: QtBot, context: AppContext,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from mediatheque.ui.main_window import MainWindow

    shown: list[object] = []
    monkeypatch.setattr(exchange_dialogs, "run_dialog", lambda d: shown.append(d) or False)
    monkeypatch.setattr(dialogs, "choose_file_to_open", lambda *_args: None)
    window = MainWindow(context)
    qtbot.add_widget(window)
    window.export_fm21_action.trigger()
    assert isinstance(shown[-1], ExportDialog)
    window.import_marc_action.trigger()  # no file chosen: no dialog
    assert len(shown) == 1


def test_large_files_go_through_worker_processes(qtbot: QtBot, context: AppContext,
                                                 tmp_path: Path, shared_dir: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """From the dialogs as from the command line, a large export is formatted and a large
    import parsed by worker processes (made large here by lowering the thresholds)."""
    import multiprocessing

    from mediatheque.exchange import export, package

    monkeypatch.setattr(export, "PARALLEL_FROM", 0)
    monkeypatch.setattr(export, "BATCH", 2)
    monkeypatch.setattr(package, "PARALLEL_FROM", 0)
    monkeypatch.setattr(package, "_JOB", 10)
    workers: list[int] = []
    original = package.ordered_map

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        for result in original(*args, **kwargs):
            workers.append(len(multiprocessing.active_children()))
            yield result

    monkeypatch.setattr(package, "ordered_map", watched)
    build_catalogue(context.database, context.clock())
    exported = _export(qtbot, context, tmp_path / "out")
    with zipfile.ZipFile(exported) as archive:
        assert archive.read("records.mrc").count(b"\x1d") == counts(context)[0]

    dialog = MarcImportDialog(context)
    qtbot.add_widget(dialog)
    before = counts(context)
    dialog.check_file(shared_dir / "data" / "unimarc_sciencespo_cotesMEL.mrc")
    assert dialog.report is not None and dialog.report.records_new == 109
    dialog.import_button.click()
    assert dialog.done and counts(context) == (before[0] + 109, before[1] + 132)
    assert workers and max(workers) >= 1

"""Editing and deleting one copy from the Catalogue page's detail pane."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediatheque.errors import RecordHasLoans
from mediatheque.messages import describe_error
from mediatheque.models import Copy
from mediatheque.ui import dialogs
from mediatheque.ui.catalogue_page import CataloguePage
from mediatheque.ui.context import AppContext
from mediatheque.ui.copy_editor import CopyEditorDialog
from tests.ui.catalogue_helpers import DialogRunner, build_catalogue, lend_a_copy
from tests.ui.helpers import type_text


@pytest.fixture
def records(context: AppContext) -> dict[str, int]:
    return build_catalogue(context.database, context.clock())


@pytest.fixture
def page(qtbot: QtBot, context: AppContext, records: dict[str, int]) -> CataloguePage:
    made = CataloguePage(context)
    qtbot.add_widget(made)
    made.resize(1100, 650)
    made.show()
    type_text(made.search, "Война")
    qtbot.waitUntil(lambda: len(made.model.hits) == 1, timeout=3000)
    made.table.selectRow(0)
    qtbot.waitUntil(lambda: made.detail.detail is not None, timeout=3000)
    return made


def copies(context: AppContext, record_id: int) -> dict[str, tuple[str | None, str]]:
    with context.database.read() as session:
        return {
            copy.barcode: (copy.call_number, copy.status)
            for copy in session.scalars(select(Copy).where(Copy.record_id == record_id))
        }


def test_a_copy_row_opens_its_editor_and_saves(
    qtbot: QtBot, page: CataloguePage, context: AppContext, records: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = DialogRunner(monkeypatch)
    first = page.detail.detail.copies[0].barcode

    def drive(dialog: CopyEditorDialog) -> bool:
        assert dialog.form.barcode.text() == first
        dialog.form.call_number.setText("891.7 ТОЛ")
        dialog.form.status.setCurrentIndex(dialog.form.status.findData("repair"))
        dialog.save()
        return dialog.result() == dialog.DialogCode.Accepted

    runner.drive = drive
    page.detail.copies.setFocus()
    page.detail.copies.selectRow(0)
    qtbot.keyClick(page.detail.copies, Qt.Key.Key_Return)
    assert len(runner.shown) == 1
    assert copies(context, records["Война и мир"])[first] == ("891.7 ТОЛ", "repair")
    assert first in page.message.text()
    qtbot.waitUntil(lambda: page.detail.copy_texts()[0][1] == "891.7 ТОЛ", timeout=3000)


def test_a_taken_barcode_is_refused_in_the_dialog(
    qtbot: QtBot, page: CataloguePage, context: AppContext, records: dict[str, int],
) -> None:
    first, second = (line.barcode for line in page.detail.detail.copies[:2])
    dialog = CopyEditorDialog(context, first, "Война и мир", page.locations, page)
    qtbot.add_widget(dialog)
    dialog.form.barcode.setText(second)
    dialog.save()
    assert dialog.error.isVisibleTo(dialog) and second in dialog.error.text()
    assert set(copies(context, records["Война и мир"])) >= {first, second}


def test_deleting_a_copy_asks_and_is_refused_while_on_loan(
    qtbot: QtBot, context: AppContext, records: dict[str, int], monkeypatch: pytest.MonkeyPatch,
) -> None:
    lent = lend_a_copy(context.database, records["Amélie"], context.clock())
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda *args: asked.append(args[2]) or True)
    dialog = CopyEditorDialog(context, lent, "Amélie", [], None)
    qtbot.add_widget(dialog)
    dialog.delete()
    assert len(asked) == 1 and lent in asked[0]
    assert dialog.error.text() == describe_error(RecordHasLoans(records["Amélie"], 1))
    assert not dialog.deleted and lent in copies(context, records["Amélie"])

    free = next(b for b in copies(context, records["Le Petit Prince"]))
    other = CopyEditorDialog(context, free, "Le Petit Prince", [], None)
    qtbot.add_widget(other)
    other.delete()
    assert other.deleted and free not in copies(context, records["Le Petit Prince"])

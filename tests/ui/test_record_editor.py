from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from mediatheque.catalogue.lookup import LookupOutcome
from mediatheque.catalogue.metadata import BookMetadata, Person
from mediatheque.catalogue.reading import record_cover, record_detail
from mediatheque.errors import InvalidIsbn, LookupCancelled
from mediatheque.i18n import _
from mediatheque.messages import describe_error
from mediatheque.models.lookup import PendingLookup
from mediatheque.ui import dialogs, record_editor
from mediatheque.ui.catalogue_page import CataloguePage
from mediatheque.ui.context import AppContext
from mediatheque.ui.record_editor import Outcome, RecordEditor
from tests.ui.catalogue_helpers import DialogRunner, build_catalogue
from tests.ui.helpers import type_text

PETIT_PRINCE = BookMetadata(
    isbn13="9782070612758", title="Le petit prince", responsibility="Antoine de Saint-Exupéry",
    contributors=(Person("Saint-Exupéry", "Antoine de"),), publisher="Gallimard",
    place="Paris", year=2007, languages=("fre",), extent="97 p.", dewey="843",
    subjects=("Contes", "Aviateurs -- Romans"), summary="Un aviateur rencontre un enfant.",
    sources=("bnf",),
)


@pytest.fixture
def records(context: AppContext) -> dict[str, int]:
    return build_catalogue(context.database, context.clock())


@pytest.fixture
def page(qtbot: QtBot, context: AppContext, records: dict[str, int]) -> CataloguePage:
    made = CataloguePage(context)
    qtbot.add_widget(made)
    made.show()
    return made


@pytest.fixture
def editor(qtbot: QtBot, page: CataloguePage) -> RecordEditor:
    made = RecordEditor(page.context, page.health, page.locations, parent=page)
    qtbot.add_widget(made)
    return made


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the tests never go to the network")

    monkeypatch.setattr(record_editor, "lookup_isbn", refuse)
    monkeypatch.setattr(record_editor, "fetch_cover", lambda *_a, **_k: None)


def stub_lookup(monkeypatch: pytest.MonkeyPatch, metadata: BookMetadata, *,
                pending: bool = False, during: Any = None) -> list[str]:
    asked: list[str] = []

    def lookup(_database: Any, isbn13: str, *, progress: Any, cancelled: Any,
               **_kwargs: Any) -> LookupOutcome:
        asked.append(isbn13)
        progress(1, 3)
        if during is not None:
            during()
        if cancelled():
            raise LookupCancelled(isbn13)
        progress(3, 3)
        return LookupOutcome(isbn13=isbn13, metadata=metadata, pending=pending)

    monkeypatch.setattr(record_editor, "lookup_isbn", lookup)
    return asked


def png(width: int = 40, height: int = 60) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366aa"))
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(array.data())


def test_a_new_record_with_two_copies_appears_in_the_table(
    qtbot: QtBot, page: CataloguePage, monkeypatch: pytest.MonkeyPatch, context: AppContext,
) -> None:
    runner = DialogRunner(monkeypatch)

    def fill_and_save(editor: RecordEditor) -> bool:
        type_text(editor.form.edits["title"], "Мастер и Маргарита")
        editor.form.contributors.add(Person("Булгаков", "Михаил"))
        editor.form.language_boxes["rus"].setChecked(True)
        editor.form.year.setText("1967")
        editor.copies.count.setValue(2)
        editor.copies.location.setCurrentIndex(editor.copies.location.findData("ADU"))
        editor.copies.price.setText("12,50")
        assert editor.copies.call_number.text().endswith("БУЛ")  # suggested
        editor.save()
        return editor.result() == QDialog.DialogCode.Accepted

    runner.drive = fill_and_save
    page.new_action.trigger()
    editor = runner.shown[0]
    assert isinstance(editor, RecordEditor)
    assert editor.outcome is Outcome.SAVED
    assert len(editor.barcodes) == 2
    assert page.message.text().count(editor.barcodes[0]) == 1
    page.search.setText("Булгаков")
    page._search_now()
    assert [hit.title for hit in page.model.hits] == ["Мастер и Маргарита"]
    assert page.model.hits[0].copies == 2
    with context.database.read() as session:
        detail = record_detail(session, editor.record_id)
    assert detail.languages == ("rus",)
    assert detail.year == 1967
    assert [line.location for line in detail.copies] == ["ADU", "ADU"]


def test_a_title_is_required(editor: RecordEditor) -> None:
    editor.save()
    assert editor.result() != QDialog.DialogCode.Accepted
    assert editor.error.text() == _("A record needs a title.")


def test_lookup_fills_the_editor(
    editor: RecordEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = stub_lookup(monkeypatch, PETIT_PRINCE)
    type_text(editor.isbn, "978-2-07-061275-8")
    editor.lookup_button.click()
    assert asked == ["9782070612758"]
    assert editor.form.edits["title"].text() == "Le petit prince"
    assert editor.form.edits["publisher"].text() == "Gallimard"
    assert editor.form.year.text() == "2007"
    assert editor.form.contributors.people()[0].surname == "Saint-Exupéry"
    assert editor.form.language_boxes["fre"].isChecked()
    assert editor.form.subjects.toPlainText().splitlines() == list(PETIT_PRINCE.subjects)
    assert editor.copies.call_number.text() == "843 SAI"
    assert editor.lookup_status.text() == _("Filled in from: {sources}.").format(sources="bnf")
    assert editor.lookup_button.isEnabled()
    assert not editor.cancel_lookup_button.isVisibleTo(editor)


def test_lookup_keeps_what_was_typed_when_the_source_does_not_know_it(
    editor: RecordEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    stub_lookup(monkeypatch, BookMetadata(isbn13="9782070612758", title="Le petit prince"))
    editor.form.edits["publisher"].setText("Folio")
    editor.isbn.setText("9782070612758")
    editor.look_up()
    assert editor.form.edits["title"].text() == "Le petit prince"
    assert editor.form.edits["publisher"].text() == "Folio"


def test_cancel_stops_the_lookup_and_keeps_the_fields(
    editor: RecordEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, bool] = {}

    def press_cancel() -> None:
        seen["cancel visible"] = editor.cancel_lookup_button.isVisibleTo(editor)
        seen["lookup disabled"] = not editor.lookup_button.isEnabled()
        editor.cancel_lookup_button.click()

    stub_lookup(monkeypatch, PETIT_PRINCE, during=press_cancel)
    editor.form.edits["title"].setText("typed by hand")
    editor.isbn.setText("9782070612758")
    editor.look_up()
    assert seen == {"cancel visible": True, "lookup disabled": True}
    assert editor.form.edits["title"].text() == "typed by hand"
    assert editor.lookup_status.text() == _("Lookup cancelled.")
    assert editor.lookup_button.isEnabled()


def test_an_invalid_isbn_shows_the_suggestion(editor: RecordEditor) -> None:
    editor.isbn.setText("9782070612750")
    editor.look_up()
    expected = describe_error(InvalidIsbn("9782070612750", "checksum", "9782070612758"))
    assert editor.isbn_error.text() == expected
    assert "9782070612758" in editor.isbn_error.text()
    assert editor.use_suggestion_button.isVisibleTo(editor)
    editor.use_suggestion_button.click()
    assert editor.isbn.text() == "9782070612758"
    assert not editor.isbn_error.isVisibleTo(editor)


def test_an_invalid_isbn_blocks_saving(editor: RecordEditor, context: AppContext) -> None:
    editor.form.edits["title"].setText("Un titre")
    editor.isbn.setText("12345")
    editor.save()
    assert editor.result() != QDialog.DialogCode.Accepted
    assert editor.isbn_error.isVisibleTo(editor)


def test_a_duplicate_is_shown_before_saving(
    editor: RecordEditor, records: dict[str, int], context: AppContext
) -> None:
    editor.form.edits["title"].setText("Les Misérables")
    editor.form.contributors.add(Person("Hugo", "Victor"))
    editor.form.year.setText("1862")
    editor.save()
    assert editor.result() != QDialog.DialogCode.Accepted
    assert editor.duplicates.isVisibleTo(editor)
    assert "Les Misérables" in editor.duplicates_list.item(0).text()
    assert editor.save_button.text() == _("&Save anyway")
    editor.copies.count.setValue(2)
    editor.add_to_existing_button.click()
    assert editor.outcome is Outcome.ADDED_TO_EXISTING
    assert editor.record_id == records["Les Misérables"]
    with context.database.read() as session:
        assert len(record_detail(session, records["Les Misérables"]).copies) == 3


def test_saving_anyway_after_the_duplicate_warning(
    editor: RecordEditor, records: dict[str, int]
) -> None:
    editor.form.edits["title"].setText("Les Misérables")
    editor.form.contributors.add(Person("Hugo", "Victor"))
    editor.form.year.setText("1862")
    editor.save()
    editor.save()
    assert editor.outcome is Outcome.SAVED
    assert editor.record_id != records["Les Misérables"]


def test_open_the_existing_record_instead(
    qtbot: QtBot, page: CataloguePage, records: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = DialogRunner(monkeypatch)

    def duplicate(editor: RecordEditor) -> bool:
        editor.form.edits["title"].setText("Notre-Dame de Paris")
        editor.form.contributors.add(Person("Hugo", "Victor"))
        editor.form.year.setText("1831")
        editor.save()
        editor.open_existing_button.click()
        return editor.result() == QDialog.DialogCode.Accepted

    runner.drive = duplicate
    page.new_record()
    assert runner.shown[0].outcome is Outcome.OPEN_EXISTING
    qtbot.waitUntil(lambda: page.detail.detail is not None, timeout=2000)
    assert page.detail.detail.record_id == records["Notre-Dame de Paris"]


def test_a_record_looked_up_offline_is_queued(
    editor: RecordEditor, monkeypatch: pytest.MonkeyPatch, context: AppContext
) -> None:
    stub_lookup(monkeypatch, BookMetadata(), pending=True)
    editor.isbn.setText("9782070612758")
    editor.look_up()
    assert editor.lookup_status.text().startswith(_(
        "The catalogues could not be reached: save what you know, the record "
        "will be completed later."
    )[:20])
    editor.form.edits["title"].setText("Livre à compléter")
    editor.save()
    assert editor.outcome is Outcome.SAVED
    with context.database.read() as session:
        assert session.get(PendingLookup, editor.record_id) is not None


def test_cefr_is_enabled_only_for_french_learning_material(editor: RecordEditor) -> None:
    form = editor.form
    form.language_boxes["rus"].setChecked(True)
    assert not form.cefr.isEnabled()
    form.media_type.setCurrentIndex(form.media_type.findData("fle_method"))
    assert form.cefr.isEnabled()
    form.media_type.setCurrentIndex(form.media_type.findData("book"))
    form.language_boxes["fre"].setChecked(True)
    assert form.cefr.isEnabled()


def test_cover_from_a_file_is_checked(
    editor: RecordEditor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    context: AppContext,
) -> None:
    not_image = tmp_path / "cover.jpg"
    not_image.write_bytes(b"this is no image")
    image = tmp_path / "cover.png"
    image.write_bytes(png())
    answer = [not_image]
    monkeypatch.setattr(dialogs, "choose_file_to_open", lambda *_args: answer[0])
    editor.cover.file_button.click()
    assert editor.cover.cover is None
    assert editor.cover.error.text() == _("This is not an image that can be used as a cover.")
    answer[0] = image
    editor.cover.file_button.click()
    assert editor.cover.cover is not None and editor.cover.cover.mime == "image/png"
    editor.form.edits["title"].setText("Avec couverture")
    editor.copies.count.setValue(0)
    editor.save()
    with context.database.read() as session:
        stored = record_cover(session, editor.record_id)
    assert stored is not None and stored[1] == "image/png"


def test_editing_an_existing_record(
    qtbot: QtBot, page: CataloguePage, records: dict[str, int],
    monkeypatch: pytest.MonkeyPatch, context: AppContext,
) -> None:
    runner = DialogRunner(monkeypatch)

    def retitle(editor: RecordEditor) -> bool:
        assert editor.form.edits["title"].text() == "Война и мир"
        assert editor.copies.count.value() == 0  # no new copy unless asked
        editor.form.edits["subtitle"].setText("роман")
        editor.save()
        return editor.result() == QDialog.DialogCode.Accepted

    runner.drive = retitle
    page.search.setText("Толстой")
    page._search_now()
    page.edit_record()
    with context.database.read() as session:
        detail = record_detail(session, records["Война и мир"])
    assert detail.subtitle == "роман"
    assert len(detail.copies) == 3

"""The Catalogue page and the record editor against a stub HTTP server on 127.0.0.1 that
serves recorded real answers of the BnF, Open Library and Google Books: the real providers,
parsers and lookup chain run; only the network is local."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mediatheque.catalogue.provider_settings import ENVIRONMENT
from mediatheque.catalogue.reading import record_detail
from mediatheque.models.lookup import PendingLookup
from mediatheque.ui.catalogue_page import CataloguePage
from mediatheque.ui.context import AppContext
from mediatheque.ui.record_editor import Outcome, RecordEditor
from tests.stub_http import (
    BNF_ISBNS,
    GOOGLE_ISBN,
    StubServer,
    serve_recorded_providers,
)
from tests.ui.catalogue_helpers import DialogRunner
from tests.ui.helpers import type_text

VERNE = next(iter(BNF_ISBNS))  # L'archipel en feu, in the BnF's recorded answer


@pytest.fixture
def stub(shared_dir: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with StubServer() as server:
        serve_recorded_providers(server, shared_dir)
        settings = server.provider_settings()
        for name, variable in ENVIRONMENT.items():
            monkeypatch.setenv(variable, getattr(settings, name))
        yield server


@pytest.fixture
def page(qtbot: QtBot, context: AppContext) -> CataloguePage:
    made = CataloguePage(context)
    qtbot.add_widget(made)
    made.show()
    return made


def test_the_editor_is_filled_by_the_bnf_and_saves_with_copies(
    qtbot: QtBot, page: CataloguePage, context: AppContext, stub: StubServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = DialogRunner(monkeypatch)

    def look_up_and_save(editor: RecordEditor) -> bool:
        type_text(editor.isbn, VERNE)
        editor.lookup_button.click()
        qtbot.waitUntil(lambda: "archipel" in editor.form.edits["title"].text().lower(),
                        timeout=5000)
        editor.copies.count.setValue(2)
        editor.save()
        return editor.result() == QDialog.DialogCode.Accepted

    runner.drive = look_up_and_save
    page.new_action.trigger()
    editor = runner.shown[0]
    assert isinstance(editor, RecordEditor) and editor.outcome is Outcome.SAVED
    assert stub.requests_to("/bnf/api/SRU"), "the BnF was asked"
    with context.database.read() as session:
        detail = record_detail(session, editor.record_id)
        assert session.scalar(select(func.count()).select_from(PendingLookup)) == 0
    assert detail.isbn13 == VERNE
    assert any(person.surname == "Verne" for person in detail.contributors)
    assert len(detail.copies) == 2


def test_offline_cataloguing_then_complete_pending_from_the_page(
    qtbot: QtBot, page: CataloguePage, context: AppContext, shared_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # First the providers are unreachable: a closed port on 127.0.0.1.
    for variable in ENVIRONMENT.values():
        monkeypatch.setenv(variable, "http://127.0.0.1:9/none")
    runner = DialogRunner(monkeypatch)

    def look_up_and_save(editor: RecordEditor) -> bool:
        type_text(editor.isbn, GOOGLE_ISBN)
        editor.lookup_button.click()
        qtbot.waitUntil(editor.lookup_button.isEnabled, timeout=10000)
        editor.save()
        return editor.result() == QDialog.DialogCode.Accepted

    runner.drive = look_up_and_save
    page.new_action.trigger()
    editor = runner.shown[0]
    assert editor.outcome is Outcome.SAVED
    with context.database.read() as session:
        assert session.get(PendingLookup, editor.record_id) is not None
    page.refresh()
    assert page.complete_action.isEnabled()

    # Then the network is back: "Complete pending records" fills the record.
    with StubServer() as server:
        serve_recorded_providers(server, shared_dir)
        settings = server.provider_settings()
        for name, variable in ENVIRONMENT.items():
            monkeypatch.setenv(variable, getattr(settings, name))
        page.complete_action.trigger()
        qtbot.waitUntil(lambda: not page.complete_action.isEnabled(), timeout=10000)
    with context.database.read() as session:
        detail = record_detail(session, editor.record_id)
        assert session.get(PendingLookup, editor.record_id) is None
    assert "mockingbird" in detail.title.lower()
    assert not detail.pending_lookup

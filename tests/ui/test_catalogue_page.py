from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediatheque.catalogue import search as search_module
from mediatheque.catalogue.search import SortKey
from mediatheque.errors import RecordHasLoans
from mediatheque.i18n import _, ngettext
from mediatheque.messages import describe_error
from mediatheque.ui import catalogue_table, dialogs
from mediatheque.ui.catalogue_page import CataloguePage, scanned_isbn
from mediatheque.ui.context import AppContext
from mediatheque.ui.main_window import MainWindow
from tests.ui.catalogue_helpers import (
    DialogRunner,
    build_catalogue,
    lend_a_copy,
    many_records,
)
from tests.ui.helpers import type_text


class Answers:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.confirm_answer = True
        self.asked: list[str] = []
        self.errors: list[str] = []
        monkeypatch.setattr(dialogs, "confirm", self.confirm)
        monkeypatch.setattr(dialogs, "show_error", self.show_error)

    def confirm(self, _parent: object, _title: str, text: str, _action: str) -> bool:
        self.asked.append(text)
        return self.confirm_answer

    def show_error(self, _parent: object, error: object, _title: str = "") -> None:
        self.errors.append(describe_error(error) if not isinstance(error, str) else error)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    return Answers(monkeypatch)


@pytest.fixture
def records(context: AppContext) -> dict[str, int]:
    return build_catalogue(context.database, context.clock())


@pytest.fixture
def page(qtbot: QtBot, context: AppContext, records: dict[str, int]) -> CataloguePage:
    made = CataloguePage(context)
    qtbot.add_widget(made)
    made.resize(1100, 650)
    made.show()
    return made


def titles(page: CataloguePage) -> list[str]:
    return [hit.title for hit in page.model.hits]


def search(qtbot: QtBot, page: CataloguePage, text: str) -> None:
    page.search.clear()
    type_text(page.search, text)
    assert page.search_timer.isActive()  # typing waits for a pause before searching
    qtbot.waitUntil(lambda: not page.search_timer.isActive(), timeout=2000)


def test_the_page_is_in_the_main_window(qtbot: QtBot, context: AppContext) -> None:
    window = MainWindow(context)
    qtbot.add_widget(window)
    assert isinstance(window.pages["catalogue"], CataloguePage)
    assert window.page_title("catalogue") == _("Catalogue")


def test_all_records_are_listed_with_their_count(qtbot: QtBot, page: CataloguePage) -> None:
    assert page.model.total == 7
    assert page.count_label.text() == ngettext("{n} record", "{n} records", 7).format(n=7)
    # the first record is shown once the list rests, not while results pass by
    assert page.detail.detail is None and page.detail_timer.isActive()
    qtbot.waitUntil(lambda: page.detail.detail is not None, timeout=2000)


def test_typing_filters_the_results(
    qtbot: QtBot, page: CataloguePage, records: dict[str, int]
) -> None:
    search(qtbot, page, "hugo")
    assert sorted(titles(page)) == ["Les Misérables", "Notre-Dame de Paris"]
    assert page.count_label.text() == ngettext("{n} record", "{n} records", 2).format(n=2)
    search(qtbot, page, "Абай")
    assert titles(page) == ["Абай жолы"]
    search(qtbot, page, "zzzz")
    assert titles(page) == []
    assert page.count_label.text() == ngettext("{n} record", "{n} records", 0).format(n=0)


def test_stale_results_never_replace_newer_ones(
    page: CataloguePage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer arriving after a newer query was started is dropped."""
    model = page.model
    delivered: list = []
    real_submit = page.context.runner.submit

    def hold(work, *args, on_done=None, **kwargs):  # keep the first answer back
        delivered.append((work(), on_done))

    monkeypatch.setattr(page.context.runner, "submit", hold)
    page.search.setText("hugo")
    page._search_now()
    monkeypatch.setattr(page.context.runner, "submit", real_submit)
    page.search.setText("Толстой")
    page._search_now()
    assert titles(page) == ["Война и мир"]
    old_page, old_done = delivered[0]
    old_done(old_page)  # the older answer comes late
    assert titles(page) == ["Война и мир"]
    assert model.total == 1


def test_filters(qtbot: QtBot, page: CataloguePage) -> None:
    page.media_type.setCurrentIndex(page.media_type.findData("dvd"))
    assert titles(page) == ["Amélie"]
    page.media_type.setCurrentIndex(0)
    page.language.setCurrentIndex(page.language.findData("rus"))
    assert titles(page) == ["Война и мир"]
    page.language.setCurrentIndex(0)
    page.cefr.setCurrentIndex(page.cefr.findData("A1"))
    assert titles(page) == ["Alter Ego A1"]
    page.cefr.setCurrentIndex(0)
    page.location.setCurrentIndex(page.location.findData("MED"))
    assert titles(page) == ["Amélie"]
    page.location.setCurrentIndex(0)
    assert page.model.total == 7
    assert page.media_type.itemText(0) == _("All types")


def test_available_now_leaves_out_records_whose_copies_are_all_lent(
    page: CataloguePage, records: dict[str, int], context: AppContext
) -> None:
    lend_a_copy(context.database, records["Amélie"], context.clock())
    page.available.setChecked(True)
    assert "Amélie" not in titles(page)
    assert "Le Petit Prince" in titles(page)


def test_sorting_by_the_header(page: CataloguePage) -> None:
    header = page.table.horizontalHeader()
    year = next(i for i, c in enumerate(catalogue_table.COLUMNS) if c.key == "year")
    header.setSortIndicator(year, Qt.SortOrder.AscendingOrder)
    assert page.model.query.sort == SortKey.YEAR
    assert titles(page)[0] == "Notre-Dame de Paris"
    header.setSortIndicator(year, Qt.SortOrder.DescendingOrder)
    assert titles(page)[0] == "Alter Ego A1"
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    assert page.model.query.sort == SortKey.TITLE
    ascending = titles(page)
    assert ascending[0] == "Alter Ego A1"
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    assert titles(page) == ascending[::-1]


def test_paging_fetches_more_rows_on_scroll(
    qtbot: QtBot, context: AppContext, records: dict[str, int]
) -> None:
    many_records(context.database, context.clock(), 250)
    page = CataloguePage(context)
    qtbot.add_widget(page)
    page.resize(900, 500)
    page.show()
    total = 257
    assert page.model.total == total
    assert page.model.rowCount() == catalogue_table.PAGE_SIZE
    assert page.model.canFetchMore()
    page.table.scrollToBottom()  # the view asks for more
    qtbot.waitUntil(lambda: page.model.rowCount() > catalogue_table.PAGE_SIZE, timeout=2000)
    while page.model.canFetchMore():
        page.model.fetchMore()
    assert page.model.rowCount() == total
    assert len({hit.record_id for hit in page.model.hits}) == total
    assert page.count_label.text() == ngettext("{n} record", "{n} records", total).format(
        n=total)


def test_the_detail_pane_shows_the_copies_and_loans(
    qtbot: QtBot, page: CataloguePage, records: dict[str, int], context: AppContext
) -> None:
    barcode = lend_a_copy(context.database, records["Le Petit Prince"], context.clock())
    search(qtbot, page, "petit prince")
    qtbot.waitUntil(lambda: page.detail.detail is not None, timeout=2000)
    assert page.detail.detail.title == "Le Petit Prince"
    rows = page.detail.copy_texts()
    assert len(rows) == 2
    lent = next(row for row in rows if row[0] == barcode)
    assert lent[3].startswith(_("On loan until {date}").split("{")[0])
    other = next(row for row in rows if row[0] != barcode)
    assert other[3] == _("Available")
    assert page.detail.copies_title.text() == _(
        "Copies: {available} available out of {total}").format(available=1, total=2)


def test_delete_asks_then_deletes(
    qtbot: QtBot, page: CataloguePage, answers: Answers, records: dict[str, int]
) -> None:
    search(qtbot, page, "Amélie")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert len(answers.asked) == 1 and "Amélie" in answers.asked[0]
    assert titles(page) == []
    assert page.model.total == 0


def test_delete_is_refused_when_a_copy_is_on_loan(
    qtbot: QtBot, page: CataloguePage, answers: Answers, records: dict[str, int],
    context: AppContext,
) -> None:
    lend_a_copy(context.database, records["Amélie"], context.clock())
    search(qtbot, page, "Amélie")
    page.delete_record()
    assert answers.errors == [describe_error(RecordHasLoans(records["Amélie"], 1))]
    search(qtbot, page, "Amélie")
    assert titles(page) == ["Amélie"]


def test_a_scanned_isbn_in_the_search_field_offers_to_catalogue_it(
    qtbot: QtBot, page: CataloguePage, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert scanned_isbn("9782070612758") == "9782070612758"
    assert scanned_isbn("9782070612750") is None  # wrong check digit
    assert scanned_isbn("hugo") is None
    runner = DialogRunner(monkeypatch)
    looked_up: list[str] = []
    from mediatheque.ui import record_editor

    monkeypatch.setattr(record_editor.RecordEditor, "look_up",
                        lambda editor: looked_up.append(editor.isbn.text()))
    type_text(page.search, "9782070612758")
    assert page.catalogue_isbn_button.isVisibleTo(page)
    page.catalogue_isbn_button.click()
    assert len(runner.shown) == 1
    assert looked_up == ["9782070612758"]


def test_shortcuts(qtbot: QtBot, page: CataloguePage, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = DialogRunner(monkeypatch)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(runner.shown) == 1
    assert runner.shown[0].windowTitle() == _("New record")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert len(runner.shown) == 2
    assert runner.shown[1].windowTitle() == _("Edit the record")


def test_retranslate_sets_every_text(
    page: CataloguePage, context: AppContext, marked_catalogues: None
) -> None:
    context.languages.apply("ru")
    page.retranslate()
    assert page.new_action.text() == "«ru:&New record»"
    assert page.media_type.itemText(0) == "«ru:All types»"
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "«ru:Title»"
    assert page.count_label.text() == "«ru:7 records»"


def test_complete_pending_records(
    page: CataloguePage, records: dict[str, int], context: AppContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sqlalchemy import delete

    from mediatheque.catalogue.isbn_cataloguing import CompletionReport
    from mediatheque.models.lookup import PendingLookup
    from mediatheque.ui import pending_completion

    assert not page.complete_action.isEnabled()
    with context.database.write() as session:
        session.add(PendingLookup(record_id=records["Amélie"], isbn13="9782070612758",
                                  queued_at=context.clock()))
    page.refresh()
    assert page.complete_action.isEnabled()
    assert page.complete_action.text() == ngettext(
        "Complete {n} pending record", "Complete {n} pending records", 1).format(n=1)
    progress_seen: list[tuple[int, int]] = []

    def complete(database, *, progress, cancelled, **_kwargs):
        progress(0, 1)
        progress_seen.append((page.pending.progress.isVisibleTo(page), cancelled()))
        with database.write() as session:
            session.execute(delete(PendingLookup))
        progress(1, 1)
        return CompletionReport(completed=1, not_found=0, still_pending=0)

    monkeypatch.setattr(pending_completion, "complete_pending", complete)
    page.complete_action.trigger()
    assert progress_seen == [(True, False)]
    assert not page.pending.progress.isVisibleTo(page)
    assert not page.complete_action.isEnabled()
    assert page.complete_action.text() == _("No pending records")
    assert page.pending.status.text() == _(
        "Completed: {completed}; unknown to the catalogues: {not_found}; still pending: "
        "{pending}."
    ).format(completed=1, not_found=0, pending=0)


def test_a_count_that_stopped_says_more_than_and_scrolling_goes_on(
    qtbot: QtBot, context: AppContext, records: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search_module, "COUNT_LIMIT", 120)  # search_records counts to 120
    many_records(context.database, context.clock(), 250)
    page = CataloguePage(context)
    qtbot.add_widget(page)
    page.resize(900, 500)
    page.show()
    assert (page.model.total, page.model.total_exact) == (120, False)
    assert page.count_label.text() == ngettext(
        "More than {n} record", "More than {n} records", 120).format(n=120)
    while page.model.canFetchMore():  # each page counts further
        page.model.fetchMore()
    total = 257
    assert (page.model.rowCount(), page.model.total, page.model.total_exact) == (
        total, total, True)
    assert len({hit.record_id for hit in page.model.hits}) == total
    assert page.count_label.text() == ngettext("{n} record", "{n} records", total).format(
        n=total)

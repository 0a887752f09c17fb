"""The Reports page and the Overdue notices settings panel, offscreen."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mediatheque.models import NoticeSent
from mediatheque.reports.notice_settings import load_notice_settings
from mediatheque.ui import dialogs, reports_page
from mediatheque.ui.context import AppContext
from mediatheque.ui.main_window import PAGES, MainWindow
from mediatheque.ui.notices_panel import NoticesPanel
from mediatheque.ui.reports_page import ReportsPage
from tests.core.reports_world import World

TODAY = date(2026, 3, 2)  # the clock fixture: 2 March 2026, 09:00 in Almaty


class Answers:
    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
        self.folder = folder
        self.saved: list[Path] = []
        self.opened: list[Path] = []
        self.confirmed: list[str] = []
        self.informed: list[str] = []
        self.errors: list[object] = []
        monkeypatch.setattr(reports_page, "choose_save_path", self.choose)
        monkeypatch.setattr(reports_page, "open_externally", self.opened.append)
        monkeypatch.setattr(dialogs, "confirm", self.confirm)
        monkeypatch.setattr(dialogs, "inform", lambda _p, _t, text: self.informed.append(text))
        monkeypatch.setattr(dialogs, "show_error", lambda _p, error, *_a: self.errors.append(
            error))

    def choose(self, _parent: object, _title: str, suggested: Path, _filters: str) -> Path:
        path = self.folder / suggested.name
        self.saved.append(path)
        return path

    def confirm(self, _parent: object, _title: str, text: str, _action: str) -> bool:
        self.confirmed.append(text)
        return True


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Answers:
    folder = tmp_path / "out"
    folder.mkdir()
    return Answers(monkeypatch, folder)


@pytest.fixture
def loans(context: AppContext) -> dict[str, int]:
    with context.database.write() as session:
        world = World(session)
        adults = world.category("adult-r", "Adults")
        kids = world.category("child-r", "Children")
        ids = {
            "aliya": world.member(adults, first="Әлия", last="Қасымова", lang="kk"),
            "jean": world.member(kids, first="Jean", last="Valjean", email="jean@example.fr"),
        }
        world.borrowed(ids["aliya"], "Абай жолы", due=TODAY - timedelta(days=30))
        world.borrowed(ids["aliya"], "=2+2", due=TODAY - timedelta(days=2))
        world.borrowed(ids["jean"], "Les Misérables", due=TODAY - timedelta(days=8),
                       media="dvd")
        world.loan(world.copy(world.record("Last month")), ids["jean"],
                   at=datetime(2026, 2, 10, 6, tzinfo=UTC), due=date(2026, 3, 3))
    return ids


@pytest.fixture
def page(qtbot: QtBot, context: AppContext, loans: dict[str, int]) -> ReportsPage:
    widget = ReportsPage(context)
    qtbot.addWidget(widget)
    return widget


def test_the_page_is_registered_after_members() -> None:
    keys = [spec.key for spec in PAGES]
    assert keys.index("reports") == keys.index("members") + 1


def test_overdue_list_grouped_by_member_with_filters(page: ReportsPage) -> None:
    assert page.tree.topLevelItemCount() == 2
    counts = sorted(page.tree.topLevelItem(i).childCount() for i in range(2))
    assert counts == [1, 2]
    names = {page.tree.topLevelItem(i).text(0) for i in range(2)}
    assert names == {"Әлия Қасымова", "Jean Valjean"}
    page.days.setValue(10)
    page.load_overdue()
    assert page.tree.topLevelItemCount() == 1
    assert page.tree.topLevelItem(0).text(5) == "2"  # 30 days late: level 2 reached
    page.days.setValue(1)
    page.media.setCurrentIndex(page.media.findData("dvd"))
    assert page.tree.topLevelItemCount() == 1
    assert page.tree.topLevelItem(0).text(0) == "Jean Valjean"


def test_exports_and_letters(page: ReportsPage, answers: Answers) -> None:
    page.xlsx_button.click()
    page.csv_button.click()
    page.letters_button.click()
    assert [p.suffix for p in answers.saved] == [".xlsx", ".csv", ".pdf"]
    assert all(path.exists() for path in answers.saved)
    assert "personal" in answers.saved[0].name or "personn" in answers.saved[0].name
    sheet = load_workbook(answers.saved[0]).worksheets[0]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "=2+2")
    assert cell.data_type == "s"
    assert answers.opened == [answers.saved[2]]  # the letters open for a look
    assert page.folder_button.isEnabled()
    assert not page.progress_row.isVisible()


def test_send_notices_asks_then_records(
    page: ReportsPage, answers: Answers, context: AppContext
) -> None:
    assert page.send_button.isEnabled()
    page.send_button.click()
    assert len(answers.confirmed) == 1 and "2" in answers.confirmed[0]
    assert answers.saved and answers.saved[0].exists()
    with context.database.read() as session:
        assert session.scalar(select(func.count()).select_from(NoticeSent)) == 2
    assert answers.informed
    assert not page.send_button.isEnabled()  # nothing more is due today


def test_monthly_workbook_for_last_month(page: ReportsPage, answers: Answers) -> None:
    assert page.month.currentData() == "2026-02-01"  # default: the previous month
    page.workbook_button.click()
    assert answers.saved[-1].name == "monthly-2026-02.xlsx"
    workbook = load_workbook(answers.saved[-1])
    assert workbook.worksheets[0].cell(5, 2).value == 3  # loans made in February
    page.folder_button.click()
    assert answers.opened == [answers.folder]


def test_the_reminder_shows_in_the_first_days_of_a_month(
    qtbot: QtBot, context: AppContext, loans: dict[str, int], answers: Answers
) -> None:
    window = MainWindow(context)
    qtbot.addWidget(window)
    reports = window.pages["reports"]
    assert isinstance(reports, ReportsPage)
    assert not reports.banner.isHidden()
    assert "2026" in reports.banner_text.text()
    qtbot.waitUntil(lambda: "2026" in window.statusBar().currentMessage())
    reports.banner_button.click()
    assert answers.saved[-1].name == "monthly-2026-02.xlsx"
    context.clock.moment = datetime(2026, 3, 12, 4, tzinfo=UTC)  # type: ignore[attr-defined]
    reports.refresh()
    assert reports.banner.isHidden()


def test_a_refusal_is_shown_and_leaves_nothing(page: ReportsPage, answers: Answers,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reports_page, "choose_save_path",
                        lambda *_a: answers.folder / "missing" / "x.xlsx")
    page.xlsx_button.click()
    assert len(answers.errors) == 1
    assert getattr(answers.errors[0], "code", "") == "output_unwritable"
    assert page.xlsx_button.isEnabled()


def test_notices_settings_panel_saves_and_refuses(qtbot: QtBot, context: AppContext) -> None:
    panel = NoticesPanel(context)
    qtbot.addWidget(panel)
    panel.load()
    assert not panel.save_button.isEnabled()
    panel.delays[0].setValue(10)
    panel.text_boxes["kk"].setPlainText("Құрметті оқырман!")
    panel.host.setText("smtp.example.kz")
    panel.sender.setText("biblio@example.kz")
    assert panel.save_button.isEnabled()
    panel.save_button.click()
    with context.database.read() as session:
        stored = load_notice_settings(session)
    assert (stored.delay_1, stored.text_kk, stored.smtp_host) == (
        10, "Құрметті оқырман!", "smtp.example.kz")
    panel.delays[1].setValue(5)  # before level 1: refused
    panel.save_button.click()
    assert panel.saved.text()
    with context.database.read() as session:
        assert load_notice_settings(session).delay_2 == 21

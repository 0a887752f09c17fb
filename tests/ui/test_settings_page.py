from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediatheque.backups import list_backups
from mediatheque.i18n import _
from mediatheque.settings import load_library_settings, save_library_settings
from mediatheque.ui import dialogs
from mediatheque.ui.context import AppContext
from mediatheque.ui.main_window import MainWindow
from mediatheque.ui.settings_page import SettingsPage
from tests.ui.helpers import LIBRARY, message_pattern, type_text


class Dialogs:
    """Stands in for the modal dialogs: records what was asked, answers as told."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.confirm_answer = True
        self.file_answer: Path | None = None
        self.asked: list[str] = []
        self.informed: list[str] = []
        self.errors: list[str] = []
        monkeypatch.setattr(dialogs, "confirm", self.confirm)
        monkeypatch.setattr(dialogs, "inform", self.inform)
        monkeypatch.setattr(dialogs, "show_error", self.show_error)
        monkeypatch.setattr(dialogs, "choose_file_to_open", self.choose_file)

    def confirm(self, _parent: object, _title: str, text: str, _action: str) -> bool:
        self.asked.append(text)
        return self.confirm_answer

    def inform(self, _parent: object, _title: str, text: str) -> None:
        self.informed.append(text)

    def show_error(self, _parent: object, error: object, _title: str = "") -> None:
        self.errors.append(str(error))

    def choose_file(
        self, _parent: object, _title: str, _folder: Path, _filters: str
    ) -> Path | None:
        return self.file_answer


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    return Dialogs(monkeypatch)


@pytest.fixture
def window(qtbot: QtBot, context: AppContext) -> MainWindow:
    made = MainWindow(context)
    qtbot.add_widget(made)
    made.show()
    return made


@pytest.fixture
def page(window: MainWindow) -> SettingsPage:
    window.show_page("settings")
    settings = window.pages["settings"]
    assert isinstance(settings, SettingsPage)
    assert settings.library.form.name.text() == LIBRARY.name
    assert not settings.library.save_button.isEnabled()  # nothing changed yet
    return settings


def _rename_library(context: AppContext, name: str) -> None:
    with context.database.write() as session:
        save_library_settings(session, replace(load_library_settings(session), name=name))


# library identity


def test_saving_the_library_identity(
    qtbot: QtBot, page: SettingsPage, window: MainWindow, context: AppContext
) -> None:
    page.library.form.name.clear()
    type_text(page.library.form.name, "Médiathèque Jules Verne")
    type_text(page.library.form.city, " (centre)")
    page.library.form.timezone.set_value("Asia/Tashkent")
    assert page.library.save_button.isEnabled()
    qtbot.mouseClick(page.library.save_button, Qt.MouseButton.LeftButton)
    stored = context.library()
    assert stored.name == "Médiathèque Jules Verne"
    assert stored.city == "Almaty (centre)"
    assert stored.timezone == "Asia/Tashkent"
    assert stored.code == LIBRARY.code  # untouched fields kept
    assert page.library.saved.text() == _("Saved.")
    assert not page.library.save_button.isEnabled()
    assert window.windowTitle().endswith("Médiathèque Jules Verne")


def test_invalid_code_is_shown_under_the_field_and_not_saved(
    qtbot: QtBot, page: SettingsPage, context: AppContext
) -> None:
    page.library.form.code.clear()
    qtbot.keyClicks(page.library.form.code, "X")
    assert page.library.form.errors["code"].isVisible()
    assert not page.library.save_button.isEnabled()
    page.library.save()  # even if forced, the core refuses and the form says why
    assert page.library.form.errors["code"].isVisible()
    assert context.library().code == LIBRARY.code


def test_core_refusal_lands_under_its_field(page: SettingsPage, context: AppContext) -> None:
    page.library.form.country.setEditText("Atlantis")
    page.library.save()
    assert page.library.form.errors["country"].isVisible()
    assert page.library.form.errors["country"].text() == _("Choose a country from the list.")
    assert context.library().country == "KZ"


def test_undo_changes_puts_back_the_stored_values(qtbot: QtBot, page: SettingsPage) -> None:
    type_text(page.library.form.name, " (test)")
    assert page.library.revert_button.isEnabled()
    qtbot.mouseClick(page.library.revert_button, Qt.MouseButton.LeftButton)
    assert page.library.form.name.text() == LIBRARY.name
    assert not page.library.revert_button.isEnabled()


# backups


def test_back_up_now_adds_a_file_to_the_list(
    qtbot: QtBot, page: SettingsPage, context: AppContext
) -> None:
    panel = page.backups
    shown_before = panel.backups_shown()
    qtbot.mouseClick(panel.back_up_button, Qt.MouseButton.LeftButton)
    files = [b.path for b in list_backups(context.backups_dir)]
    assert len(files) == len(shown_before) + 1
    new = files[-1]
    assert new.is_file()
    assert panel.backups_shown()[0] == new  # newest first
    assert panel.selected_backup() == new
    row = panel.list.topLevelItem(0)
    assert row.text(0).startswith("2 mars 2026")  # the library's time zone, in French
    assert message_pattern(_("{size} KB")).fullmatch(row.text(1)), row.text(1)  # not MB
    assert panel.restore_button.isEnabled()


def test_restore_from_the_list_brings_back_the_data(
    qtbot: QtBot, page: SettingsPage, window: MainWindow, context: AppContext,
    answers: Dialogs,
) -> None:
    panel = page.backups
    panel.back_up_now()
    backup = panel.selected_backup()
    assert backup is not None
    _rename_library(context, "Written after the backup")
    assert context.library().name == "Written after the backup"

    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)

    assert backup.name in answers.asked[0]
    assert context.library().name == LIBRARY.name  # what was written after is gone
    assert page.library.form.name.text() == LIBRARY.name  # the page reloaded
    assert window.windowTitle().endswith(LIBRARY.name)
    previous = [b.path for b in list_backups(context.backups_dir)
                if b.path.name.endswith("-before-restore.db")]
    assert len(previous) == 1  # the database as it was is kept
    assert previous[0].name in answers.informed[0]
    assert previous[0] in panel.backups_shown()
    kinds = [panel.list.topLevelItem(r).text(2) for r in range(panel.list.topLevelItemCount())]
    assert _("before a restore") in kinds
    assert answers.errors == []


def test_restore_cancelled_changes_nothing(
    qtbot: QtBot, page: SettingsPage, context: AppContext, answers: Dialogs
) -> None:
    page.backups.back_up_now()
    _rename_library(context, "Kept")
    answers.confirm_answer = False
    page.backups.restore_selected()
    assert answers.asked
    assert context.library().name == "Kept"


def test_restore_from_a_file(
    qtbot: QtBot, page: SettingsPage, context: AppContext, answers: Dialogs, tmp_path: Path
) -> None:
    page.backups.back_up_now()
    selected = page.backups.selected_backup()
    assert selected is not None
    elsewhere = tmp_path / "usb" / "copy.db"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(selected.read_bytes())
    _rename_library(context, "Before the file restore")
    answers.file_answer = elsewhere
    qtbot.mouseClick(page.backups.restore_file_button, Qt.MouseButton.LeftButton)
    assert context.library().name == LIBRARY.name
    assert context.preferences.last_folder == elsewhere.parent


def test_restoring_a_file_that_is_no_backup_is_refused(
    page: SettingsPage, context: AppContext, answers: Dialogs, tmp_path: Path
) -> None:
    junk = tmp_path / "notes.db"
    junk.write_text("not a database", encoding="utf-8")
    _rename_library(context, "Still here")
    answers.file_answer = junk
    page.backups.restore_from_file()
    assert len(answers.errors) == 1
    assert "notes.db" in answers.errors[0]
    assert context.library().name == "Still here"
    assert page.backups.back_up_button.isEnabled()


def test_daily_backup_is_made_once_a_day(page: SettingsPage, context: AppContext) -> None:
    before = len(list_backups(context.backups_dir))
    context.backups.back_up_if_due()
    context.backups.back_up_if_due()
    assert len(list_backups(context.backups_dir)) == before + 1
    assert len(page.backups.backups_shown()) == before + 1


def test_hourly_timer_is_running(window: MainWindow, context: AppContext) -> None:
    assert context.backups._timer.isActive()
    assert context.backups._timer.interval() == 60 * 60 * 1000


@pytest.mark.usefixtures("marked_catalogues")
def test_country_names_follow_the_interface_language(
    page: SettingsPage, context: AppContext
) -> None:
    context.languages.apply("ru")
    assert page.library.form.country.currentText() == "Казахстан (KZ)"
    assert page.library.form.country.value() == "KZ"
    assert page.backups.list.headerItem().text(0) == "«ru:Date»"

"""Staff accounts in the window: the login at start, the idle lock that keeps the desk as
it was, the Staff and Privacy sections of Settings, and the Audit page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from mediatheque.i18n import _
from mediatheque.permissions import LOCAL_ADMIN, Actor
from mediatheque.staff import create_staff, log_in
from mediatheque.startup import OpenedDatabase
from mediatheque.ui import application
from mediatheque.ui.app import DeskPreferences, Languages
from mediatheque.ui.audit_page import AuditPage, describe_details
from mediatheque.ui.context import AppContext
from mediatheque.ui.login import IdleLock, LoginDialog, install_desk_lock
from mediatheque.ui.main_window import MainWindow
from mediatheque.ui.settings_page import SettingsPage
from tests.core.staff_helpers import PASSWORDS, cheap_hashing
from tests.ui.helpers import Clock


@pytest.fixture(autouse=True)
def _cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)


def _team(context_or_opened: AppContext | OpenedDatabase, clock: Clock) -> None:
    with context_or_opened.database.write() as session:
        for role in ("admin", "librarian", "director"):
            create_staff(session, LOCAL_ADMIN, login=f"{role}1", role=role,
                         password=PASSWORDS[role], now=clock())


def _login_dialog() -> LoginDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, LoginDialog) and widget.isVisible():
            return widget
    return None


def _type_into(dialog: LoginDialog, login: str, password: str) -> None:
    dialog.login.setText(login)
    dialog.password.setText(password)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


@pytest.fixture
def start(
    opened: OpenedDatabase, data_dir: Path, languages: Languages,
    preferences: DeskPreferences, clock: Clock,
) -> Iterator[Callable[[], MainWindow | None]]:
    """Starts the application as `run_application` does (login first when needed)."""
    made: list[MainWindow] = []

    def run() -> MainWindow | None:
        window = application.start_window(opened, data_dir, languages=languages,
                                          preferences=preferences, synchronous=True,
                                          clock=clock)
        if window is not None:
            made.append(window)
        return window

    yield run
    for window in made:
        window.close()
        window.deleteLater()


def test_the_window_asks_for_a_login_when_accounts_exist(
    start: Callable[[], MainWindow | None], opened: OpenedDatabase, clock: Clock,
) -> None:
    _team(opened, clock)
    seen: list[str] = []

    def answer() -> None:
        dialog = _login_dialog()
        assert dialog is not None
        _type_into(dialog, "librarian1", "wrong password")
        seen.append(dialog.error.text())
        assert dialog.isVisible() and dialog.password.text() == ""
        _type_into(dialog, "LIBRARIAN1", PASSWORDS["librarian"])

    QTimer.singleShot(0, answer)
    window = start()
    assert window is not None
    assert seen == [_("Wrong login or password.")]
    assert window.context.actor.login == "librarian1"
    assert window.context.actor.role == "librarian"
    assert window.desk_lock.who.text() == _("{login} ({role})").format(
        login="librarian1", role=_("librarian"))


def test_quitting_the_login_opens_nothing(
    start: Callable[[], MainWindow | None], opened: OpenedDatabase, clock: Clock,
) -> None:
    _team(opened, clock)

    def quit_login() -> None:
        dialog = _login_dialog()
        assert dialog is not None
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, quit_login)
    assert start() is None


def test_without_accounts_no_login_and_settings_say_so(
    start: Callable[[], MainWindow | None],
) -> None:
    window = start()
    assert window is not None
    assert window.context.actor == LOCAL_ADMIN
    assert not hasattr(window, "desk_lock")
    settings = window.pages["settings"]
    assert isinstance(settings, SettingsPage)
    assert settings.staff.status.text().startswith(
        _("No staff account: everyone using this PC acts as administrator."))


def test_idle_lock_keeps_the_desk_and_another_person_can_take_over(
    qtbot: QtBot, context: AppContext, clock: Clock
) -> None:
    _team(context, clock)
    context.actor = log_in(context.database, "librarian1", PASSWORDS["librarian"], clock())
    window = MainWindow(context)
    qtbot.add_widget(window)
    window.show()
    window.show_page("desk")
    assert window.pages["desk"].isVisible()
    lock = install_desk_lock(window, context)
    changes: list[Actor] = []
    context.events.actor_changed.connect(changes.append)

    lock.watch.idle.emit()  # as after the idle delay
    dialog = lock.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.login.text() == "librarian1"
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel) is None
    assert lock.cover is not None and lock.cover.isVisible()  # the desk is hidden
    assert lock.cover.geometry() == window.rect()
    assert not window.pages["desk"].isVisible()  # takes no scan while locked
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # Escape does not unlock
    _type_into(dialog, "librarian1", "not the password")
    assert dialog.isVisible() and dialog.error.text() == _("Wrong login or password.")
    _type_into(dialog, "director1", PASSWORDS["director"])
    assert not dialog.isVisible() and lock.dialog is None and lock.cover is None
    assert context.actor.login == "director1" and [a.login for a in changes] == ["director1"]
    assert window.current_page() is window.pages["desk"]  # the desk as it was
    assert window.pages["desk"].isVisible()
    assert lock.who.text().startswith("director1")
    assert lock.watch.active
    window.close()


def test_idle_watch_fires_after_silence_and_activity_restarts_it(qtbot: QtBot,
                                                                 qapp: QApplication) -> None:
    watch = IdleLock(0)
    assert not watch.active  # 0: never locks
    watch.set_minutes(5)
    assert watch.active
    watch._timer.setInterval(30)
    watch._timer.start()
    with qtbot.waitSignal(watch.idle, timeout=2000):
        pass
    watch.set_minutes(5)
    watch._timer.stop()
    watch.eventFilter(watch, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A,
                                       Qt.KeyboardModifier.NoModifier, "a"))
    assert not watch.active  # activity only restarts a running watch
    watch.stop()
    watch.deleteLater()


def test_staff_section_manages_accounts(qtbot: QtBot, context: AppContext,
                                        clock: Clock) -> None:
    page = SettingsPage(context)
    qtbot.add_widget(page)
    panel = page.staff
    assert not panel.list.isVisibleTo(page)
    assert not panel.add_account("lib", "librarian", "long enough")  # first must be admin
    assert "administrator" in panel.message.text() or panel.message.text()
    assert panel.add_account("Aigerim", "admin", "aigerim-secret", "Aigerim S.")
    assert context.actor.login == "aigerim" and context.actor.staff_id is not None
    assert panel.add_account("bolat", "librarian", "bolat-secret")
    assert panel.shown_logins() == ["aigerim", "bolat"]
    assert not panel.add_account("BOLAT", "director", "other-secret")
    assert panel.message.text() == _("The login “{login}” is already used by another "
                                     "account.").format(login="bolat")
    assert panel.change_role("bolat", "director")
    assert panel.set_password("bolat", "new-bolat-secret")
    assert log_in(context.database, "bolat", "new-bolat-secret", clock()).role == "director"
    assert not panel.set_active("aigerim", False)  # the last administrator
    assert panel.set_active("bolat", False)
    panel.select("bolat")
    assert panel.disable_button.text() == _("Enable")
    # a librarian sees the accounts section but cannot use it
    context.set_actor(Actor("someone", "librarian", 99))
    assert not panel.add_button.isEnabled() and panel.shown_logins() == []
    assert not page.privacy.save_button.isEnabled()


def test_privacy_section_saves_the_delay(qtbot: QtBot, context: AppContext) -> None:
    from mediatheque.privacy import load_privacy_settings

    page = SettingsPage(context)
    qtbot.add_widget(page)
    page.privacy.days.setValue(30)
    page.privacy.save()
    with context.database.read() as session:
        assert load_privacy_settings(session).anonymise_after_days == 30


def test_audit_page_shows_and_filters_entries(qtbot: QtBot, context: AppContext,
                                              clock: Clock) -> None:
    _team(context, clock)
    log_in(context.database, "director1", PASSWORDS["director"], clock())
    context.actor = log_in(context.database, "admin1", PASSWORDS["admin"], clock())
    page = AuditPage(context)
    qtbot.add_widget(page)
    page.period.setCurrentIndex(page.period.findData("all"))
    assert page.model.total == 5  # three accounts created, two logins
    actions = [page.model.index(r, 2).data() for r in range(page.model.rowCount())]
    assert actions[:2] == [_("logged in")] * 2 and actions.count(_("account created")) == 3
    page.actor_filter.setCurrentIndex(page.actor_filter.findData("director1"))
    assert page.model.total == 1 and page.model.index(0, 1).data() == "director1"
    assert page.model.flags(page.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable == \
        Qt.ItemFlag.NoItemFlags
    context.set_actor(Actor("bolat", "librarian", 2))
    assert page.model.rowCount() == 0 and page.notice.isVisibleTo(page)


def test_details_read_as_changes() -> None:
    assert describe_details({"title": ["Old", "New"], "year": [None, 1990], "copy_id": 3}) == (
        "title: Old → New; year: ∅ → 1990; copy_id: 3")


def test_an_unhandled_failure_is_logged_without_its_message(
    qapp: QApplication, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from mediatheque.ui.runner import Runner

    caplog.set_level(logging.DEBUG)
    runner = Runner(synchronous=True)
    failures: list[BaseException] = []
    runner.unhandled_failure.connect(failures.append)

    personal = ", ".join(["Айгерім Сәрсенова", "+7 701 123 45 67"])

    def work() -> None:
        raise ValueError(personal)  # as a message quoting the data being saved would

    runner.submit(work)
    assert len(failures) == 1
    assert "ValueError" in caplog.text and "work" in caplog.text
    assert "Айгерім" not in caplog.text and "701" not in caplog.text
    runner.deleteLater()


def test_only_an_administrator_is_offered_a_restore(qtbot: QtBot, context: AppContext) -> None:
    page = SettingsPage(context)
    qtbot.add_widget(page)
    assert page.backups.restore_file_button.isEnabled()
    context.set_actor(Actor("bolat", "librarian", 2))
    assert not page.backups.restore_file_button.isEnabled()
    assert page.backups.back_up_button.isEnabled()  # anyone may back up
    context.set_actor(LOCAL_ADMIN)
    assert page.backups.restore_file_button.isEnabled()

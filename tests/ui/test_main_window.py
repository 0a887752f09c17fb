from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from mediatheque.backups import list_backups
from mediatheque.i18n import LANGUAGES, _, current_language, translations
from mediatheque.ui import backup_controller, dialogs
from mediatheque.ui.catalogue_page import CataloguePage
from mediatheque.ui.context import AppContext
from mediatheque.ui.desk_page import DeskPage
from mediatheque.ui.main_window import PAGES, MainWindow, PageSpec
from mediatheque.ui.page import Page
from mediatheque.ui.settings_page import SettingsPage


@pytest.fixture
def window(qtbot: QtBot, context: AppContext) -> MainWindow:
    made = MainWindow(context)
    qtbot.add_widget(made)
    with qtbot.wait_exposed(made):
        made.show()
    return made


def test_opens_on_the_settings_page_and_nothing_empty(window: MainWindow) -> None:
    # later pages land with their issues
    keys = [spec.key for spec in PAGES]
    assert keys[:2] == ["desk", "catalogue"] and keys[-1] == "settings"
    assert window.navigation.count() == len(PAGES)
    assert isinstance(window.current_page(), DeskPage)
    assert isinstance(window.pages["catalogue"], CataloguePage)
    assert current_language() == "fr"
    assert window.page_title("settings") == _("Settings")
    assert window.windowTitle() == "Médiathèque — Médiathèque de l'Alliance Française d'Almaty"


def test_status_bar_names_the_database_and_its_state(
    window: MainWindow, context: AppContext
) -> None:
    database_text = window.database_label.toolTip()
    assert str(context.database.path) in database_text
    assert "SQLite" in database_text
    assert window.database_label.isVisible()
    state = window.state_label.text()
    assert _("schema {revision}, up to date").format(revision=context.schema.head) in state
    assert _("no backup yet") in state  # a new database has nothing to back up at start
    window.backup_action.trigger()
    state = window.state_label.text()
    assert _("no backup yet") not in state
    before_when = _("last backup {when}").partition("{when}")[0]
    assert f"{before_when}2 mars 2026" in state  # in Almaty time, in French


def test_pages_are_registered_not_hard_wired(qtbot: QtBot, context: AppContext) -> None:
    class HelloPage(Page):
        def __init__(self, context: AppContext) -> None:
            super().__init__(context)
            self.label = QLabel(self)
            self.retranslated = 0
            self.refreshed = 0
            self.retranslate()

        def retranslate(self) -> None:
            self.retranslated += 1
            self.label.setText("hello")

        def refresh(self) -> None:
            self.refreshed += 1

    pages = (PageSpec("hello", "Hello page", "desk", HelloPage), *PAGES)
    window = MainWindow(context, pages)
    qtbot.add_widget(window)
    with qtbot.wait_active(window):
        window.show()
        window.activateWindow()
    assert window.navigation.count() == len(PAGES) + 1
    assert window.page_title("hello") == "Hello page"
    assert isinstance(window.current_page(), HelloPage)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.current_page(), CataloguePage)
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.current_page(), HelloPage)
    hello = window.pages["hello"]
    assert isinstance(hello, HelloPage)
    before = hello.retranslated
    context.languages.apply("en")
    assert hello.retranslated == before + 1
    context.events.database_replaced.emit()
    assert hello.refreshed == 1


def test_back_up_now_from_the_file_menu(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    before = {b.path for b in list_backups(context.backups_dir)}
    window.backup_action.trigger()
    made = {b.path for b in list_backups(context.backups_dir)} - before
    assert len(made) == 1
    name = made.pop().name
    assert name in window.statusBar().currentMessage()
    settings = window.pages["settings"]
    assert isinstance(settings, SettingsPage)
    assert settings.backups.selected_backup() is not None
    assert settings.backups.selected_backup().name == name


def test_failed_backup_is_explained(
    qtbot: QtBot, window: MainWindow, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        dialogs, "show_error", lambda parent, error, title="": shown.append(f"{title}|{error}")
    )
    monkeypatch.setattr(context.backups, "directory", Path("/proc/no-such/backups"))
    window.backup_action.trigger()
    assert len(shown) == 1
    assert shown[0].startswith(_("Backup failed") + "|")
    assert window.backup_action.isEnabled()  # not stuck busy


def test_about_names_version_database_and_data_folder(
    window: MainWindow, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "about", lambda parent, title, html: shown.append(html))
    window.about_action.trigger()
    from mediatheque import __version__

    assert __version__ in shown[0]
    assert str(context.database.path) in shown[0]
    assert str(context.data_dir) in shown[0]
    assert "SQLite" in shown[0]


def test_closing_waits_for_a_running_backup(
    qtbot: QtBot, window: MainWindow, context: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_backup = backup_controller.backup_database

    def slow_backup(*args, **kwargs):  # type: ignore[no-untyped-def]
        release.wait(5)
        return real_backup(*args, **kwargs)

    monkeypatch.setattr(backup_controller, "backup_database", slow_backup)
    context.runner.synchronous = False
    window.backup_action.trigger()
    assert context.backups.busy
    assert window.busy_indicator.isVisibleTo(window)
    assert not window.backup_action.isEnabled()
    assert not window.close()  # refused while the backup runs
    assert window.isVisible()
    release.set()
    qtbot.wait_until(lambda: not window.isVisible(), timeout=5000)
    assert not context.backups.busy
    context.runner.wait()


def _visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """Texts a person reads on screen, with the kind of widget they are on."""
    found: list[tuple[str, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if isinstance(widget, QLabel | QAbstractButton) and widget.text():
            found.append((type(widget).__name__, widget.text()))
        elif isinstance(widget, QGroupBox):
            found.append(("QGroupBox", widget.title()))
        elif isinstance(widget, QLineEdit) and widget.placeholderText():
            found.append(("placeholder", widget.placeholderText()))
    return found


@pytest.mark.usefixtures("marked_catalogues")
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_switching_language_translates_every_visible_text(
    qtbot: QtBot, window: MainWindow, context: AppContext, language: str
) -> None:
    settings = window.pages["settings"]
    assert isinstance(settings, SettingsPage)
    combo: QComboBox = settings.language.combo
    french_menu = window.file_menu.title()
    combo.setCurrentIndex(combo.findData(language))  # as the librarian does
    assert current_language() == language
    assert context.preferences.language == language
    assert window.file_menu.title() == f"«{language}:&File»" != french_menu
    assert window.page_title("settings") == f"«{language}:Settings»"
    assert window.backup_action.text() == f"«{language}:&Back up now»"
    assert window.state_label.text().startswith(f"«{language}:schema")
    texts = []
    for spec in PAGES:  # each page in turn
        window.show_page(spec.key)
        texts += _visible_texts(window)
    assert len(texts) > 25
    untranslated = [
        (kind, text) for kind, text in texts
        if not text.startswith("«") and not _is_data(text, context)
    ]
    assert untranslated == []


def _is_data(text: str, context: AppContext) -> bool:
    """Values shown as they are: names typed by people, paths, dates, sizes."""
    return (
        text.startswith(("Médiathèque", "KZ-"))
        or text == "Almaty"
        or str(context.data_dir) in text
    )


def test_real_catalogue_is_used_for_the_window(
    qtbot: QtBot, window: MainWindow, context: AppContext
) -> None:
    for language in ("ru", "kk", "en", "fr"):
        context.languages.apply(language)
        expected = translations(language).gettext("Settings")
        assert window.page_title("settings") == expected
        assert window.help_menu.title() == translations(language).gettext("&Help")


def _mnemonic(text: str) -> str | None:
    position = text.replace("&&", "").find("&")
    cleaned = text.replace("&&", "")
    return cleaned[position + 1].lower() if 0 <= position < len(cleaned) - 1 else None


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_alt_key_reaches_one_thing(
    window: MainWindow, context: AppContext, language: str
) -> None:
    """Keyboard use: Alt+letter must not be shared by two fields, buttons or menus, in any
    language."""
    context.languages.apply(language)
    assert current_language() == language
    assert window.file_menu.title() == translations(language).gettext("&File")
    menus = [window.file_menu.title(), window.view_menu.title(), window.help_menu.title()]
    every_key = []
    for spec in PAGES:  # only one page is shown at a time, and one tab of a page
        window.show_page(spec.key)
        tabs = getattr(window.pages[spec.key], "tabs", None)
        for tab in range(tabs.count() if tabs is not None else 1):
            if tabs is not None:
                tabs.setCurrentIndex(tab)
            texts = menus + [
                text for kind, text in _visible_texts(window) if kind != "placeholder"
            ]
            several = [t for t in texts if t.replace("&&", "").count("&") > 1]
            assert several == []  # one Alt key per text
            keys = [key for key in map(_mnemonic, texts) if key]
            every_key += keys
            duplicates = sorted({key for key in keys if keys.count(key) > 1})
            assert duplicates == [], (spec.key, tab,
                                      [t for t in texts if _mnemonic(t) in duplicates])
    assert len(every_key) > 12


@pytest.mark.postgresql
def test_postgresql_database_in_the_status_bar_and_backed_up(
    qtbot: QtBot, pg_url, tmp_path: Path, preferences, languages  # type: ignore[no-untyped-def]
) -> None:
    from mediatheque.library import initialise_library
    from mediatheque.startup import open_database
    from mediatheque.ui.context import create_context
    from tests.ui.helpers import LIBRARY, Clock

    clock = Clock(datetime(2026, 3, 2, 4, 0, tzinfo=UTC))
    secret = pg_url.set(password="s3cret-password")
    opened = open_database(pg_url, data_dir=tmp_path, now=clock(), busy_timeout=2)
    try:
        with opened.database.write() as session:
            initialise_library(session, LIBRARY)
        context = create_context(
            opened.database, tmp_path, opened.schema, preferences=preferences,
            languages=languages, synchronous=True, clock=clock,
        )
        context.database = replace(context.database, url=secret)  # as if given a password
        window = MainWindow(context)
        qtbot.add_widget(window)
        shown = window.database_label.toolTip()
        assert "PostgreSQL" in shown
        assert pg_url.database in shown
        assert "s3cret" not in shown
        window.backup_action.trigger()
        backups = list_backups(context.backups_dir)
        assert len(backups) == 1  # a PostgreSQL database is backed up as one SQLite file
        assert backups[0].path.read_bytes()[:16] == b"SQLite format 3\x00"
    finally:
        opened.database.dispose()

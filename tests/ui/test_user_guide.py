"""Help → User guide (F1) opens the guide's PDF in the interface's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from mediatheque.i18n import _
from mediatheque.paths import resources_dir
from mediatheque.ui import dialogs, main_window
from mediatheque.ui.context import AppContext
from mediatheque.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, context: AppContext) -> MainWindow:
    made = MainWindow(context)
    qtbot.add_widget(made)
    with qtbot.wait_exposed(made):
        made.show()
    return made


@pytest.fixture
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    urls: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    return urls


def test_f1_opens_the_french_guide(
    qtbot: QtBot, window: MainWindow, opened_urls: list[QUrl]
) -> None:
    assert window.guide_action in window.help_menu.actions()
    assert window.guide_action.shortcut().toString() == "F1"
    assert window.guide_action.text() == _("&User guide") == "&Guide d’utilisation"
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert len(opened_urls) == 1
    path = Path(opened_urls[0].toLocalFile())
    assert path == resources_dir() / "guide" / "guide-fr.pdf"
    assert path.is_file()  # the generated guide is shipped in resources/


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", "guide-ru.pdf"), ("kk", "guide-ru.pdf"), ("en", "guide-fr.pdf"),
        ("fr", "guide-fr.pdf"),
    ],
)
def test_the_guide_follows_the_language(
    window: MainWindow, context: AppContext, opened_urls: list[QUrl], language: str,
    expected: str,
) -> None:
    context.languages.apply(language)
    window.guide_action.trigger()
    assert [Path(url.toLocalFile()).name for url in opened_urls] == [expected]
    assert Path(opened_urls[0].toLocalFile()).is_file()


def test_a_missing_guide_is_said_plainly(
    window: MainWindow, opened_urls: list[QUrl], monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(main_window, "resources_dir", lambda: tmp_path)
    monkeypatch.setattr(
        dialogs, "show_error", lambda parent, error, title="": errors.append((str(error), title))
    )
    window.guide_action.trigger()
    assert opened_urls == []
    missing = tmp_path / "guide" / "guide-fr.pdf"
    assert errors == [
        (_("The user guide is missing: {path}").format(path=missing), _("User guide"))
    ]
    assert errors[0][0].startswith("Le guide d’utilisation est introuvable\u00a0:")

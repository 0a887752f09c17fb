from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mediatheque.db import Database, sqlite_url
from mediatheque.models import MemberCategory
from mediatheque.settings import load_library_settings
from mediatheque.startup import open_database
from mediatheque.ui.app import DeskPreferences, Languages
from mediatheque.ui.first_run import FirstRunDialog
from tests.ui.helpers import type_text


@pytest.fixture
def empty_database(tmp_path: Path, clock) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    opened = open_database(sqlite_url(tmp_path / "new.db"), data_dir=tmp_path, now=clock())
    yield opened.database
    opened.database.dispose()


@pytest.fixture
def dialog(qtbot: QtBot, empty_database: Database, languages: Languages) -> FirstRunDialog:
    made = FirstRunDialog(empty_database, languages)
    qtbot.add_widget(made)
    made.show()
    assert not made.ok_button.isEnabled()
    assert made.form.country.value() == "KZ"
    assert made.form.timezone.value() == "Asia/Almaty"
    assert made.form.language.value() == "fr"
    return made


def test_ok_waits_for_a_name_and_a_valid_code(qtbot: QtBot, dialog: FirstRunDialog) -> None:
    type_text(dialog.form.name, "Médiathèque d'Almaty")
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.form.code, "k")
    assert not dialog.ok_button.isEnabled()
    assert dialog.form.errors["code"].isVisible()
    assert "KZ-ALA-AF" in dialog.form.errors["code"].text()
    qtbot.keyClicks(dialog.form.code, "z-ala-af")
    assert dialog.form.code.text() == "KZ-ALA-AF"  # typed in lower case, shown in capitals
    assert not dialog.form.errors["code"].isVisible()
    assert dialog.ok_button.isEnabled()


def test_code_refuses_characters_outside_the_pattern(qtbot: QtBot, dialog: FirstRunDialog) -> None:
    qtbot.keyClicks(dialog.form.code, "KZ ALA/AF")
    assert dialog.form.code.text() == "KZALAAF"


def test_unknown_time_zone_disables_ok(qtbot: QtBot, dialog: FirstRunDialog) -> None:
    type_text(dialog.form.name, "Médiathèque")
    qtbot.keyClicks(dialog.form.code, "KZ-AST-AF")
    assert dialog.ok_button.isEnabled()
    dialog.form.timezone.setEditText("Mars/Olympus")
    assert not dialog.ok_button.isEnabled()
    assert dialog.form.errors["timezone"].isVisible()
    dialog.form.timezone.setEditText("Asia/Tashkent")
    assert dialog.ok_button.isEnabled()


def test_accepting_stores_the_library_and_its_defaults(
    qtbot: QtBot, dialog: FirstRunDialog, empty_database: Database, preferences: DeskPreferences
) -> None:
    type_text(dialog.form.name, "  Médiathèque de l'Alliance Française de Tachkent ")
    qtbot.keyClicks(dialog.form.code, "uz-tas-af")
    dialog.form.country.set_value("UZ")
    dialog.form.timezone.set_value("Asia/Tashkent")
    dialog.form.language.set_value("en")
    with qtbot.wait_signal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    with empty_database.read() as session:
        stored = load_library_settings(session)
        categories = session.scalar(select(func.count()).select_from(MemberCategory))
    assert stored.name == "Médiathèque de l'Alliance Française de Tachkent"
    assert stored.code == "UZ-TAS-AF"
    assert (stored.country, stored.timezone, stored.language) == ("UZ", "Asia/Tashkent", "en")
    assert dialog.stored == stored
    assert categories == 5  # initialise_library made the defaults
    assert preferences.language == "en"  # the language chosen is this desk's too


def test_cancel_stores_nothing(
    qtbot: QtBot, dialog: FirstRunDialog, empty_database: Database
) -> None:
    type_text(dialog.form.name, "Médiathèque")
    qtbot.keyClicks(dialog.form.code, "KZ-ALA-AF")
    with qtbot.wait_signal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    with empty_database.read() as session:
        assert not load_library_settings(session).is_initialised


@pytest.mark.usefixtures("marked_catalogues")
def test_choosing_a_language_translates_the_dialog_at_once(
    qtbot: QtBot, dialog: FirstRunDialog, preferences: DeskPreferences
) -> None:
    french_title = dialog.windowTitle()
    french_label = dialog.form.labels["code"].text()
    dialog.form.language.set_value("kk")
    assert dialog.windowTitle() == "«kk:Welcome to Médiathèque»" != french_title
    assert dialog.form.labels["code"].text() == "«kk:Library &code:»" != french_label
    assert dialog.ok_button.text() == "«kk:Create the library»"
    assert "Қазақстан" in dialog.form.country.currentText()  # country names follow
    assert dialog.form.country.value() == "KZ"
    assert preferences.language == "kk"


def test_time_zone_follows_the_country_until_chosen(dialog: FirstRunDialog) -> None:
    dialog.form.country.set_value("UZ")
    assert dialog.form.timezone.value() == "Asia/Tashkent"
    dialog.form.country.set_value("KG")
    assert dialog.form.timezone.value() == "Asia/Bishkek"
    dialog.form.timezone.lineEdit().selectAll()
    type_text(dialog.form.timezone.lineEdit(), "Asia/Oral")  # chosen by the librarian
    assert dialog.form.timezone.value() == "Asia/Oral"
    dialog.form.country.set_value("KZ")
    assert dialog.form.timezone.value() == "Asia/Oral"

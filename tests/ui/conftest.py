"""Fixtures of the window tests: offscreen Qt, a desk's preferences in a temporary file, a
clock that moves on, an initialised library and the application context (synchronous
runner), and a marked catalogue that shows which texts went through `_()`."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before Qt is loaded

import gettext
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from mediatheque import i18n
from mediatheque.db import sqlite_url
from mediatheque.library import initialise_library
from mediatheque.startup import OpenedDatabase, open_database
from mediatheque.ui.app import DeskPreferences, Languages
from mediatheque.ui.context import AppContext, create_context
from tests.ui.helpers import LIBRARY, Clock, MarkedCatalogue

# The offscreen platform says what it cannot do (resize windows to their hints, raise a
# popup, grab the keyboard): true, and nothing the application can or should change.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing )"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 4, 0, tzinfo=UTC))


@pytest.fixture(autouse=True)
def _desk_settings_in_tmp(tmp_path: Path) -> None:
    """DeskPreferences.for_user() writes under tmp, never in the real user's folder."""
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "user-config")
    )


@pytest.fixture
def preferences(tmp_path: Path) -> DeskPreferences:
    return DeskPreferences.in_file(tmp_path / "desk.ini")


@pytest.fixture
def languages(qapp: QApplication, preferences: DeskPreferences) -> Iterator[Languages]:
    switcher = Languages(qapp, preferences)
    yield switcher
    switcher.apply("fr")
    switcher.remove_qt_translation()
    switcher.deleteLater()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def opened(data_dir: Path, clock: Clock) -> Iterator[OpenedDatabase]:
    """A migrated database with its library named, in the data directory."""
    result = open_database(
        sqlite_url(data_dir / "mediatheque.db"), data_dir=data_dir, now=clock(), busy_timeout=2
    )
    with result.database.write() as session:
        initialise_library(session, LIBRARY)
    yield result
    result.database.dispose()


@pytest.fixture
def context(
    opened: OpenedDatabase, data_dir: Path, preferences: DeskPreferences,
    languages: Languages, clock: Clock,
) -> Iterator[AppContext]:
    made = create_context(
        opened.database, data_dir, opened.schema, preferences=preferences,
        languages=languages, synchronous=True, clock=clock,
    )
    yield made
    made.backups.stop()
    for qobject in (made.runner, made.backups, made.events):
        qobject.deleteLater()


@pytest.fixture
def marked_catalogues(monkeypatch: pytest.MonkeyPatch) -> None:
    """fr keeps the real catalogue; ru, kk and en answer with marked messages."""
    real = i18n.translations

    def translations(language: str) -> gettext.NullTranslations:
        return real(language) if language == "fr" else MarkedCatalogue(language)

    monkeypatch.setattr(i18n, "translations", translations)

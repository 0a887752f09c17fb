"""The QApplication, this desk's preferences, the interface language and the icons."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QSettings, QTranslator, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from mediatheque import __version__
from mediatheque.i18n import DEFAULT_LANGUAGE, LANGUAGES, current_language, set_language
from mediatheque.paths import APP_AUTHOR, APP_NAME, resources_dir

# Qt ships no translation of its standard dialogs for some languages: use the nearest one.
QT_FALLBACK_LANGUAGE = {"kk": "ru"}


def ensure_application() -> QApplication:
    """The application object, created once with its names and icon."""
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "mediatheque"])
    assert isinstance(app, QApplication)
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("mediatheque")
    app.setWindowIcon(icon("mediatheque"))
    if sys.platform == "win32":  # the taskbar groups and shows our icon, not Python's
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(  # type: ignore[attr-defined]
            f"{APP_AUTHOR}.{APP_NAME}"
        )
    return app


def icon(name: str) -> QIcon:
    """An icon of resources/icons (SVG, drawn for this application)."""
    return QIcon(str(resources_dir() / "icons" / f"{name}.svg"))


class DeskPreferences:
    """What this desk (this PC user) prefers, as opposed to the library's settings, which
    live in the database. Stored with QSettings in an INI file; all defaults are here."""

    def __init__(self, store: QSettings) -> None:
        self._store = store

    @classmethod
    def for_user(cls) -> DeskPreferences:
        return cls(QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, APP_AUTHOR, APP_NAME
        ))

    @classmethod
    def in_file(cls, path: Path) -> DeskPreferences:
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    @property
    def language(self) -> str | None:
        """The interface language chosen on this desk, None when never chosen."""
        value = self._store.value("interface/language", None)
        return value if value in LANGUAGES else None

    @language.setter
    def language(self, code: str) -> None:
        self._store.setValue("interface/language", code)
        self._store.sync()

    @property
    def window_geometry(self) -> bytes | None:
        value = self._store.value("window/geometry", None)
        return bytes(value) if value else None

    @window_geometry.setter
    def window_geometry(self, value: bytes) -> None:
        self._store.setValue("window/geometry", value)

    @property
    def last_folder(self) -> Path | None:
        value = self._store.value("files/last_folder", None)
        return Path(value) if value else None

    @last_folder.setter
    def last_folder(self, folder: Path) -> None:
        self._store.setValue("files/last_folder", str(folder))

    def sync(self) -> None:
        self._store.sync()


class Languages(QObject):
    """Switches the interface language: our gettext catalogue and Qt's own translations
    of its standard dialogs. Widgets listen to `changed` and set their texts again."""

    changed = Signal(str)

    def __init__(self, app: QApplication, preferences: DeskPreferences | None = None) -> None:
        super().__init__(app)
        self._app = app
        self._preferences = preferences
        self._translator: QTranslator | None = None

    @property
    def current(self) -> str:
        return current_language()

    def apply(self, code: str, *, remember: bool = False) -> None:
        """Switches to `code` at once; `remember` keeps it as this desk's choice."""
        set_language(code or DEFAULT_LANGUAGE)
        language = current_language()
        QLocale.setDefault(QLocale(language))
        self._install_qt_translation(language)
        if remember and self._preferences is not None:
            self._preferences.language = language
        self.changed.emit(language)

    def remove_qt_translation(self) -> None:
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None

    def _install_qt_translation(self, language: str) -> None:
        self.remove_qt_translation()
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        translator = QTranslator(self)
        for candidate in (language, QT_FALLBACK_LANGUAGE.get(language)):
            if candidate and translator.load(f"qtbase_{candidate}", folder):
                self._app.installTranslator(translator)
                self._translator = translator
                return

"""Helpers of the window tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import gettext
import re
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from mediatheque.settings import LibrarySettings

LIBRARY = LibrarySettings(
    name="Médiathèque de l'Alliance Française d'Almaty", code="KZ-ALA-AF", city="Almaty"
)


class Clock:
    """Starts at a fixed instant and moves a minute on at each reading, so two backups in
    one test never share a file name."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        self.moment += timedelta(minutes=1)
        return self.moment


class MarkedCatalogue(gettext.NullTranslations):
    """Every message comes back as «xx:message», so a test sees which texts were translated
    (the real catalogues may not be filled yet)."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def gettext(self, message: str) -> str:
        return f"«{self.code}:{message}»"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


PLACEHOLDER = re.compile(r"(\{[a-z_]*\})")


def message_pattern(template: str, **known: object) -> re.Pattern[str]:
    """A translated message as a regular expression: the placeholders given are filled in,
    the others match any text. Lets a test check a message without knowing its wording."""
    names = {part[1:-1] for part in PLACEHOLDER.findall(template)}
    assert set(known) <= names, f"{sorted(set(known) - names)} not in {template!r}"
    parts = [
        (re.escape(str(known[part[1:-1]])) if part[1:-1] in known else "(.+?)")
        if PLACEHOLDER.fullmatch(part) else re.escape(part)
        for part in PLACEHOLDER.split(template)
    ]
    return re.compile("".join(parts), re.DOTALL)


def type_text(widget: QWidget, text: str) -> None:
    """Types any text into a widget as key events (QTest.keyClicks only knows ASCII)."""
    for character in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, character)
            QApplication.sendEvent(widget, event)

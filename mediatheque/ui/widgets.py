"""Small widgets shared by the dialogs and pages: choosers for a country, a time zone and a
language, and a field-error label."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from functools import cache
from importlib import resources

from babel import Locale
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QSpinBox, QWidget

from mediatheque.i18n import LANGUAGE_NAMES, LANGUAGES, current_language

# Codes in CLDR's territory list that are not ISO 3166-1 countries.
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)
_ZONE_AREAS = (
    "Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian",
    "Pacific",
)


@cache
def country_names(language: str) -> tuple[tuple[str, str], ...]:
    """(code, name in `language`) for every ISO 3166-1 country, sorted by name."""
    territories = Locale.parse(language).territories
    pairs = [
        (code, name) for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]
    return tuple(sorted(pairs, key=lambda pair: pair[1].casefold()))


# The usual time zone of the countries of the network where zone.tab lists another first.
_USUAL_ZONES = {"UZ": "Asia/Tashkent", "KZ": "Asia/Almaty", "RU": "Europe/Moscow"}


@cache
def country_time_zone(country: str) -> str | None:
    """The time zone a library in `country` most likely uses (the first of tzdata's
    zone.tab for that country, unless known better); None when unknown."""
    if country in _USUAL_ZONES:
        return _USUAL_ZONES[country]
    try:
        table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None
    for line in table.splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and fields[0] == country and not line.startswith("#"):
            return fields[2]
    return None


@cache
def time_zones() -> tuple[str, ...]:
    """The IANA time zones people choose from (Asia/Almaty…), plus UTC."""
    zones = (
        zone for zone in zoneinfo.available_timezones()
        if zone.split("/", 1)[0] in _ZONE_AREAS and "/" in zone
    )
    return (*sorted(zones), "UTC")


class _SearchableCombo(QComboBox):
    """A combo box one can type into to find an entry (by any part of its text); only
    entries of the list can be chosen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.model(), self)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)

    def value(self) -> str:
        """The code of the chosen entry; '' when the typed text matches none."""
        index = self.findText(self.currentText(), Qt.MatchFlag.MatchFixedString)
        if index < 0:
            return ""
        return str(self.itemData(index))

    def set_value(self, code: str) -> None:
        index = self.findData(code)
        if index >= 0:
            self.setCurrentIndex(index)


class CountryCombo(_SearchableCombo):
    """Countries named in the interface language, with their ISO code."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.retranslate()

    def retranslate(self) -> None:
        chosen = self.value()
        self.blockSignals(True)
        self.clear()
        for code, name in country_names(current_language()):
            self.addItem(f"{name} ({code})", code)
        self.blockSignals(False)
        self.set_value(chosen or "KZ")


class TimeZoneCombo(_SearchableCombo):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for zone in time_zones():
            self.addItem(zone, zone)
        self.set_value("Asia/Almaty")


class LanguageCombo(QComboBox):
    """The four languages, each named in itself (so anyone finds their own)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for code in LANGUAGES:
            self.addItem(LANGUAGE_NAMES[code], code)

    def value(self) -> str:
        return str(self.currentData())

    def set_value(self, code: str) -> None:
        index = self.findData(code)
        if index >= 0:
            self.setCurrentIndex(index)


ERROR_COLOUR = "#b3261e"
DONE_COLOUR = "#1b5e20"


class OutcomeLabel(QLabel):
    """A line under a page's table saying what just happened: green when it was done, red
    when it went wrong."""

    def tell(self, text: str, *, error: bool = False) -> None:
        self.setStyleSheet(f"color: {ERROR_COLOUR if error else DONE_COLOUR};")
        self.setText(text)


class ErrorLabel(QLabel):
    """The inline message under a field that does not fit; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def count_suffix(spin: QSpinBox, texts: Callable[[int], str]) -> None:
    """Words around a spin box's number that follow the language's plural rules: `texts(n)`
    returns e.g. `ngettext("{n} day", "{n} days", n)`; what precedes "{n}" becomes the
    prefix, what follows the suffix ("1 day", "2 days"; "2 дня", "5 дней"). Call it again
    from retranslate(): the box keeps one connection."""

    def apply(value: int) -> None:
        before, _n, after = texts(value).partition("{n}")
        spin.setPrefix(before)
        spin.setSuffix(after)

    previous = getattr(spin, "_count_suffix", None)
    if previous is not None:
        spin.valueChanged.disconnect(previous)
    spin._count_suffix = apply  # type: ignore[attr-defined]
    spin.valueChanged.connect(apply)
    apply(spin.value())

"""The library's identity as a form, shared by the first-run dialog and the Settings page.

The form checks as one types (OK/Save stay disabled while something does not fit, with the
reason under the field); the core's `LibrarySettings.validated()` stays the authority and
its `InvalidValue` is shown under the field it names.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from mediatheque.errors import InvalidValue
from mediatheque.i18n import _
from mediatheque.messages import describe_error
from mediatheque.settings import LIBRARY_CODE, LibrarySettings
from mediatheque.ui.widgets import (
    CountryCombo,
    ErrorLabel,
    LanguageCombo,
    TimeZoneCombo,
    country_time_zone,
)

NAME_MAX = 200


def field_hint(field: str) -> str:
    """What a field expects, said when its value does not fit."""
    hints = {
        "name": lambda: _("Enter the library's name."),
        "code": lambda: _(
            "2 to 32 capital letters, digits or hyphens, for example KZ-ALA-AF."
        ),
        "country": lambda: _("Choose a country from the list."),
        "timezone": lambda: _("Choose a time zone from the list."),
    }
    return hints[field]() if field in hints else ""


class LibraryForm(QWidget):
    """`full=False`: what the first run needs (name, code, country, time zone, language);
    `full=True` adds the short name, the city and the director's language."""

    changed = Signal()
    language_chosen = Signal(str)

    def __init__(self, *, full: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = full
        self._base = LibrarySettings()
        self._touched: set[str] = set()
        self._server_errors: dict[str, str] = {}

        self.name = QLineEdit()
        self.name.setMaxLength(NAME_MAX)
        self.short_name = QLineEdit()
        self.short_name.setMaxLength(60)
        self.code = QLineEdit()
        self.code.setMaxLength(32)
        self.code.setValidator(QRegularExpressionValidator(
            QRegularExpression("[A-Za-z0-9-]*"), self.code
        ))
        self.city = QLineEdit()
        self.country = CountryCombo()
        self.timezone = TimeZoneCombo()
        self.language = LanguageCombo()
        self.director_language = LanguageCombo()
        self.fields: dict[str, QWidget] = {
            "name": self.name,
            "short_name": self.short_name,
            "code": self.code,
            "city": self.city,
            "country": self.country,
            "timezone": self.timezone,
            "language": self.language,
            "director_language": self.director_language,
        }
        shown = (
            ["name", "short_name", "code", "city", "country", "timezone", "language",
             "director_language"]
            if full else ["name", "code", "country", "timezone", "language"]
        )
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, ErrorLabel] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field in shown:
            label = QLabel()
            label.setBuddy(self.fields[field])
            error = ErrorLabel()
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(self.fields[field])
            cell_layout.addWidget(error)
            layout.addRow(label, cell)
            self.labels[field] = label
            self.errors[field] = error
        for field, widget in self.fields.items():
            if field not in shown:  # kept for settings(), never shown
                widget.setParent(self)
                widget.hide()
        self._zone_chosen = full  # the first run proposes the country's zone until one is chosen
        self._connect()
        self.retranslate()

    def _connect(self) -> None:
        for field in ("name", "short_name", "code", "city"):
            edit = self.fields[field]
            assert isinstance(edit, QLineEdit)
            edit.textEdited.connect(lambda _text, f=field: self._edited(f))
        self.code.textEdited.connect(self._upper_case_code)
        for field in ("country", "timezone"):
            combo = self.fields[field]
            assert isinstance(combo, CountryCombo | TimeZoneCombo)
            combo.currentTextChanged.connect(lambda _text, f=field: self._edited(f))
        self.timezone.activated.connect(self._zone_was_chosen)
        self.timezone.lineEdit().textEdited.connect(self._zone_was_chosen)
        self.country.currentIndexChanged.connect(self._propose_zone)
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.director_language.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def retranslate(self) -> None:
        texts = {
            "name": _("Library &name:"),
            "short_name": _("Short na&me:"),
            "code": _("Library &code:"),
            "city": _("C&ity:"),
            "country": _("Countr&y:"),
            "timezone": _("&Time zone:"),
            "language": _("&Language of the library:"),
            "director_language": _("&Director's language:"),
        }
        for field, label in self.labels.items():
            label.setText(texts[field])
        self.name.setPlaceholderText(_("e.g. Médiathèque of the Alliance Française of Almaty"))
        self.short_name.setPlaceholderText(_("on cards and letters; the name if empty"))
        self.code.setPlaceholderText(_("e.g. KZ-ALA-AF"))
        self.language.setToolTip(_("Letters to members and new categories use it."))
        self.director_language.setToolTip(_("Language of the monthly report for the director."))
        self.country.retranslate()
        self._show_problems()

    # values

    def set_settings(self, settings: LibrarySettings) -> None:
        self._base = settings
        self._touched.clear()
        self._server_errors.clear()
        self.name.setText(settings.name)
        self.short_name.setText(settings.short_name)
        self.code.setText(settings.code)
        self.city.setText(settings.city)
        self.country.set_value(settings.country)
        self.timezone.set_value(settings.timezone)
        self.language.blockSignals(True)
        self.language.set_value(settings.language)
        self.language.blockSignals(False)
        self.director_language.set_value(settings.director_language)
        self._show_problems()

    def settings(self) -> LibrarySettings:
        """The values as typed (the core validates and normalises them)."""
        values = {
            "name": self.name.text(),
            "code": self.code.text(),
            "country": self.country.value() or self.country.currentText(),
            "timezone": self.timezone.value() or self.timezone.currentText(),
            "language": self.language.value(),
        }
        if self._full:
            values |= {
                "short_name": self.short_name.text(),
                "city": self.city.text(),
                "director_language": self.director_language.value(),
            }
        return replace(self._base, **values)

    # checking

    def problems(self) -> dict[str, str]:
        """Fields that do not fit yet, with what they expect."""
        found = {}
        if not self.name.text().strip():
            found["name"] = field_hint("name")
        if not LIBRARY_CODE.match(self.code.text().strip().upper()):
            found["code"] = field_hint("code")
        if not self.country.value():
            found["country"] = field_hint("country")
        if not self.timezone.value():
            found["timezone"] = field_hint("timezone")
        return found

    def is_acceptable(self) -> bool:
        return not self.problems()

    def show_error(self, error: InvalidValue) -> None:
        """Shows the core's refusal under the field it concerns."""
        self._server_errors = {error.field: field_hint(error.field) or describe_error(error)}
        self._touched.add(error.field)
        self._show_problems()
        widget = self.fields.get(error.field)
        if widget is not None:
            widget.setFocus()

    def _show_problems(self) -> None:
        problems = self.problems()
        for field, label in self.errors.items():
            text = self._server_errors.get(field, "")
            if not text and field in self._touched:
                text = problems.get(field, "")
            label.show_message(text)

    def _edited(self, field: str) -> None:
        self._touched.add(field)
        self._server_errors.pop(field, None)
        self._show_problems()
        self.changed.emit()

    def _zone_was_chosen(self, *_args: object) -> None:
        self._zone_chosen = True

    def _propose_zone(self, _index: int) -> None:
        zone = country_time_zone(self.country.value())
        if not self._zone_chosen and zone is not None:
            self.timezone.set_value(zone)

    def _upper_case_code(self, text: str) -> None:
        if text != text.upper():
            position = self.code.cursorPosition()
            self.code.setText(text.upper())
            self.code.setCursorPosition(position)

    def _language_chosen(self, _index: int) -> None:
        self.changed.emit()
        self.language_chosen.emit(self.language.value())

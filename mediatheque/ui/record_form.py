"""The fields of a record in the editor: description, classification and content.

`values()` gives them as a dict keyed like RecordInput's fields; `set_values()` fills them
from a RecordDetail or a lookup's BookMetadata (any object with those attributes).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from mediatheque.catalogue.metadata import Person
from mediatheque.i18n import _
from mediatheque.models.vocabulary import Audience, MediaType
from mediatheque.ui.catalogue_labels import (
    AUDIENCES,
    CEFR_LEVELS,
    LANGUAGES,
    MEDIA_TYPES,
    fill_combo,
    set_combo_word,
)
from mediatheque.ui.contributors_table import ContributorsTable

CHECKED_LANGUAGES = ("fre", "rus", "kaz", "eng")
_LINES = re.compile(r"[\n;]+")
_WORDS = re.compile(r"[\n;,]+")
TEXT_FIELDS = ("title", "subtitle", "responsibility", "publisher", "place", "edition",
               "extent", "series", "series_number", "dewey")


def split_list(text: str, *, commas: bool) -> tuple[str, ...]:
    """Subjects are one per line (or ';'), since a heading may hold a comma; keywords are
    separated by commas too. Duplicates and blanks are dropped, the order kept."""
    parts = (_WORDS if commas else _LINES).split(text)
    seen: dict[str, None] = {}
    for part in parts:
        cleaned = " ".join(part.split())
        if cleaned and cleaned.casefold() not in {key.casefold() for key in seen}:
            seen[cleaned] = None
    return tuple(seen)


def _plain(minimum_lines: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    height = edit.fontMetrics().lineSpacing() * minimum_lines + 12
    edit.setMinimumHeight(height)
    return edit


class RecordForm(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits: dict[str, QLineEdit] = {name: QLineEdit() for name in TEXT_FIELDS}
        self.year = QLineEdit()
        self.year.setValidator(QIntValidator(0, 2999, self.year))
        self.year.setMaximumWidth(80)
        self.contributors = ContributorsTable()
        self.language_boxes = {code: QCheckBox() for code in CHECKED_LANGUAGES}
        self.other_languages = QLineEdit()
        self.other_languages.setMaximumWidth(140)
        self.media_type = QComboBox()
        self.audience = QComboBox()
        self.cefr = QComboBox()
        self.subjects = _plain(3)
        self.keywords = _plain(2)
        self.summary = _plain(4)
        self.note = _plain(2)
        self._language_order: tuple[str, ...] = ()
        self._source: str | None = None
        self.labels: dict[str, QLabel] = {}
        self.description = QFormLayout()
        self.content = QFormLayout()
        self._build()
        for edit in (*self.edits.values(), self.year, self.other_languages):
            edit.textChanged.connect(lambda _text: self.changed.emit())
        for box in self.language_boxes.values():
            box.toggled.connect(self._languages_changed)
        self.other_languages.textChanged.connect(self._languages_changed)
        self.media_type.currentIndexChanged.connect(self._languages_changed)
        self.contributors.changed.connect(self.changed)
        self.retranslate()
        set_combo_word(self.audience, Audience.UNKNOWN)
        self._languages_changed()

    def _row(self, form: QFormLayout, name: str, field: QWidget | QHBoxLayout) -> None:
        label = QLabel()
        self.labels[name] = label
        if isinstance(field, QWidget):
            label.setBuddy(field)
        form.addRow(label, field)

    def _build(self) -> None:  # noqa: PLR0915 (a form's layout)
        form = self.description
        self._row(form, "title", self.edits["title"])
        self._row(form, "subtitle", self.edits["subtitle"])
        self._row(form, "responsibility", self.edits["responsibility"])
        self._row(form, "contributors", self.contributors)
        publication = QHBoxLayout()
        publication.addWidget(self.edits["publisher"], 3)
        self.place_label = QLabel()
        self.place_label.setBuddy(self.edits["place"])
        publication.addWidget(self.place_label)
        publication.addWidget(self.edits["place"], 2)
        self.year_label = QLabel()
        self.year_label.setBuddy(self.year)
        publication.addWidget(self.year_label)
        publication.addWidget(self.year)
        self._row(form, "publisher", publication)
        self.labels["publisher"].setBuddy(self.edits["publisher"])
        edition = QHBoxLayout()
        edition.addWidget(self.edits["edition"], 1)
        self.extent_label = QLabel()
        self.extent_label.setBuddy(self.edits["extent"])
        edition.addWidget(self.extent_label)
        edition.addWidget(self.edits["extent"], 1)
        self._row(form, "edition", edition)
        self.labels["edition"].setBuddy(self.edits["edition"])
        series = QHBoxLayout()
        series.addWidget(self.edits["series"], 3)
        self.series_number_label = QLabel()
        self.series_number_label.setBuddy(self.edits["series_number"])
        series.addWidget(self.series_number_label)
        self.edits["series_number"].setMaximumWidth(80)
        series.addWidget(self.edits["series_number"])
        self._row(form, "series", series)
        self.labels["series"].setBuddy(self.edits["series"])
        languages = QHBoxLayout()
        for box in self.language_boxes.values():
            languages.addWidget(box)
        self.other_label = QLabel()
        self.other_label.setBuddy(self.other_languages)
        languages.addWidget(self.other_label)
        languages.addWidget(self.other_languages)
        languages.addStretch(1)
        self._row(form, "languages", languages)
        kind = QHBoxLayout()
        kind.addWidget(self.media_type, 2)
        self.audience_label = QLabel()
        self.audience_label.setBuddy(self.audience)
        kind.addWidget(self.audience_label)
        kind.addWidget(self.audience, 2)
        self.cefr_label = QLabel()
        self.cefr_label.setBuddy(self.cefr)
        kind.addWidget(self.cefr_label)
        kind.addWidget(self.cefr)
        self._row(form, "media_type", kind)
        self.labels["media_type"].setBuddy(self.media_type)

        content = self.content
        self.edits["dewey"].setMaximumWidth(160)
        self._row(content, "dewey", self.edits["dewey"])
        self._row(content, "subjects", self.subjects)
        self._row(content, "keywords", self.keywords)
        self._row(content, "summary", self.summary)
        self._row(content, "note", self.note)

    def retranslate(self) -> None:
        texts = {
            "title": _("&Title:"), "subtitle": _("Su&btitle:"),
            "responsibility": _("Statement of &responsibility:"),
            "contributors": _("Contributors:"), "publisher": _("Publis&her:"),
            "edition": _("Edition:"), "series": _("Se&ries:"), "languages": _("Languages:"),
            "media_type": _("T&ype:"), "dewey": _("&Dewey class:"),
            "subjects": _("Sub&jects:"), "keywords": _("&Keywords:"),
            "summary": _("Su&mmary:"), "note": _("N&ote:"),
        }
        for name, text in texts.items():
            self.labels[name].setText(text)
        self.place_label.setText(_("Place:"))
        self.year_label.setText(_("Year:"))
        self.extent_label.setText(_("Pages, extent:"))
        self.series_number_label.setText(_("No.:"))
        self.other_label.setText(_("Other codes:"))
        self.audience_label.setText(_("Audience:"))
        self.cefr_label.setText(_("CEFR:"))
        for code, box in self.language_boxes.items():
            box.setText(LANGUAGES[code]())
        self.other_languages.setPlaceholderText("ger, spa")
        self.other_languages.setToolTip(_("ISO 639-2 codes of other languages, such as ger, spa"))
        self.subjects.setPlaceholderText(_("One subject per line"))
        self.keywords.setPlaceholderText(_("Separated by commas"))
        fill_combo(self.media_type, MEDIA_TYPES)
        fill_combo(self.audience, AUDIENCES)
        fill_combo(self.cefr, CEFR_LEVELS, everything="—")
        self.contributors.retranslate()

    # values

    def languages(self) -> tuple[str, ...]:
        chosen = [code for code, box in self.language_boxes.items() if box.isChecked()]
        chosen += [
            code.strip().lower() for code in re.split(r"[\s,;]+", self.other_languages.text())
            if code.strip()
        ]
        ordered = [code for code in self._language_order if code in chosen]
        ordered += [code for code in chosen if code not in ordered]
        return tuple(dict.fromkeys(ordered))

    def cefr_applies(self) -> bool:
        """CEFR levels are for French-learning material: FLE courses and French books."""
        return (self.media_type.currentData() == MediaType.FLE_METHOD
                or "fre" in self.languages())

    def _languages_changed(self, *_args: object) -> None:
        applies = self.cefr_applies()
        self.cefr.setEnabled(applies)
        self.cefr_label.setEnabled(applies)
        self.changed.emit()

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            name: (edit.text().strip() or None) for name, edit in self.edits.items()
        }
        year = self.year.text().strip()
        values["year"] = int(year) if year else None
        values["contributors"] = self.contributors.people()
        values["languages"] = self.languages()
        values["media_type"] = self.media_type.currentData() or MediaType.BOOK
        values["audience"] = self.audience.currentData() or Audience.UNKNOWN
        values["cefr_level"] = (self.cefr.currentData() or None) if self.cefr_applies() else None
        values["subjects"] = split_list(self.subjects.toPlainText(), commas=False)
        values["keywords"] = split_list(self.keywords.toPlainText(), commas=True)
        values["summary"] = self.summary.toPlainText().strip() or None
        values["note"] = self.note.toPlainText().strip() or None
        values["metadata_source"] = self._source
        return values

    def set_values(  # noqa: PLR0912 (one case per kind of field)
        self, source: Any, *, only_known: bool = False
    ) -> None:
        """Fills the fields from `source`'s attributes; with `only_known`, a field the
        source does not know keeps what it holds (a lookup does not erase typed text)."""
        def wanted(value: object) -> bool:
            return bool(value) or not only_known

        for name, edit in self.edits.items():
            value = getattr(source, name, None)
            if wanted(value):
                edit.setText("" if value is None else str(value))
        year = getattr(source, "year", None)
        if wanted(year):
            self.year.setText(str(year) if year else "")
        people: tuple[Person, ...] = tuple(getattr(source, "contributors", ()) or ())
        if wanted(people):
            self.contributors.set_people(people)
        languages = tuple(getattr(source, "languages", ()) or ())
        if wanted(languages):
            self._language_order = languages
            for code, box in self.language_boxes.items():
                box.setChecked(code in languages)
            self.other_languages.setText(
                ", ".join(code for code in languages if code not in self.language_boxes)
            )
        for combo, name in ((self.media_type, "media_type"), (self.audience, "audience"),
                            (self.cefr, "cefr_level")):
            value = getattr(source, name, None)
            if wanted(value):
                set_combo_word(combo, value)
        for edit, name in ((self.subjects, "subjects"), (self.keywords, "keywords")):
            value = getattr(source, name, None)
            if wanted(value):
                edit.setPlainText("\n".join(value or ()))
        for edit, name in ((self.summary, "summary"), (self.note, "note")):
            value = getattr(source, name, None)
            if wanted(value):
                edit.setPlainText(value or "")
        sources = getattr(source, "sources", None)
        if sources:
            self._source = ",".join(sources)
        elif getattr(source, "metadata_source", None):
            self._source = source.metadata_source
        self._languages_changed()

    def first_author(self) -> str | None:
        people = self.contributors.people()
        return people[0].display() if people else None

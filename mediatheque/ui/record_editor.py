"""The record editor: a new record (typed, or looked up by ISBN) or an existing one, with
the copies to add.

The ISBN lookup may take seconds (network): it runs on the runner with a progress bar and
Cancel, and fills the fields it knows. Before a new record is saved, possible duplicates
are shown inline, with "open the existing record" and "add the copies to it".
"""

from __future__ import annotations

import os
from dataclasses import fields
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediatheque.catalogue.copies import add_copies, suggest_call_number
from mediatheque.catalogue.duplicates import DuplicateCandidate, find_duplicates
from mediatheque.catalogue.isbn import parse_isbn
from mediatheque.catalogue.isbn_cataloguing import fallback_title, queue_pending_lookup
from mediatheque.catalogue.lookup import LookupOutcome, ProviderHealth, fetch_cover, lookup_isbn
from mediatheque.catalogue.metadata import BookMetadata
from mediatheque.catalogue.provider_settings import ProviderSettings, load_provider_settings
from mediatheque.catalogue.reading import RecordDetail
from mediatheque.catalogue.records import (
    RecordInput,
    create_record,
    remove_cover,
    resolve_identifiers,
    set_cover,
    update_record,
)
from mediatheque.errors import InvalidIsbn, MediathequeError
from mediatheque.i18n import _, ngettext
from mediatheque.messages import describe_error
from mediatheque.ui.context import AppContext
from mediatheque.ui.copies_form import CopiesForm
from mediatheque.ui.cover_box import CoverBox
from mediatheque.ui.record_form import RecordForm
from mediatheque.ui.runner import Runner, Task
from mediatheque.ui.widgets import ErrorLabel


class Outcome(StrEnum):
    SAVED = "saved"
    OPEN_EXISTING = "open_existing"  # the person chose to open a duplicate instead
    ADDED_TO_EXISTING = "added_to_existing"  # the copies went to a duplicate


def duplicate_reason(reason: str) -> str:
    reasons = {
        "isbn": _("same ISBN or EAN"),
        "title_author_year": _("same title, author and year"),
    }
    return reasons.get(reason, reason)


def record_input(values: dict[str, Any]) -> RecordInput:
    known = {field.name for field in fields(RecordInput)}
    return RecordInput(**{name: value for name, value in values.items() if name in known})


class RecordEditor(QDialog):
    def __init__(
        self, context: AppContext, health: ProviderHealth, locations: list[tuple[str, str]],
        *, detail: RecordDetail | None = None, cover: tuple[bytes, str] | None = None,
        runner: Runner | None = None, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.runner = runner or context.runner  # lookups wait on the network
        self.health = health
        self.detail = detail
        self.record_id: int | None = detail.record_id if detail else None
        self.outcome: Outcome | None = None
        self.barcodes: list[str] = []
        self._task: Task | None = None
        self._lookup_sequence = 0
        self._duplicates_shown_for: tuple[object, ...] | None = None
        self._provider_settings: ProviderSettings | None = None
        self._pending_isbn: str | None = None  # looked up while the catalogues were away
        today = context.clock().date()
        self.form = RecordForm()
        self.cover = CoverBox()
        self.copies = CopiesForm(locations, today, count=0 if detail else 1)
        self._build()
        self._connect()
        if detail is not None:
            self.form.set_values(detail)
            self.isbn.setText(detail.isbn13 or detail.ean or "")
            self.cover.set_existing(cover)
        self.retranslate()
        self._suggest_call_number()
        self.resize(980, 600)

    # building

    def _build(self) -> None:  # noqa: PLR0915 (a form's layout)
        self.isbn_label = QLabel()
        self.isbn = QLineEdit()
        self.isbn.setMaximumWidth(220)
        self.isbn_label.setBuddy(self.isbn)
        self.lookup_button = QPushButton()
        self.cancel_lookup_button = QPushButton()
        self.cancel_lookup_button.hide()
        self.lookup_progress = QProgressBar()
        self.lookup_progress.setMaximumWidth(140)
        self.lookup_progress.setTextVisible(False)
        self.lookup_progress.hide()
        self.lookup_status = QLabel()
        self.lookup_status.setWordWrap(True)
        self.isbn_error = ErrorLabel()
        self.use_suggestion_button = QPushButton()
        self.use_suggestion_button.hide()
        isbn_row = QHBoxLayout()
        for widget in (self.isbn_label, self.isbn, self.lookup_button,
                       self.cancel_lookup_button, self.lookup_progress):
            isbn_row.addWidget(widget)
        isbn_row.addWidget(self.lookup_status, 1)
        error_row = QHBoxLayout()
        error_row.addWidget(self.isbn_error, 1)
        error_row.addWidget(self.use_suggestion_button)

        description = QWidget()
        description_layout = QHBoxLayout(description)
        fields = QVBoxLayout()
        fields.addLayout(self.form.description)
        fields.addStretch(1)  # extra height goes below the fields, not between them
        description_layout.addLayout(fields, 1)
        description_layout.addWidget(self.cover, 0, Qt.AlignmentFlag.AlignTop)
        content = QWidget()
        content.setLayout(self.form.content)
        copies_page = QWidget()
        copies_layout = QVBoxLayout(copies_page)
        copies_layout.addWidget(self.copies)
        copies_layout.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.addTab(description, "")
        self.tabs.addTab(content, "")
        self.tabs.addTab(copies_page, "")

        self.duplicates = QFrame()
        self.duplicates.setFrameShape(QFrame.Shape.StyledPanel)
        self.duplicates.setStyleSheet("QFrame { background: #fff4d6; }")
        self.duplicates_label = QLabel()
        self.duplicates_label.setWordWrap(True)
        self.duplicates_list = QListWidget()
        self.duplicates_list.setMaximumHeight(70)
        self.open_existing_button = QPushButton()
        self.add_to_existing_button = QPushButton()
        duplicate_buttons = QVBoxLayout()
        duplicate_buttons.addWidget(self.open_existing_button)
        duplicate_buttons.addWidget(self.add_to_existing_button)
        duplicate_layout = QHBoxLayout(self.duplicates)
        text = QVBoxLayout()
        text.addWidget(self.duplicates_label)
        text.addWidget(self.duplicates_list)
        duplicate_layout.addLayout(text, 1)
        duplicate_layout.addLayout(duplicate_buttons)
        self.duplicates.hide()

        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(isbn_row)
        layout.addLayout(error_row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.duplicates)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _connect(self) -> None:
        self.lookup_button.clicked.connect(self.look_up)
        self.cancel_lookup_button.clicked.connect(self.cancel_lookup)
        self.isbn.returnPressed.connect(self.look_up)
        self.isbn.textEdited.connect(lambda _text: self._clear_isbn_error())
        self.use_suggestion_button.clicked.connect(self._use_suggestion)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.open_existing_button.clicked.connect(self._open_existing)
        self.add_to_existing_button.clicked.connect(self._add_to_existing)
        self.form.changed.connect(self._form_changed)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)

    def retranslate(self) -> None:
        self.setWindowTitle(
            _("Edit the record") if self.detail is not None else _("New record")
        )
        self.isbn_label.setText(_("&ISBN or EAN:"))
        self.lookup_button.setText(_("&Look up"))
        self.lookup_button.setToolTip(_("Fill in the record from the library catalogues"))
        self.cancel_lookup_button.setText(_("Cancel"))
        self.tabs.setTabText(0, _("Description"))
        self.tabs.setTabText(1, _("Subjects and summary"))
        self.tabs.setTabText(2, _("Copies"))
        self.open_existing_button.setText(_("Open the existing record"))
        self.add_to_existing_button.setText(_("Add the copies to it"))
        self.save_button.setText(_("&Save"))
        self.cancel_button.setText(_("Cancel"))
        self.form.retranslate()
        self.cover.retranslate()
        self.copies.retranslate()

    # ISBN and lookup

    def _clear_isbn_error(self) -> None:
        self.isbn_error.show_message("")
        self.use_suggestion_button.hide()

    def _show_isbn_error(self, error: InvalidIsbn) -> None:
        self.isbn_error.show_message(describe_error(error))
        if error.suggestion:
            self._suggestion = error.suggestion
            self.use_suggestion_button.setText(
                _("Use {isbn}").format(isbn=error.suggestion)
            )
            self.use_suggestion_button.show()
        else:
            self.use_suggestion_button.hide()

    def _use_suggestion(self) -> None:
        self.isbn.setText(self._suggestion)
        self._clear_isbn_error()
        self.isbn.setFocus()

    def identifiers(self) -> tuple[str | None, str | None]:
        """(isbn13, ean) from the ISBN field; raises InvalidIsbn when it holds neither."""
        return resolve_identifiers(self.isbn.text().strip() or None, None)

    def look_up(self) -> None:
        if self.cancel_lookup_button.isVisibleTo(self):  # a lookup is under way
            return
        try:
            isbn13, _ean = self.identifiers()
        except InvalidIsbn as error:
            self._show_isbn_error(error)
            return
        except MediathequeError as error:
            self.isbn_error.show_message(describe_error(error))
            return
        if isbn13 is None:
            self.isbn_error.show_message(_("Type or scan an ISBN first."))
            self.isbn.setFocus()
            return
        self._clear_isbn_error()
        self.isbn.setText(parse_isbn(isbn13).hyphenated())
        settings = self._settings()
        self._lookup_sequence += 1
        sequence = self._lookup_sequence
        self._set_looking_up(True)
        self.lookup_status.setText(_("Looking up {isbn}…").format(isbn=isbn13))
        task = self.runner.submit(
            lookup_isbn, self.context.database, isbn13,
            settings=settings, health=self.health, now=self.context.clock(),
            on_done=lambda outcome: self._looked_up(sequence, outcome),
            on_failed=lambda error: self._lookup_failed(sequence, error),
            on_progress=self._lookup_progress,
        )
        if self.cancel_lookup_button.isVisibleTo(self):  # still running
            self._task = task

    def _settings(self) -> ProviderSettings:
        if self._provider_settings is None:
            with self.context.database.read() as session:
                self._provider_settings = load_provider_settings(session, os.environ)
        return self._provider_settings

    def _set_looking_up(self, busy: bool) -> None:
        self.lookup_button.setEnabled(not busy)
        self.cancel_lookup_button.setVisible(busy)
        self.lookup_progress.setVisible(busy)
        self.lookup_progress.setRange(0, 0)
        if not busy:
            self._task = None

    def _lookup_progress(self, done: int, total: int) -> None:
        self.lookup_progress.setRange(0, max(total, 1))
        self.lookup_progress.setValue(done)

    def cancel_lookup(self) -> None:
        """Stops waiting at once; the core stops at its next check, its answer is dropped."""
        if not self.cancel_lookup_button.isVisibleTo(self):
            return
        if self._task is not None:
            self._task.cancel()
        self._lookup_sequence += 1
        self._set_looking_up(False)
        self.lookup_status.setText(_("Lookup cancelled."))

    def _looked_up(self, sequence: int, outcome: LookupOutcome) -> None:
        if sequence != self._lookup_sequence:
            return
        self._set_looking_up(False)
        self.apply_metadata(outcome.metadata)
        if outcome.metadata.is_empty:
            status = _("No catalogue knows this ISBN: type the record in.")
            if outcome.pending:
                status = _(
                    "The catalogues could not be reached: save what you know, the record "
                    "will be completed later."
                )
        elif outcome.from_cache:
            status = _("Filled in from the catalogue cache.")
        else:
            status = _("Filled in from: {sources}.").format(
                sources=", ".join(outcome.metadata.sources)
            )
        self.lookup_status.setText(status)
        self._pending_isbn = outcome.isbn13 if outcome.pending else None
        self._check_duplicates()

    def _lookup_failed(self, sequence: int, error: BaseException) -> None:
        if sequence != self._lookup_sequence:
            return
        self._set_looking_up(False)
        if isinstance(error, MediathequeError):
            self.lookup_status.setText(describe_error(error))
        else:
            self.lookup_status.clear()
            self.context.runner.unhandled_failure.emit(error)

    def apply_metadata(self, metadata: BookMetadata) -> None:
        """Fills the fields the metadata knows, and fetches its cover in the background."""
        self.form.set_values(metadata, only_known=True)
        if metadata.cover_url and self.cover.cover is None:
            self.runner.submit(
                fetch_cover, metadata.cover_url, self._settings(),
                on_done=lambda found: self._cover_fetched(metadata.cover_url, found),
                on_failed=lambda _error: None,  # no cover is not worth a message
            )
        self._suggest_call_number()

    def _cover_fetched(self, url: str | None, found: tuple[bytes, str] | None) -> None:
        if found is not None and self.cover.cover is None:
            self.cover.set_image(found[0], url or "lookup")

    # copies

    def _suggest_call_number(self) -> None:
        values = self.form.values()
        people = self.form.contributors.people()
        self.copies.suggest_call_number(suggest_call_number(
            values.get("dewey"), values.get("media_type") or "book",
            people[0].surname if people else None, values.get("title") or "",
            cefr_level=values.get("cefr_level"),
        ))

    # duplicates

    def _form_changed(self) -> None:
        self.error.show_message("")
        self._suggest_call_number()

    def _duplicate_key(self) -> tuple[object, ...]:
        values = self.form.values()
        try:
            isbn13, ean = self.identifiers()
        except MediathequeError:
            isbn13 = ean = None
        return (isbn13, ean, values.get("title"), self.form.first_author(), values.get("year"))

    def _check_duplicates(self) -> bool:
        """Shows the possible duplicates of a new record; True when there are some."""
        if self.detail is not None:
            return False
        key = self._duplicate_key()
        isbn13, ean, title, author, year = key
        if not isbn13 and not ean and not title:
            self.duplicates.hide()
            return False
        with self.context.database.read() as session:
            found = find_duplicates(
                session, isbn13=isbn13, ean=ean, title=title, first_author=author, year=year,
            )
        self._duplicates_shown_for = key
        self._show_duplicates(found)
        return bool(found)

    def _show_duplicates(self, found: list[DuplicateCandidate]) -> None:
        self.duplicates_list.clear()
        if not found:
            self.duplicates.hide()
            self.save_button.setText(_("&Save"))
            return
        self.duplicates_label.setText(ngettext(
            "This record may already be in the catalogue. Save it anyway, or:",
            "These records may already be in the catalogue. Save anyway, or:",
            len(found),
        ))
        for candidate in found:
            item = QListWidgetItem(
                f"{candidate.title} — {duplicate_reason(candidate.reason)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, candidate.record_id)
            self.duplicates_list.addItem(item)
        self.duplicates_list.setCurrentRow(0)
        self.duplicates.show()
        self.save_button.setText(_("&Save anyway"))

    def _chosen_duplicate(self) -> int | None:
        item = self.duplicates_list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _open_existing(self) -> None:
        chosen = self._chosen_duplicate()
        if chosen is not None:
            self.record_id = chosen
            self.outcome = Outcome.OPEN_EXISTING
            self.accept()

    def _add_to_existing(self) -> None:
        chosen = self._chosen_duplicate()
        if chosen is None or not self.copies.is_acceptable():
            return
        count = max(1, self.copies.count.value())
        try:
            with self.context.database.write() as session:
                self.barcodes = list(add_copies(
                    session, self.context.actor, chosen, self.copies.template(), count,
                    now=self.context.clock(),
                ))
        except MediathequeError as error:
            self.error.show_message(describe_error(error))
            return
        self.record_id = chosen
        self.outcome = Outcome.ADDED_TO_EXISTING
        self.accept()

    # saving

    def save(self) -> None:
        values = self.form.values()
        if not values.get("title") and self._pending_isbn:
            # Offline: the record is kept under its ISBN until its details arrive (the
            # completion replaces this placeholder title, as for `catalogue add --offline`).
            values["title"] = fallback_title(parse_isbn(self._pending_isbn))
        if not values.get("title"):
            self.tabs.setCurrentIndex(0)
            self.error.show_message(_("A record needs a title."))
            self.form.edits["title"].setFocus()
            return
        try:
            values["isbn13"], values["ean"] = self.identifiers()
            values["isbn"] = values.pop("isbn13")
        except InvalidIsbn as error:
            self._show_isbn_error(error)
            self.isbn.setFocus()
            return
        except MediathequeError as error:
            self.isbn_error.show_message(describe_error(error))
            return
        if not self.copies.is_acceptable():
            self.tabs.setCurrentIndex(2)
            return
        if self._duplicate_key() != self._duplicates_shown_for and self._check_duplicates():
            return  # shown once; pressing Save again saves anyway
        try:
            self._write(values)
        except MediathequeError as error:
            self.error.show_message(describe_error(error))
            return
        self.outcome = Outcome.SAVED
        self.accept()

    def _write(self, values: dict[str, Any]) -> None:
        data = record_input(values)
        now = self.context.clock()
        with self.context.database.write() as session:
            if self.record_id is None:
                self.record_id = create_record(session, self.context.actor, data, now=now)
                if self._pending_isbn and self._pending_isbn == values.get("isbn"):
                    queue_pending_lookup(session, self.context.actor, self.record_id,
                                         self._pending_isbn, now=now, attempted=True,
                                         failure=None)
            else:
                update_record(session, self.context.actor, self.record_id, data, now=now)
            cover = self.cover.cover
            if cover is not None and cover.source:
                set_cover(session, self.context.actor, self.record_id, cover.data,
                          source=cover.source, now=now)
            elif self.cover.removed:
                remove_cover(session, self.context.actor, self.record_id, now=now)
            count = self.copies.count.value()
            if count:
                self.barcodes = list(add_copies(
                    session, self.context.actor, self.record_id, self.copies.template(), count,
                    now=now,
                ))

    def reject(self) -> None:
        self.cancel_lookup()
        super().reject()

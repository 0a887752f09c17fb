"""Registering or editing a member: names, contact, language, category, membership dates
(the expiry follows the category until it is changed by hand), the card barcode (typed or
scanned, or generated when left empty), notes. A possible duplicate is shown under the
form; saving again registers anyway."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mediatheque.errors import MediathequeError, PossibleDuplicateMember
from mediatheque.i18n import _
from mediatheque.members.categories import CategoryRow, list_categories
from mediatheque.members.editing import MemberInput, MemberSaved, register_member, update_member
from mediatheque.members.reading import MemberDetails
from mediatheque.members.search import member_rows
from mediatheque.members.validation import default_expiry
from mediatheque.messages import describe_error
from mediatheque.models.vocabulary import MemberStatus
from mediatheque.ui.context import AppContext
from mediatheque.ui.formatting import day_edit_format
from mediatheque.ui.widgets import ErrorLabel, LanguageCombo


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class MemberEditor(QDialog):
    def __init__(self, context: AppContext, today: date, details: MemberDetails | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.today = today
        self.details = details
        self.saved: MemberSaved | None = None
        self._expiry_by_hand = details is not None
        self._confirmed_duplicates: tuple[int, ...] = ()
        with context.database.read() as session:
            self.categories: tuple[CategoryRow, ...] = list_categories(session, context.actor)
        self._build()
        self.retranslate()
        if details is not None:
            self._fill(details)
        else:
            self.language.set_value(context.library().language)
            self._category_changed()
        self.last_name.setFocus()

    def _build(self) -> None:
        self.last_name = QLineEdit()
        self.first_name = QLineEdit()
        for name in (self.last_name, self.first_name):
            name.setMaxLength(200)
            name.setMinimumWidth(360)
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.address = QLineEdit()
        self.language = LanguageCombo()
        self.category = QComboBox()
        for row in self.categories:
            self.category.addItem(row.name, row.code)
        default = self.category.findData("ADULT")
        self.category.setCurrentIndex(max(0, default))
        self.start = QDateEdit(to_qdate(self.today))
        self.expiry = QDateEdit(to_qdate(self.today))
        for edit in (self.start, self.expiry):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(day_edit_format())
        self.barcode = QLineEdit()
        self.blocked = QCheckBox()
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(70)
        self.error = ErrorLabel()
        self.duplicate = QLabel()
        self.duplicate.setWordWrap(True)
        self.duplicate.setStyleSheet("color: #8a5300;")
        self.duplicate.hide()
        self.form = QFormLayout()
        self.labels: dict[str, QLabel] = {}
        for key, widget in (("last_name", self.last_name), ("first_name", self.first_name),
                            ("email", self.email), ("phone", self.phone),
                            ("address", self.address), ("language", self.language),
                            ("category", self.category), ("start", self.start),
                            ("expiry", self.expiry), ("barcode", self.barcode),
                            ("blocked", self.blocked), ("notes", self.notes)):
            label = QLabel()
            label.setBuddy(widget)
            self.labels[key] = label
            self.form.addRow(label, widget)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.duplicate)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.category.currentIndexChanged.connect(self._category_changed)
        self.start.dateChanged.connect(self._category_changed)
        self.expiry.dateChanged.connect(self._expiry_edited)
        for field in (self.last_name, self.first_name, self.email, self.phone):
            field.textEdited.connect(self._forget_duplicates)

    def retranslate(self) -> None:
        new = self.details is None
        self.setWindowTitle(_("New member") if new else _("Edit a member"))
        texts = {
            "last_name": _("&Last name:"), "first_name": _("&First name:"),
            "email": _("&E-mail:"), "phone": _("&Phone:"), "address": _("A&ddress:"),
            "language": _("Lan&guage:"), "category": _("&Category:"),
            "start": _("Member &since:"), "expiry": _("Member &until:"),
            "barcode": _("Card &barcode:"), "blocked": _("Status:"), "notes": _("&Notes:"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.blocked.setText(_("Blocked (no loans)"))
        self.barcode.setPlaceholderText(_("Empty: a new number is generated"))
        self.barcode.setToolTip(_("Leave empty for a new card number, or scan or type the "
                                  "barcode of a card the member already has"))
        self.phone.setPlaceholderText("+7 701 123 45 67")
        self.email.setPlaceholderText("nom@example.kz")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def _fill(self, details: MemberDetails) -> None:
        self.last_name.setText(details.last_name)
        self.first_name.setText(details.first_name)
        self.email.setText(details.email or "")
        self.phone.setText(details.phone or "")
        self.address.setText(details.address or "")
        self.language.set_value(details.preferred_language)
        self.category.blockSignals(True)
        self.category.setCurrentIndex(max(0, self.category.findData(details.category_code)))
        self.category.blockSignals(False)
        self.start.blockSignals(True)
        self.start.setDate(to_qdate(details.membership_start))
        self.start.blockSignals(False)
        self.expiry.blockSignals(True)
        self.expiry.setDate(to_qdate(details.membership_expiry))
        self.expiry.blockSignals(False)
        self.barcode.setText(details.barcode)
        self.blocked.setChecked(details.status == MemberStatus.BLOCKED)
        self.notes.setPlainText(details.notes or "")

    def _category_changed(self, *_args: object) -> None:
        if self._expiry_by_hand:
            return
        code = self.category.currentData()
        months = next((row.membership_months for row in self.categories if row.code == code),
                      12)
        self.expiry.blockSignals(True)
        self.expiry.setDate(to_qdate(default_expiry(from_qdate(self.start.date()), months)))
        self.expiry.blockSignals(False)

    def _expiry_edited(self, *_args: object) -> None:
        self._expiry_by_hand = True

    def _forget_duplicates(self, *_args: object) -> None:
        self._confirmed_duplicates = ()
        self.duplicate.hide()

    def data(self) -> MemberInput:
        return MemberInput(
            first_name=self.first_name.text(), last_name=self.last_name.text(),
            email=self.email.text() or None, phone=self.phone.text() or None,
            address=self.address.text() or None, preferred_language=self.language.value(),
            category_code=self.category.currentData(),
            membership_start=from_qdate(self.start.date()),
            membership_expiry=from_qdate(self.expiry.date()),
            notes=self.notes.toPlainText() or None, barcode=self.barcode.text() or None,
            status=MemberStatus.BLOCKED if self.blocked.isChecked() else MemberStatus.ACTIVE,
        )

    def save(self) -> None:
        data = self.data()
        actor, now = self.context.actor, self.context.clock()
        try:
            with self.context.database.write() as session:
                refuse = not self._confirmed_duplicates
                if self.details is None:
                    saved = register_member(session, actor, data, now=now, today=self.today,
                                            refuse_duplicates=refuse)
                else:
                    saved = update_member(session, actor, self.details.member_id, data,
                                          now=now, today=self.today, refuse_duplicates=refuse,
                                          expected_version=self.details.updated_at)
        except PossibleDuplicateMember as duplicate:
            self._show_duplicates(duplicate.member_ids)
            return
        except MediathequeError as error:
            self.error.show_message(describe_error(error))
            self.adjustSize()
            return
        self.saved = saved
        self.accept()

    def _show_duplicates(self, member_ids: tuple[int, ...]) -> None:
        self._confirmed_duplicates = member_ids
        with self.context.database.read() as session:
            rows = member_rows(session, list(member_ids))
        names = "; ".join(f"{row.display_name} ({row.barcode})" for row in rows)
        self.error.show_message("")
        self.duplicate.setText(_(
            "Maybe already registered, with the same names and phone or e-mail: {members}. "
            "Press Save again to save anyway.").format(members=names))
        self.duplicate.show()
        self.adjustSize()

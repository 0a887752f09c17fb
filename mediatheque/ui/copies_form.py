"""The "copies to add" part of the record editor, also shown alone by Add copies: how many,
where, in what state, how acquired, at what price, and the call number (suggested). With
`editing=True` it edits one existing copy instead: its barcode and notes, no count."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from mediatheque.catalogue.copies import CopyInput
from mediatheque.formatting import plain_decimal
from mediatheque.i18n import _
from mediatheque.models.vocabulary import AcquisitionMode, CopyStatus
from mediatheque.ui.catalogue_labels import (
    ACQUISITION_MODES,
    COPY_STATUSES,
    fill_combo,
    set_combo_word,
)
from mediatheque.ui.widgets import ErrorLabel

MAX_COPIES = 99


class CopiesForm(QGroupBox):
    changed = Signal()

    def __init__(
        self, locations: list[tuple[str, str]], today: date, *, count: int = 1,
        editing: bool = False, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._locations = locations
        self.editing = editing
        self.barcode = QLineEdit()
        self.public_note = QLineEdit()
        self.notes = QLineEdit()
        self.count = QSpinBox()
        self.count.setRange(0, MAX_COPIES)
        self.count.setValue(count)
        self.location = QComboBox()
        self.status = QComboBox()
        self.acquisition = QComboBox()
        self.acquired_on = QDateEdit(QDate(today.year, today.month, today.day))
        self.acquired_on.setCalendarPopup(True)
        self.price = QLineEdit()
        self.price.setMaximumWidth(120)
        self.call_number = QLineEdit()
        self.error = ErrorLabel()
        self.labels = {name: QLabel() for name in (
            "count", "location", "status", "acquisition", "acquired_on", "price", "call_number",
            "barcode", "public_note", "notes",
        )}
        form = QFormLayout(self)
        rows = (
            ("barcode", self.barcode), ("call_number", self.call_number),
            ("location", self.location), ("status", self.status),
            ("acquisition", self.acquisition), ("acquired_on", self.acquired_on),
            ("price", self.price), ("public_note", self.public_note), ("notes", self.notes),
        ) if editing else (
            ("count", self.count), ("call_number", self.call_number),
            ("location", self.location), ("status", self.status),
            ("acquisition", self.acquisition), ("acquired_on", self.acquired_on),
            ("price", self.price),
        )
        for name, widget in rows:
            self.labels[name].setBuddy(widget)
            form.addRow(self.labels[name], widget)
        form.addRow(self.error)
        if editing:
            self.count.setValue(1)
        self.count.valueChanged.connect(self._count_changed)
        self.price.textChanged.connect(lambda _text: self.error.show_message(""))
        self.retranslate()
        self._count_changed()

    def retranslate(self) -> None:
        self.setTitle(_("Copy") if self.editing else _("Copies to add"))
        self.labels["barcode"].setText(_("&Barcode:"))
        self.labels["public_note"].setText(_("Note for &readers:"))
        self.labels["notes"].setText(_("&Internal note:"))
        self.labels["count"].setText(_("&Number of copies:"))
        self.labels["call_number"].setText(_("Call n&umber:"))
        self.labels["location"].setText(_("&Location:"))
        self.labels["status"].setText(_("S&tatus:"))
        self.labels["acquisition"].setText(_("Ac&quisition:"))
        self.labels["acquired_on"].setText(_("Acquired &on:"))
        self.labels["price"].setText(_("&Price:"))
        fill_combo(self.status, COPY_STATUSES)
        fill_combo(self.acquisition, ACQUISITION_MODES)
        chosen = self.location.currentData()
        self.location.clear()
        self.location.addItem(_("No location"), "")
        for code, name in self._locations:
            self.location.addItem(f"{name} ({code})", code)
        set_combo_word(self.location, chosen or (self._locations[0][0] if self._locations else ""))
        if not self.status.currentData():
            set_combo_word(self.status, CopyStatus.AVAILABLE)

    def _count_changed(self) -> None:
        enabled = self.count.value() > 0
        for widget in (self.location, self.status, self.acquisition, self.acquired_on,
                       self.price, self.call_number):
            widget.setEnabled(enabled)
        self.changed.emit()

    def suggest_call_number(self, call_number: str | None) -> None:
        """Fills the call number unless someone typed one."""
        if call_number and not self.call_number.isModified():
            self.call_number.setText(call_number)

    def price_value(self) -> Decimal | None:
        """The price typed ('12,50' or '12.50'); raises ValueError when it is not one."""
        text = self.price.text().strip().replace(",", ".")
        text = "".join(text.split())  # spaces, no-break spaces: "1 234,50"
        if not text:
            return None
        try:
            price = Decimal(text)
        except InvalidOperation:
            raise ValueError(text) from None
        if price < 0 or not price.is_finite():
            raise ValueError(text)
        return price

    def is_acceptable(self) -> bool:
        if self.count.value() == 0:
            return True
        try:
            self.price_value()
        except ValueError:
            self.error.show_message(_("The price must be a number, such as {example}.").format(
                example=plain_decimal(Decimal("12.50"))))
            self.price.setFocus()
            return False
        return True

    def load(self, copy: CopyInput) -> None:
        """Shows an existing copy's details (editing mode)."""
        self.barcode.setText(copy.barcode or "")
        self.call_number.setText(copy.call_number or "")
        set_combo_word(self.location, copy.location_code or "")
        set_combo_word(self.status, copy.status)
        set_combo_word(self.acquisition, copy.acquisition_mode)
        if copy.acquired_on:
            day = copy.acquired_on
            self.acquired_on.setDate(QDate(day.year, day.month, day.day))
        self.price.setText("" if copy.price is None else plain_decimal(copy.price))
        self.public_note.setText(copy.public_note or "")
        self.notes.setText(copy.notes or "")

    def template(self) -> CopyInput:
        qdate = self.acquired_on.date()
        return CopyInput(
            barcode=self.barcode.text().strip() or None if self.editing else None,
            call_number=self.call_number.text().strip() or None,
            location_code=self.location.currentData() or None,
            status=self.status.currentData() or CopyStatus.AVAILABLE,
            acquired_on=date(qdate.year(), qdate.month(), qdate.day()),
            acquisition_mode=self.acquisition.currentData() or AcquisitionMode.PURCHASE,
            price=self.price_value(),
            public_note=self.public_note.text().strip() or None if self.editing else None,
            notes=self.notes.text().strip() or None if self.editing else None,
        )

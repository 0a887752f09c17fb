"""The Calendar panel of the Settings page: weekly closed days, dated closures (add,
remove), Kazakhstan's public holidays for a year, and emergency closures that move the due
dates falling inside them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from mediatheque.circulation.calendar import (
    ClosureView,
    add_closure,
    add_kazakhstan_holidays,
    closed_weekdays,
    declare_emergency_closure,
    list_closures,
    remove_closure,
    set_closed_weekdays,
)
from mediatheque.circulation.config import (
    CirculationSettings,
    change_circulation_settings,
    load_circulation_settings,
)
from mediatheque.errors import MediathequeError
from mediatheque.formatting import long_day, short_day
from mediatheque.i18n import _, ngettext
from mediatheque.ui import dialogs
from mediatheque.ui.context import AppContext
from mediatheque.ui.formatting import day_edit_format
from mediatheque.ui.widgets import count_suffix


def weekday_names() -> list[str]:
    return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
            _("Saturday"), _("Sunday")]


def closure_kind_label(kind: str) -> str:
    return {
        "holiday": _("public holiday"),
        "closure": _("closure"),
        "emergency": _("emergency closure"),
    }.get(kind, kind)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class CalendarPanel(QGroupBox):
    """Opening days and closures; every change is saved at once."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._closures: list[ClosureView] = []
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_rules())
        layout.addLayout(self._build_days())
        layout.addLayout(self._build_year())
        layout.addWidget(self.kurban_note)
        layout.addWidget(self._build_table())
        layout.addLayout(self._build_entry())
        layout.addWidget(self.result)
        self._connect()
        today = self._context.clock().astimezone(self._context.library().zone).date()
        self.year.blockSignals(True)
        self.year.setValue(today.year)
        self.year.blockSignals(False)
        self.start.setDate(_qdate(today))
        self.end.setDate(_qdate(today))
        self.retranslate()

    def _build_rules(self) -> QVBoxLayout:
        self.block_overdue = QCheckBox()
        self.pickup_label = QLabel()
        self.pickup_days = QSpinBox()
        self.pickup_days.setRange(1, 60)
        self.pickup_label.setBuddy(self.pickup_days)
        pickup = QHBoxLayout()  # a line of its own: side by side they overflow in French
        pickup.addWidget(self.pickup_label)
        pickup.addWidget(self.pickup_days)
        pickup.addStretch(1)
        rules = QVBoxLayout()
        rules.addWidget(self.block_overdue)
        rules.addLayout(pickup)
        return rules

    def _build_days(self) -> QHBoxLayout:
        self.closed_label = QLabel()
        self.weekday_boxes = [QCheckBox() for _day in range(7)]
        days_row = QHBoxLayout()
        days_row.addWidget(self.closed_label)
        for box in self.weekday_boxes:
            days_row.addWidget(box)
            box.toggled.connect(self._weekdays_toggled)
        days_row.addStretch(1)
        return days_row

    def _build_year(self) -> QHBoxLayout:
        self.year_label = QLabel()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year_label.setBuddy(self.year)
        self.holidays_button = QPushButton()
        year_row = QHBoxLayout()
        year_row.addWidget(self.year_label)
        year_row.addWidget(self.year)
        year_row.addWidget(self.holidays_button)
        year_row.addStretch(1)
        self.kurban_note = QLabel()
        self.kurban_note.setWordWrap(True)
        return year_row

    def _build_table(self) -> QTableWidget:
        self.table = QTableWidget(0, 4)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setMinimumHeight(180)
        return self.table

    def _build_entry(self) -> QVBoxLayout:
        self.remove_button = QPushButton()
        self.from_label, self.to_label, self.reason_label = QLabel(), QLabel(), QLabel()
        self.start = QDateEdit()
        self.end = QDateEdit()
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(day_edit_format())
        self.from_label.setBuddy(self.start)
        self.to_label.setBuddy(self.end)
        self.reason = QLineEdit()
        self.reason.setMaxLength(300)
        self.reason_label.setBuddy(self.reason)
        self.add_button = QPushButton()
        self.emergency_button = QPushButton()
        add_grid = QHBoxLayout()
        add_grid.addWidget(self.from_label)
        add_grid.addWidget(self.start)
        add_grid.addSpacing(12)
        add_grid.addWidget(self.to_label)
        add_grid.addWidget(self.end)
        add_grid.addSpacing(12)
        add_grid.addWidget(self.reason_label)
        add_grid.addWidget(self.reason, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.emergency_button)
        self.result = QLabel()
        self.result.setWordWrap(True)
        entry = QVBoxLayout()
        entry.addLayout(add_grid)
        entry.addLayout(buttons)
        return entry

    def _connect(self) -> None:
        self.year.valueChanged.connect(lambda _value: self.refresh())
        self.holidays_button.clicked.connect(self.add_holidays)
        self.add_button.clicked.connect(self.add_closure)
        self.emergency_button.clicked.connect(self.declare_emergency)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.start.dateChanged.connect(self._start_changed)
        self.block_overdue.toggled.connect(self._rules_changed)
        self.pickup_days.editingFinished.connect(self._rules_changed)

    def retranslate(self) -> None:
        self.setTitle(_("Loans: opening days, closures and holds"))
        self.block_overdue.setText(_("Refuse &loans while a member has overdue copies"))
        self.pickup_label.setText(_("A returned copy waits for the member who held it:"))
        count_suffix(self.pickup_days, lambda n: ngettext("{n} day", "{n} days", n))
        self.closed_label.setText(_("Closed every:"))
        for box, name in zip(self.weekday_boxes, weekday_names(), strict=True):
            box.setText(name)
        self.year_label.setText(_("&Year:"))
        self.holidays_button.setText(_("Add Kazakhstan's &public holidays for this year"))
        self.kurban_note.setText(_(
            "Kurban ait moves every year with the lunar calendar: add it by hand as a "
            "closure. Loans never fall due on a closed day."
        ))
        self.table.setHorizontalHeaderLabels([_("From"), _("To"), _("Kind"), _("Reason")])
        self.remove_button.setText(_("&Remove the closure"))
        self.from_label.setText(_("Fr&om:"))
        self.to_label.setText(_("&To:"))
        self.reason_label.setText(_("Rea&son:"))
        self.add_button.setText(_("&Add the closure"))
        self.emergency_button.setText(_("Declare an &emergency closure…"))
        self.result.clear()
        self._fill_table()

    def refresh(self) -> None:
        with self._context.database.read() as session:
            rules = load_circulation_settings(session)
            weekdays = closed_weekdays(session)
            self._closures = list_closures(session, year=self.year.value())
        for widget in (self.block_overdue, self.pickup_days):
            widget.blockSignals(True)
        self.block_overdue.setChecked(rules.block_when_overdue)
        self.pickup_days.setValue(rules.hold_pickup_days)
        for widget in (self.block_overdue, self.pickup_days):
            widget.blockSignals(False)
        for day, box in enumerate(self.weekday_boxes):
            box.blockSignals(True)
            box.setChecked(day in weekdays)
            box.blockSignals(False)
        self._fill_table()

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self._closures))
        for row, closure in enumerate(self._closures):
            cells = [short_day(closure.start_on), short_day(closure.end_on),
                     closure_kind_label(closure.kind), closure.reason or ""]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, closure.closure_id)
                self.table.setItem(row, column, item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def _start_changed(self, value: QDate) -> None:
        if self.end.date() < value:
            self.end.setDate(value)

    def _rules_changed(self, *_args: object) -> None:
        wanted = CirculationSettings(block_when_overdue=self.block_overdue.isChecked(),
                                     hold_pickup_days=self.pickup_days.value())
        saved, _value = self._write(lambda session, now: change_circulation_settings(
            session, self._context.actor, wanted, now=now))
        if saved:
            self.result.setText(_("Saved."))
        self.refresh()

    def _weekdays_toggled(self, _checked: bool) -> None:
        chosen = {day for day, box in enumerate(self.weekday_boxes) if box.isChecked()}
        saved, _value = self._write(lambda session, now: set_closed_weekdays(
            session, self._context.actor, chosen, now=now))
        if saved:
            self.result.setText(_("Saved."))
        self.refresh()

    def add_holidays(self) -> None:
        year = self.year.value()
        saved, added = self._write(lambda session, now: add_kazakhstan_holidays(
            session, self._context.actor, year, now=now))
        if saved:
            self.result.setText(ngettext(
                "{n} public holiday added for {year}.", "{n} public holidays added for {year}.",
                added).format(n=added, year=year))
        self.refresh()

    def _entered(self) -> tuple[date, date, str]:
        return _pydate(self.start.date()), _pydate(self.end.date()), self.reason.text()

    def add_closure(self) -> None:
        start, end, reason = self._entered()
        saved, _value = self._write(lambda session, now: add_closure(
            session, self._context.actor, start_on=start, end_on=end, reason=reason, now=now))
        if saved:
            self.result.setText(_("Closure added."))
            self.reason.clear()
            self._show_year(start.year)

    def declare_emergency(self) -> None:
        start, end, reason = self._entered()
        question = _(
            "Close the library from {start} to {end}? The loans due on those days will "
            "fall due on the next open day."
        ).format(start=long_day(start), end=long_day(end))
        if not dialogs.confirm(self, _("Emergency closure"), question, _("Close")):
            return
        saved, done = self._write(lambda session, now: declare_emergency_closure(
            session, self._context.actor, start_on=start, end_on=end, reason=reason, now=now))
        if not saved:
            return
        if done.moved_loans and done.new_due_on is not None:
            self.result.setText(ngettext(
                "Emergency closure declared: {n} due date moved to {date}.",
                "Emergency closure declared: {n} due dates moved to {date}.",
                done.moved_loans).format(n=done.moved_loans, date=long_day(done.new_due_on)))
        else:
            self.result.setText(_("Emergency closure declared: no loan was due on those days."))
        self.reason.clear()
        self._show_year(start.year)

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        closure_id = self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        saved, _value = self._write(lambda session, now: remove_closure(
            session, self._context.actor, int(closure_id), now=now))
        if saved:
            self.result.setText(_("Closure removed."))
        self.refresh()

    def _show_year(self, year: int) -> None:
        if self.year.value() != year:
            self.year.setValue(year)  # refreshes
        else:
            self.refresh()

    def _write(self, action: Callable[[Session, datetime], Any]) -> tuple[bool, Any]:
        """(True, result) once written; (False, None) after showing the error."""
        try:
            with self._context.database.write() as session:
                return True, action(session, self._context.clock())
        except MediathequeError as error:
            dialogs.show_error(self, error)
            return False, None

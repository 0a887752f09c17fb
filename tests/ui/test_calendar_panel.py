"""The Calendar panel of the Settings page: closed weekdays, closures, holidays, emergency."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from mediatheque.circulation import check_out
from mediatheque.circulation.calendar import closed_weekdays, list_closures
from mediatheque.formatting import long_day
from mediatheque.models import Copy, Loan, Member, MemberCategory, Record
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.ui import dialogs
from mediatheque.ui.calendar_panel import CalendarPanel
from mediatheque.ui.context import AppContext


@pytest.fixture
def panel(qtbot: QtBot, context: AppContext) -> CalendarPanel:
    made = CalendarPanel(context)
    qtbot.add_widget(made)
    made.refresh()
    made.show()
    return made


@pytest.fixture
def confirmations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str, _action: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(dialogs, "confirm", confirm)
    return asked


def test_weekdays_show_and_save(panel: CalendarPanel, context: AppContext) -> None:
    assert [box.isChecked() for box in panel.weekday_boxes] == [False] * 6 + [True]
    panel.weekday_boxes[0].setChecked(True)  # Monday
    with context.database.read() as session:
        assert closed_weekdays(session) == {0, 6}
    assert panel.result.text()


def test_closing_every_day_is_refused(panel: CalendarPanel, context: AppContext,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[object] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, error, _t="": errors.append(error))
    for box in panel.weekday_boxes:
        box.setChecked(True)
    assert errors  # the seventh day was refused, and the boxes show what is stored
    with context.database.read() as session:
        stored = closed_weekdays(session)
    assert len(stored) == 6
    assert {day for day, box in enumerate(panel.weekday_boxes) if box.isChecked()} == stored


def test_holidays_closures_and_removal(panel: CalendarPanel, context: AppContext) -> None:
    panel.year.setValue(2027)
    panel.holidays_button.click()
    assert panel.table.rowCount() == 10
    assert "10" in panel.result.text()
    panel.start.setDate(QDate(2027, 6, 1))
    panel.end.setDate(QDate(2027, 6, 3))
    panel.reason.setText("Kurban ait")
    panel.add_button.click()
    assert panel.table.rowCount() == 11
    rows = [panel.table.item(row, 3).text() for row in range(panel.table.rowCount())]
    assert "Kurban ait" in rows
    panel.table.selectRow(rows.index("Kurban ait"))
    assert panel.remove_button.isEnabled()
    panel.remove_button.click()
    assert panel.table.rowCount() == 10
    with context.database.read() as session:
        assert len(list_closures(session, year=2027)) == 10


def test_emergency_closure_moves_due_dates(panel: CalendarPanel, context: AppContext,
                                           confirmations: list[str]) -> None:
    now = context.clock()  # 2 March 2026
    with context.database.write() as session:
        category = session.scalars(select(MemberCategory.id)).first()
        member = Member(barcode="M1", first_name="A", last_name="B", category_id=category,
                        membership_start=date(2026, 1, 1), membership_expiry=date(2027, 1, 1),
                        created_at=now, updated_at=now)
        record = Record(title="Germinal", created_at=now, updated_at=now)
        session.add_all([member, record])
        session.flush()
        session.add(Copy(record_id=record.id, barcode="C1", created_at=now, updated_at=now))
        session.flush()
        due = check_out(session, LOCAL_ADMIN, member_id=member.id, copy_barcode="C1",
                        now=now).due_on
    panel.start.setDate(QDate(due.year, due.month, due.day))
    panel.end.setDate(QDate(due.year, due.month, due.day))
    panel.reason.setText("Chauffage")
    panel.emergency_button.click()
    assert confirmations
    with context.database.read() as session:
        moved = session.scalars(select(Loan.due_on)).one()
    assert moved > due
    # the new due date as the desk's language writes it: "24 mars 2026", not ISO
    assert long_day(moved) in panel.result.text()
    assert moved.isoformat() not in panel.result.text()
    assert panel.table.rowCount() == 1


def test_overdue_blocking_and_pickup_days_are_saved(panel: CalendarPanel,
                                                    context: AppContext) -> None:
    from mediatheque.circulation.config import load_circulation_settings

    assert panel.block_overdue.isChecked() and panel.pickup_days.value() == 7
    panel.block_overdue.setChecked(False)
    panel.pickup_days.setValue(10)
    panel.pickup_days.editingFinished.emit()
    with context.database.read() as session:
        stored = load_circulation_settings(session)
    assert not stored.block_when_overdue and stored.hold_pickup_days == 10

"""The parts of the desk page: the open member's panel, the queue of scans, the session
summary, and the coloured banner that says what the last scan did."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediatheque.circulation import MemberPanel
from mediatheque.formatting import short_day
from mediatheque.i18n import _, ngettext

RED = QColor("#b00020")
MAX_QUEUE_LINES = 60


def short_date(day: date) -> str:
    """22 nov. 2026 / 22 нояб. 2026 г.: the same Babel format as every other page."""
    return short_day(day)


def warning_text(code: str) -> str:
    texts = {
        "membership_expired": _("Membership expired"),
        "expires_soon": _("Membership expires soon"),
        "has_overdue": _("Overdue copies"),
        "holds_ready": _("Holds ready to pick up"),
        "member_blocked": _("Member blocked"),
    }
    return texts.get(code, code)


class Banner(QLabel):
    """One line saying what the last scan did: green done, amber attention, red refused."""

    STYLES: ClassVar[dict[str, str]] = {
        "ok": "background:#e3f4e1;color:#1b5e20;border:1px solid #a5d6a7;",
        "attention": "background:#fff4d6;color:#6d4c00;border:1px solid #ffcc66;",
        "refused": "background:#c62828;color:white;border:1px solid #8e0000;font-weight:bold;",
        "idle": "background:palette(base);color:palette(text);border:1px solid palette(mid);",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setMinimumHeight(48)
        self.setTextFormat(Qt.TextFormat.PlainText)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.setFont(font)
        self.kind = "idle"
        self.show_message("", "idle")

    def show_message(self, text: str, kind: str) -> None:
        self.kind = kind
        self.setText(text)
        self.setStyleSheet(f"QLabel{{{self.STYLES[kind]}padding:8px;border-radius:4px;}}")


class MemberPanelView(QFrame):
    """Name, category, card, expiry, warnings, current loans (overdue in red), holds ready
    and how many loans the member has had."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.panel: MemberPanel | None = None
        self.name = QLabel()
        font = QFont(self.name.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.name.setFont(font)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color:#b00020;font-weight:bold;")
        self.loans_title = QLabel()
        self.loans = QTableWidget(0, 4)
        self.loans.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.loans.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.loans.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.loans.verticalHeader().hide()
        self.loans.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.loans.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.holds = QLabel()
        self.holds.setWordWrap(True)
        self.history = QLabel()
        layout = QVBoxLayout(self)
        for widget in (self.name, self.facts, self.warnings, self.loans_title):
            layout.addWidget(widget)
        layout.addWidget(self.loans, 1)
        layout.addWidget(self.holds)
        layout.addWidget(self.history)
        layout.addStretch(0)
        self.show_panel(None)

    def retranslate(self) -> None:
        self.loans.setHorizontalHeaderLabels(
            [_("Barcode"), _("Title"), _("Due"), _("Renewals")]
        )
        self.show_panel(self.panel)

    def selected_barcode(self) -> str | None:
        row = self.loans.currentRow()
        if self.panel is None or not self.panel.loans:
            return None
        return self.panel.loans[row if 0 <= row < len(self.panel.loans) else 0].copy_barcode

    def show_panel(self, panel: MemberPanel | None) -> None:
        self.panel = panel
        self.loans.setRowCount(0)
        if panel is None:
            self.name.setText(_("No member open"))
            self.facts.setText(_("Scan a member card to lend, or scan copies to return them."))
            for label in (self.warnings, self.holds, self.history, self.loans_title):
                label.clear()
                label.hide()
            self.loans.hide()
            return
        for widget in (self.loans, self.holds, self.history, self.loans_title):
            widget.show()
        self.warnings.setVisible(bool(panel.warnings))
        self.name.setText(f"{panel.first_name} {panel.last_name}".strip())
        expiry = short_date(panel.membership_expiry)
        expiry_text = (_("expired on {date}") if panel.expired else _("member until {date}")
                       ).format(date=expiry)
        self.facts.setText(" · ".join([panel.category, _("card {barcode}").format(
            barcode=panel.barcode), expiry_text]))
        self.warnings.setText(" · ".join(warning_text(w) for w in panel.warnings))
        self.loans_title.setText(ngettext("{n} current loan", "{n} current loans",
                                          len(panel.loans)).format(n=len(panel.loans)))
        self.loans.setRowCount(len(panel.loans))
        for row, line in enumerate(panel.loans):
            due = short_date(line.due_on)
            if line.overdue:
                due += " " + ngettext("({n} day late)", "({n} days late)",
                                      line.late_days).format(n=line.late_days)
            cells = [line.copy_barcode, line.title, due, str(line.renewals)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if line.overdue:
                    item.setForeground(QBrush(RED))
                self.loans.setItem(row, column, item)
        ready = [h for h in panel.holds if h.status == "ready"]
        waiting = len(panel.holds) - len(ready)
        parts = [_("Ready to pick up: {title} (until {date})").format(
            title=h.title, date=short_date(h.pickup_by) if h.pickup_by else "—")
            for h in ready]
        if waiting:
            parts.append(ngettext("{n} hold waiting", "{n} holds waiting", waiting).format(
                n=waiting))
        self.holds.setText("\n".join(parts))
        self.history.setText(ngettext("{n} loan in the past", "{n} loans in the past",
                                      panel.history_count).format(n=panel.history_count))


class ScanQueueView(QListWidget):
    """Every scan of the session, newest at the top: waiting, being processed, then what it
    did (refusals in red)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._items: dict[int, QListWidgetItem] = {}
        self._codes: dict[int, str] = {}

    def added(self, number: int, code: str) -> None:
        item = QListWidgetItem()
        self._items[number] = item
        self._codes[number] = code
        self.insertItem(0, item)
        self._set(number, _("waiting"), None)
        while self.count() > MAX_QUEUE_LINES:
            old = self.takeItem(self.count() - 1)
            for key, value in list(self._items.items()):
                if value is old:
                    del self._items[key]
                    del self._codes[key]

    def started(self, number: int) -> None:
        self._set(number, _("processing…"), None)

    def finished(self, number: int, text: str, ok: bool) -> None:
        self._set(number, text, ok)

    def pending(self) -> int:
        return sum(1 for item in self._items.values() if item.data(Qt.ItemDataRole.UserRole)
                   is None)

    def _set(self, number: int, text: str, ok: bool | None) -> None:
        item = self._items.get(number)
        if item is None:
            return
        mark = "⏳" if ok is None else ("✓" if ok else "✗")
        line = " · ".join(" ".join(part.split()) for part in text.splitlines() if part.strip())
        item.setText(f"{mark} {self._codes[number]} — {line}")
        item.setToolTip(text)
        item.setData(Qt.ItemDataRole.UserRole, ok)
        item.setForeground(QBrush(RED) if ok is False else QBrush())


@dataclass
class MemberSession:
    """What happened while one member was open."""

    member_id: int
    name: str
    loans: int = 0
    renewals: int = 0
    refusals: int = 0
    lent: list[tuple[str, str, date]] = field(default_factory=list)  # title, barcode, due


@dataclass
class SessionTotals:
    loans: int = 0
    returns: int = 0
    renewals: int = 0
    refusals: int = 0
    members: list[MemberSession] = field(default_factory=list)  # closed, newest last


class SessionSummaryView(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def show_totals(self, totals: SessionTotals) -> None:
        counts = " · ".join([
            ngettext("{n} loan", "{n} loans", totals.loans).format(n=totals.loans),
            ngettext("{n} return", "{n} returns", totals.returns).format(n=totals.returns),
            ngettext("{n} renewal", "{n} renewals", totals.renewals).format(
                n=totals.renewals),
            ngettext("{n} refusal", "{n} refusals", totals.refusals).format(
                n=totals.refusals),
        ])
        lines = [_("This session: {counts}").format(counts=counts)]
        for member in reversed(totals.members[-5:]):
            lines.append(_("{name}: {loans}, {refusals}").format(
                name=member.name,
                loans=ngettext("{n} loan", "{n} loans", member.loans).format(n=member.loans),
                refusals=ngettext("{n} refusal", "{n} refusals", member.refusals).format(
                    n=member.refusals)))
        self.setText("\n".join(lines))

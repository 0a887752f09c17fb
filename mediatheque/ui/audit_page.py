"""The Audit page: who changed what and when, filtered and read page by page. Read-only:
nothing here (nor anywhere in the application) edits or deletes an entry."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mediatheque.db import Database
from mediatheque.formatting import number
from mediatheque.i18n import _, ngettext
from mediatheque.permissions import Actor, Permission
from mediatheque.staff.audit_log import AuditFilter, AuditRow, audit_vocabulary, read_audit
from mediatheque.ui.context import AppContext
from mediatheque.ui.formatting import format_instant
from mediatheque.ui.page import Page

PAGE_SIZE = 200
Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
PERIODS: tuple[tuple[str, int | None], ...] = (
    ("day", 1), ("week", 7), ("month", 31), ("year", 366), ("all", None),
)


def period_label(key: str) -> str:
    return {
        "day": _("Last 24 hours"),
        "week": _("Last 7 days"),
        "month": _("Last 31 days"),
        "year": _("Last 12 months"),
        "all": _("Everything"),
    }[key]


def action_label(action: str) -> str:
    """People's words for the actions of the trail; an unknown action shows its code."""
    labels = {
        "login": lambda: _("logged in"),
        "login_failed": lambda: _("wrong password"),
        "staff_create": lambda: _("account created"),
        "staff_update": lambda: _("account changed"),
        "staff_password": lambda: _("password changed"),
        "settings_update": lambda: _("settings changed"),
        "restore": lambda: _("backup restored"),
        "loan": lambda: _("loan"),
        "return": lambda: _("return"),
        "renew": lambda: _("renewal"),
        "override": lambda: _("loan despite a refusal"),
        "hold": lambda: _("hold placed"),
        "hold_cancel": lambda: _("hold cancelled"),
        "record_create": lambda: _("record created"),
        "record_update": lambda: _("record changed"),
        "record_delete": lambda: _("record deleted"),
        "copies_add": lambda: _("copies added"),
        "copy_update": lambda: _("copy changed"),
        "copy_delete": lambda: _("copy deleted"),
        "member_create": lambda: _("member registered"),
        "member_update": lambda: _("member changed"),
        "member_delete": lambda: _("member deleted"),
        "member_data_export": lambda: _("member's data exported"),
        "loans_anonymise": lambda: _("loans anonymised"),
        "import_csv": lambda: _("spreadsheet import"),
        "import_marc": lambda: _("catalogue import"),
    }
    return labels[action]() if action in labels else action


def describe_details(details: dict[str, Any]) -> str:
    """'title: Old → New; year: 1990 → 1991' for changes, 'key: value' for the rest."""
    parts = []
    for key, value in details.items():
        if isinstance(value, list) and len(value) == 2:
            old, new = (_shown(v) for v in value)
            parts.append(f"{key}: {old} → {new}")
        else:
            parts.append(f"{key}: {_shown(value)}")
    return "; ".join(parts)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "∅"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class AuditModel(QAbstractTableModel):
    COLUMNS = ("recorded_at", "actor", "action", "entity", "details")

    def __init__(self, database: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self._database = database
        self._actor: Actor | None = None
        self._where = AuditFilter()
        self.rows: list[AuditRow] = []
        self.total = 0
        self.zone: Any = None

    def load(self, actor: Actor, where: AuditFilter, zone: Any) -> None:
        self.beginResetModel()
        self._actor, self._where, self.zone = actor, where, zone
        with self._database.read() as session:
            page = read_audit(session, actor, where, limit=PAGE_SIZE)
        self.rows, self.total = list(page.rows), page.total
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self.rows, self.total = [], 0
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: Index = ROOT) -> bool:
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Index = ROOT) -> None:
        if parent.isValid() or self._actor is None:
            return
        with self._database.read() as session:
            page = read_audit(session, self._actor, self._where, offset=len(self.rows),
                              limit=PAGE_SIZE)
        if not page.rows:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page.rows) - 1)
        self.rows.extend(page.rows)
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            "recorded_at": _("When"), "actor": _("Who"), "action": _("Action"),
            "entity": _("What"), "details": _("Details"),
        }[self.COLUMNS[section]]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "recorded_at" and row.happened_at != row.recorded_at:
                return _("Happened {when}, recorded later").format(
                    when=format_instant(row.happened_at, self.zone))
            if key == "details":
                return json.dumps(row.details, ensure_ascii=False, indent=1)
        return None

    def _text(self, row: AuditRow, key: str) -> str:
        if key == "recorded_at":
            text = format_instant(row.recorded_at, self.zone)
            if row.happened_at != row.recorded_at:
                text += " (" + _("happened {when}").format(
                    when=format_instant(row.happened_at, self.zone)) + ")"
            return text
        if key == "entity":
            return f"{row.entity} {row.entity_id}" if row.entity_id else row.entity
        if key == "details":
            return describe_details(row.details)
        if key == "action":
            return action_label(row.action)
        return str(getattr(row, key))


class AuditPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.period_label = QLabel()
        self.period = QComboBox()
        self.period_label.setBuddy(self.period)
        self.actor_label = QLabel()
        self.actor_filter = QComboBox()
        self.actor_label.setBuddy(self.actor_filter)
        self.action_label = QLabel()
        self.action_filter = QComboBox()
        self.action_label.setBuddy(self.action_filter)
        self.entity_label = QLabel()
        self.entity_filter = QComboBox()
        self.entity_label.setBuddy(self.entity_filter)
        self.refresh_button = QPushButton()
        self.count = QLabel()
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.model = AuditModel(context.database, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        filters = QHBoxLayout()
        for label, combo in ((self.period_label, self.period),
                             (self.actor_label, self.actor_filter),
                             (self.action_label, self.action_filter),
                             (self.entity_label, self.entity_filter)):
            filters.addWidget(label)
            filters.addWidget(combo)
            filters.addSpacing(8)
        filters.addStretch(1)
        filters.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        for combo in (self.period, self.actor_filter, self.action_filter, self.entity_filter):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.refresh_button.clicked.connect(self.refresh)
        context.events.actor_changed.connect(lambda _actor: self.refresh())
        context.events.database_replaced.connect(self.refresh)
        self._loading = False
        self.retranslate()

    def retranslate(self) -> None:
        self.period_label.setText(_("&Period:"))
        self.actor_label.setText(_("&Who:"))
        self.action_label.setText(_("Ac&tion:"))
        self.entity_label.setText(_("&Kind:"))
        self.refresh_button.setText(_("&Refresh"))
        self._loading = True
        current = self.period.currentData() or "week"
        self.period.clear()
        for key, _days in PERIODS:
            self.period.addItem(period_label(key), key)
        self.period.setCurrentIndex(max(0, self.period.findData(current)))
        self._loading = False
        self.refresh()

    def refresh(self) -> None:
        """Reloads the filter choices and the entries."""
        actor = self.context.actor
        allowed = actor.can(Permission.AUDIT)
        self.notice.setVisible(not allowed)
        self.notice.setText(_("Your account does not allow reading the audit trail."))
        self._loading = True
        if allowed:
            with self.context.database.read() as session:
                actors, actions, entities = audit_vocabulary(session, actor)
            for combo, values in ((self.actor_filter, actors),
                                  (self.action_filter, actions),
                                  (self.entity_filter, entities)):
                chosen = combo.currentData()
                combo.clear()
                combo.addItem(_("All"), None)
                for value in values:
                    combo.addItem(action_label(value) if combo is self.action_filter else value,
                                  value)
                combo.setCurrentIndex(max(0, combo.findData(chosen)))
        self._loading = False
        self.reload()

    def current_filter(self) -> AuditFilter:
        days = dict(PERIODS).get(self.period.currentData() or "all")
        since = self.context.clock() - timedelta(days=days) if days else None
        return AuditFilter(
            since=since,
            actor=self.actor_filter.currentData(),
            action=self.action_filter.currentData(),
            entity=self.entity_filter.currentData(),
        )

    def reload(self) -> None:
        if self._loading:
            return
        actor = self.context.actor
        if not actor.can(Permission.AUDIT):
            self.model.clear()
            self.count.clear()
            return
        self.model.load(actor, self.current_filter(), self.context.library().zone)
        total = self.model.total
        self.count.setText(ngettext("{n} entry", "{n} entries", total).format(n=number(total)))

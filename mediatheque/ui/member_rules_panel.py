"""Settings › Members: member categories (with their membership length) and loan rules
(category × media type, “any” for either; the default rule any × any stays)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
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

from mediatheque.errors import MediathequeError
from mediatheque.i18n import _
from mediatheque.members.categories import (
    CategoryRow,
    create_category,
    delete_category,
    list_categories,
    update_category,
)
from mediatheque.members.loan_rules import (
    LIMITS,
    LoanRuleInput,
    LoanRuleRow,
    create_loan_rule,
    delete_loan_rule,
    list_loan_rules,
    update_loan_rule,
)
from mediatheque.members.validation import MAX_MONTHS
from mediatheque.messages import describe_error
from mediatheque.permissions import Permission
from mediatheque.ui import dialogs
from mediatheque.ui.catalogue_labels import MEDIA_TYPES, label
from mediatheque.ui.context import AppContext
from mediatheque.ui.widgets import ErrorLabel


def run_dialog(dialog: QDialog) -> bool:
    """Runs a modal dialog. Tests replace this (monkeypatch) to drive the dialog."""
    return bool(dialog.exec())


class _FormDialog(QDialog):
    """A small form whose OK runs `save(session)`; a typed error stays in the dialog."""

    def __init__(self, context: AppContext, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def write(self, session: Session) -> None:
        raise NotImplementedError

    def save(self) -> None:
        try:
            with self.context.database.write() as session:
                self.write(session)
        except MediathequeError as error:
            self.error.show_message(describe_error(error))
            return
        self.accept()


class CategoryDialog(_FormDialog):
    def __init__(self, context: AppContext, row: CategoryRow | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(context, _("Member category"), parent)
        self.row = row
        self.code = QLineEdit(row.code if row else "")
        self.code.setMaxLength(20)
        self.name = QLineEdit(row.name if row else "")
        self.name.setMinimumWidth(280)
        self.months = QSpinBox()
        self.months.setRange(1, MAX_MONTHS)
        self.months.setValue(row.membership_months if row else 12)
        self.form.addRow(_("&Code:"), self.code)
        self.form.addRow(_("&Name:"), self.name)
        self.form.addRow(_("Membership (&months):"), self.months)

    def write(self, session: Session) -> None:
        values = {"code": self.code.text(), "name": self.name.text(),
                  "membership_months": self.months.value(), "now": self.context.clock()}
        if self.row is None:
            create_category(session, self.context.actor, **values)  # type: ignore[arg-type]
        else:
            update_category(session, self.context.actor, self.row.category_id,
                            **values)  # type: ignore[arg-type]


class LoanRuleDialog(_FormDialog):
    def __init__(self, context: AppContext, categories: tuple[CategoryRow, ...],
                 row: LoanRuleRow | None, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Loan rule"), parent)
        self.row = row
        self.category = QComboBox()
        self.category.addItem(_("Any category"), None)
        for category in categories:
            self.category.addItem(category.name, category.category_id)
        self.media = QComboBox()
        self.media.addItem(_("Any media type"), None)
        for word in MEDIA_TYPES:
            self.media.addItem(label(MEDIA_TYPES, word), str(word))
        self.spins: dict[str, QSpinBox] = {}
        for field, (low, high) in LIMITS.items():
            spin = QSpinBox()
            spin.setRange(low, high)
            self.spins[field] = spin
        self.overdue = QCheckBox(_("Renewal allowed when overdue"))
        data = row or LoanRuleRow(0, None, None, None, 21, 5, 1, 3, False)
        self.category.setCurrentIndex(max(0, self.category.findData(data.category_id)))
        self.media.setCurrentIndex(max(0, self.media.findData(data.media_type)))
        for field, spin in self.spins.items():
            spin.setValue(getattr(data, field))
        self.overdue.setChecked(data.renew_when_overdue)
        if row is not None and row.is_default:
            self.category.setEnabled(False)
            self.media.setEnabled(False)
        self.form.addRow(_("&Category:"), self.category)
        self.form.addRow(_("&Media type:"), self.media)
        self.form.addRow(_("&Loan days:"), self.spins["loan_days"])
        self.form.addRow(_("Loans at &most:"), self.spins["max_loans"])
        self.form.addRow(_("&Renewals at most:"), self.spins["max_renewals"])
        self.form.addRow(_("&Holds at most:"), self.spins["max_holds"])
        self.form.addRow("", self.overdue)

    def data(self) -> LoanRuleInput:
        return LoanRuleInput(
            category_id=self.category.currentData(), media_type=self.media.currentData(),
            renew_when_overdue=self.overdue.isChecked(),
            **{field: spin.value() for field, spin in self.spins.items()})

    def write(self, session: Session) -> None:
        if self.row is None:
            create_loan_rule(session, self.context.actor, self.data(), now=self.context.clock())
        else:
            update_loan_rule(session, self.context.actor, self.row.rule_id, self.data(),
                             now=self.context.clock())


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setMinimumHeight(170)
    return table


class MemberRulesPanel(QGroupBox):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.categories: tuple[CategoryRow, ...] = ()
        self.rules: tuple[LoanRuleRow, ...] = ()
        self.categories_label = QLabel()
        self.rules_label = QLabel()
        self.category_table = _table(4)
        self.rule_table = _table(7)
        self.buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        for title, table, prefix in ((self.categories_label, self.category_table, "category"),
                                     (self.rules_label, self.rule_table, "rule")):
            layout.addWidget(title)
            row = QHBoxLayout()
            row.addWidget(table, 1)
            column = QVBoxLayout()
            for action in ("add", "edit", "delete"):
                button = QPushButton()
                self.buttons[f"{prefix}_{action}"] = button
                column.addWidget(button)
            column.addStretch(1)
            row.addLayout(column)
            layout.addLayout(row)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        handlers: dict[str, Callable[[], None]] = {
            "category_add": lambda: self.edit_category(None),
            "category_edit": lambda: self.edit_category(self._chosen(self.category_table,
                                                                      self.categories)),
            "category_delete": self.delete_category,
            "rule_add": lambda: self.edit_rule(None),
            "rule_edit": lambda: self.edit_rule(self._chosen(self.rule_table, self.rules)),
            "rule_delete": self.delete_rule,
        }
        for key, handler in handlers.items():
            self.buttons[key].clicked.connect(lambda _checked=False, h=handler: h())
        self.category_table.doubleClicked.connect(lambda _index: handlers["category_edit"]())
        self.rule_table.doubleClicked.connect(lambda _index: handlers["rule_edit"]())
        context.events.actor_changed.connect(lambda _actor: self._update_buttons())
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Members: categories and loan rules"))
        self.categories_label.setText(_("Member categories"))
        self.rules_label.setText(_("Loan rules (the most specific rule applies)"))
        self.note.setText(_("“Any” matches every category or media type; the rule for any "
                            "category and any media type is the default and cannot be "
                            "deleted."))
        # No Alt keys: the same three buttons appear twice, beside other panels.
        texts = {"add": _("Add…"), "edit": _("Edit…"), "delete": _("Delete")}
        for key, button in self.buttons.items():
            button.setText(texts[key.split("_")[1]])
        self.category_table.setHorizontalHeaderLabels(
            [_("Code"), _("Name"), _("Months"), _("Members")])
        self.rule_table.setHorizontalHeaderLabels(
            [_("Category"), _("Media type"), _("Loan days"), _("Loans"), _("Renewals"),
             _("Holds"), _("Renew when overdue")])
        self._fill()

    def refresh(self) -> None:
        with self.context.database.read() as session:
            self.categories = list_categories(session, self.context.actor)
            self.rules = list_loan_rules(session, self.context.actor)
        self._fill()

    def _fill(self) -> None:
        self.category_table.setRowCount(len(self.categories))
        for row, category in enumerate(self.categories):
            for column, value in enumerate((category.code, category.name,
                                            str(category.membership_months),
                                            str(category.members))):
                self.category_table.setItem(row, column, QTableWidgetItem(value))
        names = {c.category_id: c.name for c in self.categories}
        self.rule_table.setRowCount(len(self.rules))
        for row, rule in enumerate(self.rules):
            values = (
                names.get(rule.category_id, "") if rule.category_id else _("Any"),
                label(MEDIA_TYPES, rule.media_type) if rule.media_type else _("Any"),
                str(rule.loan_days), str(rule.max_loans), str(rule.max_renewals),
                str(rule.max_holds), _("yes") if rule.renew_when_overdue else _("no"))
            for column, value in enumerate(values):
                self.rule_table.setItem(row, column, QTableWidgetItem(value))
        self._update_buttons()

    def _update_buttons(self) -> None:
        allowed = self.context.actor.can(Permission.SETTINGS)
        for button in self.buttons.values():
            button.setEnabled(allowed)

    @staticmethod
    def _chosen(table: QTableWidget, rows: tuple) -> object | None:  # type: ignore[type-arg]
        index = table.currentRow()
        return rows[index] if 0 <= index < len(rows) else None

    def edit_category(self, row: object | None) -> None:
        if row is None and self.sender() is self.buttons["category_edit"]:
            return
        dialog = CategoryDialog(self.context, row if isinstance(row, CategoryRow) else None,
                                self)
        self.dialog = dialog
        if run_dialog(dialog):
            self.refresh()

    def edit_rule(self, row: object | None) -> None:
        dialog = LoanRuleDialog(self.context, self.categories,
                                row if isinstance(row, LoanRuleRow) else None, self)
        self.dialog = dialog
        if run_dialog(dialog):
            self.refresh()

    def _delete(self, work: Callable[[Session], None]) -> None:
        try:
            with self.context.database.write() as session:
                work(session)
        except MediathequeError as error:
            dialogs.show_error(self, error)
            return
        self.refresh()

    def delete_category(self) -> None:
        row = self._chosen(self.category_table, self.categories)
        if not isinstance(row, CategoryRow) or not dialogs.confirm(
                self, _("Delete a category"),
                _("Delete the category “{name}” and its own loan rules?").format(name=row.name),
                _("&Delete")):
            return
        self._delete(lambda session: delete_category(
            session, self.context.actor, row.category_id, now=self.context.clock()))

    def delete_rule(self) -> None:
        row = self._chosen(self.rule_table, self.rules)
        if not isinstance(row, LoanRuleRow) or not dialogs.confirm(
                self, _("Delete a loan rule"), _("Delete this loan rule?"), _("&Delete")):
            return
        self._delete(lambda session: delete_loan_rule(
            session, self.context.actor, row.rule_id, now=self.context.clock()))

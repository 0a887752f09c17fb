"""The Staff and Privacy sections of the Settings page: accounts (add, role, password,
disable), the idle lock's delay, and how long returned loans keep their member."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediatheque.errors import MediathequeError
from mediatheque.i18n import _, ngettext
from mediatheque.messages import describe_error, role_label
from mediatheque.models.vocabulary import StaffRole, words
from mediatheque.permissions import Actor, Permission
from mediatheque.privacy import PrivacySettings, load_privacy_settings, save_privacy_settings
from mediatheque.staff import (
    StaffRow,
    StaffSettings,
    create_staff,
    list_staff,
    load_staff_settings,
    reset_password,
    save_staff_settings,
    staff_accounts_exist,
    update_staff,
)
from mediatheque.staff.passwords import MAX_LENGTH, MIN_LENGTH
from mediatheque.staff.settings import MAX_IDLE_MINUTES
from mediatheque.ui import dialogs
from mediatheque.ui.context import AppContext
from mediatheque.ui.formatting import format_instant
from mediatheque.ui.widgets import ErrorLabel, count_suffix

LOGIN_ROLE = Qt.ItemDataRole.UserRole
ROLES = words(StaffRole)


class AccountDialog(QDialog):
    """A new account (login, name, role, password twice), or a new password only."""

    def __init__(self, *, login: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.password_only = login is not None
        self.login = QLineEdit(login or "")
        self.login.setMaxLength(100)
        self.login.setReadOnly(self.password_only)
        self.name = QLineEdit()
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role_label(role), role)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(MAX_LENGTH)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setMaxLength(MAX_LENGTH)
        self.error = ErrorLabel()
        self.form = QFormLayout()
        self.form.addRow(_("&Login:"), self.login)
        if not self.password_only:
            self.form.addRow(_("&Name:"), self.name)
            self.form.addRow(_("&Role:"), self.role)
        self.form.addRow(_("&Password:"), self.password)
        self.form.addRow(_("&Again:"), self.again)
        self.hint = QLabel(_("At least {n} characters.").format(n=MIN_LENGTH))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("New password") if self.password_only else _("New staff account"))
        self.setMinimumWidth(400)

    def _check(self) -> None:
        if self.password.text() != self.again.text():
            self.error.show_message(_("The two passwords differ."))
            return
        self.accept()


class StaffPanel(QGroupBox):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setColumnCount(4)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setMinimumHeight(110)
        self.list.setMaximumHeight(180)
        header = self.list.header()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton()
        self.role_button = QPushButton()
        self.password_button = QPushButton()
        self.disable_button = QPushButton()
        self.idle_label = QLabel()
        self.idle = QSpinBox()
        self.idle.setRange(0, MAX_IDLE_MINUTES)
        self.idle_label.setBuddy(self.idle)
        self.idle_save = QPushButton()
        self.message = ErrorLabel()

        buttons = QHBoxLayout()
        for button in (self.add_button, self.role_button, self.password_button,
                       self.disable_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        idle_row = QHBoxLayout()
        idle_row.addWidget(self.idle_label, 1)
        idle_row.addWidget(self.idle)
        idle_row.addWidget(self.idle_save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addLayout(idle_row)
        layout.addWidget(self.message)

        self.add_button.clicked.connect(self.ask_new_account)
        self.role_button.clicked.connect(self.ask_role)
        self.password_button.clicked.connect(self.ask_password)
        self.disable_button.clicked.connect(self.toggle_active)
        self.idle_save.clicked.connect(self.save_idle)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        context.events.actor_changed.connect(lambda _actor: self.refresh())
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Staff accounts"))
        self.list.setHeaderLabels([_("Login"), _("Role"), _("State"), _("Name")])
        self.add_button.setText(_("Add…"))
        self.role_button.setText(_("Change role…"))
        self.password_button.setText(_("New password…"))
        self.idle_label.setText(_(
            "Lock the desk after this many minutes without use (0: never):"))
        self.idle.setSuffix(" " + _("min"))
        self.idle_save.setText(_("Save"))
        self.refresh()

    @property
    def actor(self) -> Actor:
        return self._context.actor

    def refresh(self) -> None:
        with self._context.database.read() as session:
            exists = staff_accounts_exist(session)
            rows = list_staff(session, self.actor) if self.actor.can(Permission.STAFF) else []
            self.idle.setValue(load_staff_settings(session).idle_lock_minutes)
        if not exists:
            self.status.setText(_(
                "No staff account: everyone using this PC acts as administrator. Add an "
                "administrator account to ask for a login at start."))
        elif self.actor.can(Permission.STAFF):
            self.status.setText(_("Logged in as {login} ({role}).").format(
                login=self.actor.login, role=role_label(self.actor.role)))
        else:
            self.status.setText(_(
                "Logged in as {login} ({role}). Only an administrator manages staff "
                "accounts.").format(login=self.actor.login, role=role_label(self.actor.role)))
        selected = self.selected_login()
        self.list.clear()
        zone = self._context.library().zone
        for row in rows:
            item = QTreeWidgetItem([row.login, role_label(row.role), self._state(row, zone),
                                    row.display_name])
            item.setData(0, LOGIN_ROLE, row.login)
            self.list.addTopLevelItem(item)
            item.setSelected(row.login == selected)
        self.list.setVisible(bool(rows))
        self._update_buttons()

    @staticmethod
    def _state(row: StaffRow, zone: object) -> str:
        if not row.active:
            return _("disabled")
        if row.locked_until is not None:
            return _("locked until {when}").format(when=format_instant(row.locked_until, zone))
        return _("active")

    def shown_logins(self) -> list[str]:
        return [self.list.topLevelItem(i).data(0, LOGIN_ROLE)
                for i in range(self.list.topLevelItemCount())]

    def selected_login(self) -> str | None:
        items = self.list.selectedItems()
        return items[0].data(0, LOGIN_ROLE) if items else None

    def select(self, login: str) -> None:
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            item.setSelected(item.data(0, LOGIN_ROLE) == login)

    def _update_buttons(self) -> None:
        manages = self.actor.can(Permission.STAFF)
        chosen = self.selected_login()
        self.add_button.setEnabled(manages)
        for button in (self.role_button, self.password_button, self.disable_button):
            button.setEnabled(manages and chosen is not None)
        disabled = False
        if chosen is not None:
            item = self.list.selectedItems()[0]
            disabled = item.text(2) == _("disabled")
        self.disable_button.setText(_("Enable") if disabled else _("Disable"))
        can_set = self.actor.can(Permission.SETTINGS)
        self.idle.setEnabled(can_set)
        self.idle_save.setEnabled(can_set)

    # actions (each one a service call; the dialogs only gather the values)

    def _run(self, work: object) -> bool:
        try:
            with self._context.database.write() as session:
                work(session)  # type: ignore[operator]
        except MediathequeError as error:
            self.message.show_message(describe_error(error))
            return False
        self.message.show_message("")
        self.refresh()
        return True

    def add_account(self, login: str, role: str, password: str, name: str = "") -> bool:
        first = not self.shown_logins()
        created: list[StaffRow] = []
        done = self._run(lambda s: created.append(create_staff(
            s, self.actor, login=login, role=role, password=password,
            now=self._context.clock(), display_name=name)))
        if done and first and self.actor.staff_id is None:
            # The local administrator who created the first account now acts as it.
            row = created[0]
            self._context.set_actor(Actor(row.login, row.role, row.id))
        return done

    def change_role(self, login: str, role: str) -> bool:
        return self._run(lambda s: update_staff(s, self.actor, login, role=role,
                                                now=self._context.clock()))

    def set_password(self, login: str, password: str) -> bool:
        return self._run(lambda s: reset_password(s, self.actor, login, password,
                                                  now=self._context.clock()))

    def set_active(self, login: str, active: bool) -> bool:
        return self._run(lambda s: update_staff(s, self.actor, login, active=active,
                                                now=self._context.clock()))

    def ask_new_account(self) -> None:
        dialog = AccountDialog(parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_account(dialog.login.text(), dialog.role.currentData(),
                             dialog.password.text(), dialog.name.text())

    def ask_role(self) -> None:
        login = self.selected_login()
        if login is None:
            return
        labels = [role_label(role) for role in ROLES]
        label, ok = QInputDialog.getItem(self, _("Change role"), _("Role of {login}:").format(
            login=login), labels, 0, False)
        if ok:
            self.change_role(login, ROLES[labels.index(label)])

    def ask_password(self) -> None:
        login = self.selected_login()
        if login is None:
            return
        dialog = AccountDialog(login=login, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_password(login, dialog.password.text())

    def toggle_active(self) -> None:
        login = self.selected_login()
        if login is None:
            return
        disabled = self.list.selectedItems()[0].text(2) == _("disabled")
        if disabled or dialogs.confirm(
            self, _("Disable an account"),
            _("Disable the account {login}? It can no longer log in; what it recorded stays "
              "in the audit trail.").format(login=login), _("&Disable")):
            self.set_active(login, disabled)

    def save_idle(self) -> None:
        minutes = self.idle.value()
        if self._run(lambda s: save_staff_settings(
                s, self.actor, StaffSettings(minutes), now=self._context.clock())):
            self.message.show_message("")


class PrivacyPanel(QGroupBox):
    """How long a returned loan keeps the name of its borrower."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.days_label = QLabel()
        self.days = QSpinBox()
        self.days.setRange(0, 3650)
        self.days_label.setBuddy(self.days)
        self.save_button = QPushButton()
        self.message = ErrorLabel()
        row = QHBoxLayout()
        row.addWidget(self.days_label, 1)
        row.addWidget(self.days)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.save_button.clicked.connect(self.save)
        context.events.actor_changed.connect(lambda _actor: self.refresh())
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Privacy"))
        self.explanation.setText(_(
            "Returned loans forget who borrowed them (only the date, media type, member "
            "category and language stay, for statistics), unless the member asked to keep "
            "their reading history."))
        self.days_label.setText(_("Forget the borrower this many days after the return "
                                  "(0: at once):"))
        count_suffix(self.days, lambda n: ngettext("{n} day", "{n} days", n))
        self.save_button.setText(_("Save"))
        self.refresh()

    def refresh(self) -> None:
        with self._context.database.read() as session:
            self.days.setValue(load_privacy_settings(session).anonymise_after_days)
        allowed = self._context.actor.can(Permission.SETTINGS)
        self.days.setEnabled(allowed)
        self.save_button.setEnabled(allowed)

    def save(self) -> None:
        try:
            with self._context.database.write() as session:
                save_privacy_settings(session, self._context.actor,
                                      PrivacySettings(self.days.value()),
                                      now=self._context.clock())
        except MediathequeError as error:
            self.message.show_message(describe_error(error))
            return
        self.message.show_message(_("Saved."))

"""Logging in when the library has staff accounts: the dialog at start, and the lock that
covers the desk after some idle time (the window and what it shows stay as they were
underneath; the same person unlocks with their password, or someone else logs in and the
desk acts for them from then on)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from mediatheque.db import Database
from mediatheque.errors import MediathequeError
from mediatheque.i18n import _
from mediatheque.messages import describe_error, role_label
from mediatheque.permissions import Actor
from mediatheque.staff.passwords import MAX_LENGTH
from mediatheque.ui.app import icon
from mediatheque.ui.context import AppContext
from mediatheque.ui.widgets import ErrorLabel

ACTIVITY_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin,
})


class LoginDialog(QDialog):
    """Asks for a login and password; `actor` holds who logged in once accepted.

    With `locked_by`, it is the lock screen: the login is filled in with the person who was
    at the desk, and Cancel is not offered (the desk stays locked until someone logs in)."""

    def __init__(
        self,
        database: Database,
        clock: Callable[[], datetime],
        *,
        library_name: str = "",
        locked_by: Actor | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._clock = clock
        self._library_name = library_name
        self.locked_by = locked_by
        self.actor: Actor | None = None
        self._build()
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        if locked_by is not None:
            self.login.setText(locked_by.login)
            self.password.setFocus()
        else:
            self.login.setFocus()
        self.retranslate()

    def _build(self) -> None:
        self.logo = QLabel()
        self.logo.setPixmap(icon("mediatheque").pixmap(QSize(48, 48)))
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.login_label = QLabel()
        self.login = QLineEdit()
        self.login.setMaxLength(100)
        self.login_label.setBuddy(self.login)
        self.password_label = QLabel()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(MAX_LENGTH)
        self.password_label.setBuddy(self.password)
        self.error = ErrorLabel()
        buttons = QDialogButtonBox.StandardButton.Ok
        if self.locked_by is None:
            buttons |= QDialogButtonBox.StandardButton.Cancel
        self.buttons = QDialogButtonBox(buttons)

        header = QGridLayout()
        header.setHorizontalSpacing(14)
        header.addWidget(self.logo, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.heading, 0, 1)
        header.addWidget(self.intro, 1, 1)
        header.setColumnStretch(1, 1)
        form = QFormLayout()
        form.addRow(self.login_label, self.login)
        form.addRow(self.password_label, self.password)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def retranslate(self) -> None:
        if self.locked_by is None:
            self.setWindowTitle(_("Log in — Médiathèque"))
            self.heading.setText(self._library_name or "Médiathèque")
            self.intro.setText(_("Log in with your staff account to use the desk."))
        else:
            self.setWindowTitle(_("Desk locked — Médiathèque"))
            self.heading.setText(_("The desk is locked"))
            self.intro.setText(_(
                "Locked after a while without use; everything is kept as it was. {login} "
                "({role}) unlocks with their password, or someone else logs in with theirs."
            ).format(login=self.locked_by.login, role=role_label(self.locked_by.role)))
        self.login_label.setText(_("&Login:"))
        self.password_label.setText(_("&Password:"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Log in") if self.locked_by is None else _("&Unlock"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText(_("&Quit"))

    def try_login(self) -> None:
        from mediatheque.staff import log_in

        password = self.password.text()
        self.password.clear()  # never kept in the widget longer than needed
        try:
            self.actor = log_in(self._database, self.login.text(), password, self._clock())
        except MediathequeError as error:
            self.error.show_message(describe_error(error))
            self.password.setFocus()
            return
        self.error.show_message("")
        self.accept()

    def reject(self) -> None:
        if self.locked_by is None:  # the lock screen cannot be dismissed (Escape)
            super().reject()


class IdleLock(QObject):
    """Watches the whole application for keys and clicks; after `minutes` without any,
    emits `idle` (the window then shows the lock screen)."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        if minutes > 0:
            self._timer.start(minutes * 60_000)
        else:
            self._timer.stop()

    def restart(self) -> None:
        self.set_minutes(self.minutes)

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS and self._timer.isActive():
            self._timer.start()
        return False


class _Cover(QWidget):
    """Hides the window's content while the desk is locked (a member's page must not stay
    readable by whoever passes); what is underneath is untouched."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#1d3f72"))
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False


class DeskLock(QObject):
    """Ties the idle watch to the lock screen for one main window."""

    def __init__(self, window: QWidget, context: AppContext, minutes: int) -> None:
        super().__init__(window)
        self._window = window
        self._context = context
        self.dialog: LoginDialog | None = None
        self.cover: _Cover | None = None
        self.action: QAction | None = None
        self.who: QLabel | None = None
        self.watch = IdleLock(minutes, self)
        self.watch.idle.connect(self.lock)

    def lock(self) -> None:
        """Covers the window with the lock screen until someone logs in."""
        if self.dialog is not None:
            return
        context = self._context
        self.watch.stop()
        self.cover = _Cover(self._window)
        # Pages are hidden, not closed: they keep their state, and a page that takes the
        # scanner's codes while visible (the desk) takes none while locked.
        central = getattr(self._window, "centralWidget", lambda: None)()
        if central is not None:
            central.hide()
        self.dialog = LoginDialog(
            context.database, context.clock, library_name=context.library().name,
            locked_by=context.actor, parent=self._window,
        )
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.accepted.connect(self._unlocked)
        self.dialog.open()

    def _unlocked(self) -> None:
        dialog = self.dialog
        assert dialog is not None and dialog.actor is not None
        self._context.set_actor(dialog.actor)
        self.dialog = None
        if self.cover is not None:
            self.cover.deleteLater()
            self.cover = None
        central = getattr(self._window, "centralWidget", lambda: None)()
        if central is not None:
            central.show()
        from mediatheque.staff import load_staff_settings

        with self._context.database.read() as session:  # the delay may have changed
            self.watch.minutes = load_staff_settings(session).idle_lock_minutes
        dialog.deleteLater()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.watch)
        self.watch.restart()


def install_desk_lock(window: QMainWindow, context: AppContext) -> DeskLock:
    """For a library with staff accounts: the idle lock, File ▸ Lock the desk (Ctrl+L) and
    who is logged in, in the status bar."""
    from mediatheque.staff import load_staff_settings

    with context.database.read() as session:
        minutes = load_staff_settings(session).idle_lock_minutes
    lock = DeskLock(window, context, minutes)
    action = QAction(window)
    action.setShortcut(QKeySequence("Ctrl+L"))
    action.triggered.connect(lock.lock)
    menu = getattr(window, "file_menu", None)
    quit_action = getattr(window, "quit_action", None)
    if menu is not None:
        menu.insertAction(quit_action, action)
    window.addAction(action)
    who = QLabel()
    window.statusBar().addPermanentWidget(who)
    lock.action, lock.who = action, who

    def retranslate(*_args: object) -> None:
        action.setText(_("&Lock the desk"))
        who.setText(_("{login} ({role})").format(
            login=context.actor.login, role=role_label(context.actor.role)))

    context.languages.changed.connect(retranslate)
    context.events.actor_changed.connect(retranslate)
    retranslate()
    return lock

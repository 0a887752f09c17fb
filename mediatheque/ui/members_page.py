"""The Members page: search as you type (name in any script, card, e-mail, phone), the
members table (paged), the chosen member on the right, and the actions: New (Ctrl+N),
Edit (Enter), Renew (Ctrl+R), Replace card (Ctrl+Shift+R), Delete (Del), Import CSV, and
Print card… (`print_card`, connected by the card-printing dialog when it exists)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mediatheque.db import Database
from mediatheque.errors import MediathequeError
from mediatheque.formatting import long_day, number, short_day
from mediatheque.i18n import _, ngettext
from mediatheque.members.deletion import delete_member
from mediatheque.members.membership import renew_membership, replace_card
from mediatheque.members.reading import MemberDetails, member_details
from mediatheque.messages import describe_error
from mediatheque.permissions import Actor, Permission
from mediatheque.settings import LibrarySettings
from mediatheque.ui import dialogs
from mediatheque.ui.context import AppContext
from mediatheque.ui.member_detail_pane import MemberDetailPane
from mediatheque.ui.members_table import COLUMNS, MembersModel
from mediatheque.ui.page import Page
from mediatheque.ui.widgets import OutcomeLabel

SEARCH_DELAY_MS = 150


def load_member(database: Database, actor: Actor, member_id: int, today: date) -> MemberDetails:
    with database.read() as session:
        return member_details(session, actor, member_id, today=today)


def run_dialog(dialog: QWidget) -> bool:
    """Runs a modal dialog. Tests replace this (monkeypatch) to drive the dialog."""
    return bool(dialog.exec())  # type: ignore[attr-defined]


def _open_card_printing(page: MembersPage, member_ids: list[int]) -> None:
    from mediatheque.ui.card_printing import open_card_printing

    open_card_printing(page, page.context, member_ids)


class MembersPage(Page):
    # The card-printing dialog, when installed: called with the page and the chosen
    # member ids (see print_card).
    card_printer: Callable[[MembersPage, list[int]], None] | None = _open_card_printing

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._detail_sequence = 0
        self._select_when_loaded: int | None = None
        self._zone = context.library().zone
        self.model = MembersModel(context.database, context.runner, lambda: context.actor,
                                  self.today, self)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self._build()
        self._build_actions()
        self._connect()
        self.retranslate()
        self.refresh()

    def today(self) -> date:
        return self.context.clock().astimezone(self._zone).date()

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.message = OutcomeLabel()
        self.message.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        character = self.table.fontMetrics().averageCharWidth()
        widths = {"name": 30, "barcode": 14, "category": 22, "contact": 28, "expiry": 11}
        for column, key in enumerate(COLUMNS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, widths[key] * character + 16)
        header.setSectionResizeMode(COLUMNS.index("contact"), QHeaderView.ResizeMode.Stretch)
        self.detail = MemberDetailPane()
        self.detail.setMinimumWidth(280)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.toolbar = QHBoxLayout()
        status = QHBoxLayout()
        status.addWidget(self.count_label)
        status.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.toolbar)
        layout.addWidget(self.search)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(status)

    def _action(self, name: str, shortcut: str | None, slot: Callable[[], None], *,
                context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
                widget: QWidget | None = None, button: bool = True) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(context)
        action.triggered.connect(lambda _checked=False: slot())
        (widget or self).addAction(action)
        if button:
            tool = QToolButton()
            tool.setDefaultAction(action)
            tool.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.toolbar.addWidget(tool)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("new", "Ctrl+N", self.new_member)
        self.edit_action = self._action("edit", None, self.edit_member)
        self.renew_action = self._action("renew", "Ctrl+R", self.renew)
        self.replace_action = self._action("replace_card", "Ctrl+Shift+R", self.replace_card)
        self.print_action = self._action("print_card", "Ctrl+P", self.print_card)
        self.delete_action = self._action("delete", None, self.delete)
        self.toolbar.addStretch(1)
        self.import_action = self._action("import", None, self.import_csv)
        for key in ("Return", "Enter"):
            self._action(f"edit_{key}", key, self.edit_member,
                         context=Qt.ShortcutContext.WidgetShortcut, widget=self.table,
                         button=False)
        self._action("delete_key", "Del", self.delete,
                     context=Qt.ShortcutContext.WidgetShortcut, widget=self.table,
                     button=False)
        self._action("find", "Ctrl+F", self.focus_search, button=False)

    def _connect(self) -> None:
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.search.returnPressed.connect(self._search_now)
        self.search_timer.timeout.connect(self._search_now)
        self.model.loaded.connect(self._results_loaded)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.model.failed.connect(lambda error: self.tell(_error_text(error), error=True))
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit_member())
        self.context.events.database_replaced.connect(self.detail.clear)
        self.context.events.actor_changed.connect(lambda _actor: self._update_actions())
        self.context.events.library_changed.connect(self._library_changed)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(
            _("Search by name (Cyrillic or Latin), card, e-mail or phone… (Ctrl+F)"))
        texts = (
            (self.new_action, _("&New member"), _("Register a member (Ctrl+N)")),
            (self.edit_action, _("&Edit"), _("Edit the chosen member (Enter)")),
            (self.renew_action, _("&Renew"), _(
                "Renew the membership for the category's duration (Ctrl+R)")),
            (self.replace_action, _("Replace &card"), _(
                "A new card for a lost one; the old card is then refused (Ctrl+Shift+R)")),
            (self.print_action, _("&Print card…"), _("Print the chosen member's card (Ctrl+P)")),
            (self.delete_action, _("&Delete"), _("Delete the chosen member (Del)")),
            (self.import_action, _("I&mport CSV…"), _("Import members from a CSV file")),
        )
        for action, text, tip in texts:
            action.setText(text)
            action.setToolTip(tip)
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            needed = header.sectionSizeFromContents(column).width()
            if header.sectionSize(column) < needed:
                header.resizeSection(column, needed)
        # the widest date of this language ("28 сент. 2026 г.") fits the expiry column
        metrics = self.table.fontMetrics()
        widest = max(metrics.horizontalAdvance(short_day(date(2026, month, 28)))
                     for month in range(1, 13)) + 16
        expiry = COLUMNS.index("expiry")
        if header.sectionSize(expiry) < widest:
            header.resizeSection(expiry, widest)
        self.detail.retranslate()
        self._update_count()

    def refresh(self) -> None:
        self.model.set_database(self.context.database)
        self._update_actions()

    def _library_changed(self, settings: LibrarySettings) -> None:
        self._zone = settings.zone

    # searching

    def _search_now(self) -> None:
        self.search_timer.stop()
        text = self.search.text().strip()
        if text != self.model.text or not self.model.rows:
            self.message.clear()
            self.model.search(text)

    def _results_loaded(self) -> None:
        wanted, self._select_when_loaded = self._select_when_loaded, None
        row = self.model.row_of(wanted) if wanted is not None else None
        if row is None and wanted is None and self.model.rows:
            row = 0
        if row is not None:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        elif wanted is None:
            self.detail.clear()
        self._update_actions()

    def _update_count(self) -> None:
        total = self.model.total
        self.count_label.setText(ngettext("{n} member", "{n} members", total).format(
            n=number(total)))

    def tell(self, text: str, *, error: bool = False) -> None:
        self.message.tell(text, error=error)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # the chosen member

    def current_member_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.member_id(index.row()) if index.isValid() else None

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        member_id = self.model.member_id(current.row()) if current.isValid() else None
        self._update_actions()
        if member_id is not None:
            self.show_member(member_id)

    def show_member(self, member_id: int) -> None:
        self._detail_sequence += 1
        sequence = self._detail_sequence
        self.context.runner.submit(
            load_member, self.context.database, self.context.actor, member_id, self.today(),
            on_done=lambda details: self._detail_loaded(sequence, details),
            on_failed=lambda error: self._detail_failed(sequence, error))

    def _detail_loaded(self, sequence: int, details: MemberDetails) -> None:
        if sequence == self._detail_sequence:
            self.detail.show_member(details)

    def _detail_failed(self, sequence: int, error: BaseException) -> None:
        if sequence == self._detail_sequence:
            self.detail.clear()
            self.tell(_error_text(error), error=True)

    def _update_actions(self) -> None:
        chosen = self.current_member_id() is not None
        actor = self.context.actor
        can_edit = actor.can(Permission.MEMBERS)
        self.new_action.setEnabled(can_edit)
        self.import_action.setEnabled(can_edit)
        for action in (self.edit_action, self.renew_action, self.replace_action,
                       self.print_action):
            action.setEnabled(chosen and can_edit)
        self.delete_action.setEnabled(chosen and actor.can(Permission.DELETE))

    def _reload_and_show(self, member_id: int | None) -> None:
        self._select_when_loaded = member_id
        self.model.reload()
        if member_id is not None and self.model.row_of(member_id) is None:
            self.show_member(member_id)

    # actions

    def new_member(self) -> None:
        self._open_editor(None)

    def edit_member(self) -> None:
        member_id = self.current_member_id()
        if member_id is None:
            return
        try:
            details = load_member(self.context.database, self.context.actor, member_id,
                                  self.today())
        except MediathequeError as error:
            dialogs.show_error(self, error)
            return
        self._open_editor(details)

    def _open_editor(self, details: MemberDetails | None) -> None:
        from mediatheque.ui.member_editor import MemberEditor

        editor = MemberEditor(self.context, self.today(), details, parent=self)
        self.editor = editor  # reachable by tests while it is open
        accepted = run_dialog(editor)
        self.editor = None
        if not accepted or editor.saved is None:
            return
        saved = editor.saved
        if details is None:
            self.tell(_("Member registered: card {barcode}, valid until {date}.").format(
                barcode=saved.barcode, date=long_day(saved.membership_expiry)))
        else:
            self.tell(_("Member saved."))
        self._reload_and_show(saved.member_id)

    def _write(self, work: Callable[..., object], failure_title: str) -> object | None:
        try:
            with self.context.database.write() as session:
                return work(session)
        except MediathequeError as error:
            dialogs.show_error(self, error, failure_title)
            return None

    def renew(self) -> None:
        member_id = self.current_member_id()
        if member_id is None:
            return
        expiry = self._write(lambda session: renew_membership(
            session, self.context.actor, member_id, today=self.today(),
            now=self.context.clock()), _("The membership was not renewed"))
        if isinstance(expiry, date):
            self.tell(_("Membership renewed until {date}.").format(
                date=long_day(expiry)))
            self._reload_and_show(member_id)

    def replace_card(self) -> None:
        member_id = self.current_member_id()
        if member_id is None:
            return
        row = self.model.rows[self.table.currentIndex().row()]
        if not dialogs.confirm(self, _("Replace a card"), _(
                "Give {name} a new card? The card {barcode} will then be refused at the "
                "desk.").format(name=row.display_name, barcode=row.barcode),
                _("&Replace the card")):
            return
        new = self._write(lambda session: replace_card(
            session, self.context.actor, member_id, now=self.context.clock()),
            _("The card was not replaced"))
        if isinstance(new, str):
            self.tell(_("New card: {barcode}. Print it with “Print card…”.").format(
                barcode=new))
            self._reload_and_show(member_id)

    def delete(self) -> None:
        member_id = self.current_member_id()
        if member_id is None:
            return
        row = self.model.rows[self.table.currentIndex().row()]
        if not dialogs.confirm(self, _("Delete a member"), _(
                "Delete {name} and their personal data (names, contact, notes, cards, "
                "holds)? Their past loans are kept, without their name, for the statistics; "
                "the audit trail keeps only the member's number. This cannot be undone."
        ).format(name=row.display_name), _("&Delete")):
            return
        done = self._write(lambda session: delete_member(
            session, self.context.actor, member_id, now=self.context.clock()),
            _("The member was not deleted"))
        if done is not None:
            self.tell(_("Member deleted."))
            self.detail.clear()
            self._reload_and_show(None)

    def print_card(self) -> None:
        """Print card…: hands the chosen member to the card-printing dialog
        (`MembersPage.card_printer`, set by the cards module)."""
        member_id = self.current_member_id()
        if member_id is None:
            return
        if MembersPage.card_printer is None:
            self.tell(_("Card printing is not available in this version."), error=True)
            return
        MembersPage.card_printer(self, [member_id])

    def import_csv(self) -> None:
        from mediatheque.ui.member_import_dialog import MemberImportDialog

        dialog = MemberImportDialog(self.context, self.today(), parent=self)
        if not dialog.choose_file():
            return
        self.import_dialog = dialog
        run_dialog(dialog)
        self.import_dialog = None
        if dialog.imported is not None:
            self.tell(ngettext("{n} member imported.", "{n} members imported.",
                               dialog.imported.members_new).format(
                                   n=dialog.imported.members_new))
            self.refresh()


def _error_text(error: BaseException) -> str:
    if isinstance(error, MediathequeError):
        return describe_error(error)
    return _("Unexpected problem: {problem}").format(problem=f"{type(error).__name__}: {error}")

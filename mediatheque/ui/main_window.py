"""The main window: a list of pages on the left, the page on the right, the menus, and a
status bar that always says which database is open and in what state.

Pages are registered in PAGES, in the order they are listed. Each issue that brings a page
(Desk, Catalogue, Members, Reports) adds its entry; there are no empty placeholders.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import PySide6
from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
    QWidget,
)

from mediatheque import __version__
from mediatheque.backups import RestoreResult, latest_backup, list_backups
from mediatheque.errors import MediathequeError
from mediatheque.i18n import N_, _
from mediatheque.messages import describe_error
from mediatheque.paths import resources_dir
from mediatheque.settings import LibrarySettings
from mediatheque.ui import dialogs
from mediatheque.ui.app import icon
from mediatheque.ui.backup_controller import Job
from mediatheque.ui.context import AppContext
from mediatheque.ui.formatting import engine_name, format_instant
from mediatheque.ui.page import Page

STATUS_MESSAGE_MS = 10_000
# The user guide (docs/guide/*.md rendered by tools/guide_pdf.py into resources/guide/) exists
# in French and Russian. Kazakh desks get the Russian one (Central Asian staff read Russian);
# English desks get the French one, the guide's original text.
GUIDE_FILES = {
    "fr": "guide-fr.pdf", "ru": "guide-ru.pdf", "kk": "guide-ru.pdf", "en": "guide-fr.pdf",
}
DATABASE_LABEL_WIDTH = 460


@dataclass(frozen=True)
class PageSpec:
    """A page of the main window. `title` is English, marked with N_() and translated when
    shown; `icon` names a file of resources/icons; `build` makes the page."""

    key: str
    title: str
    icon: str
    build: Callable[[AppContext], Page]


def _desk_page(context: AppContext) -> Page:
    from mediatheque.ui.desk_page import DeskPage

    return DeskPage(context)


def _catalogue_page(context: AppContext) -> Page:
    from mediatheque.ui.catalogue_page import CataloguePage

    return CataloguePage(context)


def _members_page(context: AppContext) -> Page:
    from mediatheque.ui.members_page import MembersPage

    return MembersPage(context)


def _reports_page(context: AppContext) -> Page:
    from mediatheque.ui.reports_page import ReportsPage

    return ReportsPage(context)


def _audit_page(context: AppContext) -> Page:
    from mediatheque.ui.audit_page import AuditPage

    return AuditPage(context)


def _settings_page(context: AppContext) -> Page:
    from mediatheque.ui.settings_page import SettingsPage

    return SettingsPage(context)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("desk", N_("Desk"), "desk", _desk_page),
    PageSpec("catalogue", N_("Catalogue"), "catalogue", _catalogue_page),
    PageSpec("members", N_("Members"), "members", _members_page),
    PageSpec("reports", N_("Reports"), "reports", _reports_page),
    PageSpec("audit", N_("Audit"), "audit", _audit_page),
    PageSpec("settings", N_("Settings"), "settings", _settings_page),
)


class MainWindow(QMainWindow):
    def __init__(
        self, context: AppContext, pages: Sequence[PageSpec] = PAGES,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._specs = list(pages)
        self._library = context.library()
        self._close_when_idle = False

        self.navigation = QListWidget()
        self.navigation.setIconSize(QSize(28, 28))
        self.navigation.setSpacing(2)
        self.navigation.setFixedWidth(190)
        self.navigation.setFrameShape(QListWidget.Shape.NoFrame)
        self.navigation.setObjectName("navigation")
        self.stack = QStackedWidget()
        self.pages: dict[str, Page] = {}
        for spec in self._specs:
            page = spec.build(context)
            self.pages[spec.key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(icon(spec.icon), "")
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.navigation.addItem(item)
        self.navigation.currentRowChanged.connect(self._page_chosen)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()
        self._connect(context)
        self.retranslate()
        self.navigation.setCurrentRow(0)
        context.backups.start_daily_backups()
        self.resize(1100, 700)
        geometry = context.preferences.window_geometry
        if geometry:
            self.restoreGeometry(geometry)

    # building

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.backup_action = QAction(icon("backup"), "", self)
        self.backup_action.setShortcut(QKeySequence("Ctrl+B"))
        self.backup_action.triggered.connect(self.context.backups.back_up_now)
        self.quit_action = QAction("", self)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        if self.quit_action.shortcut().isEmpty():  # Windows has no standard Quit key
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.backup_action)
        self.file_menu.addSeparator()
        # Exchanging catalogues (FM21 packages, MARC files): ui/exchange_dialogs.py.
        self.import_marc_action = self.file_menu.addAction("", self.import_marc)
        self.export_fm21_action = self.file_menu.addAction("", self.export_fm21)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.view_menu = self.menuBar().addMenu("")
        self.page_actions: list[QAction] = []
        for position, spec in enumerate(self._specs):
            action = QAction(icon(spec.icon), "", self)
            if position < 9:
                action.setShortcut(QKeySequence(f"Ctrl+{position + 1}"))
            action.triggered.connect(lambda _checked=False, key=spec.key: self.show_page(key))
            self.view_menu.addAction(action)
            self.page_actions.append(action)

        self.help_menu = self.menuBar().addMenu("")
        self.guide_action = QAction("", self)
        self.guide_action.setShortcut(QKeySequence("F1"))
        self.guide_action.triggered.connect(self.open_guide)
        self.help_menu.addAction(self.guide_action)
        self.about_action = QAction(icon("mediatheque"), "", self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)
        # Shortcuts work wherever the focus is in the window, menus open or not.
        self.addActions(
            [self.backup_action, self.quit_action, self.guide_action, *self.page_actions]
        )

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.busy_indicator = QProgressBar()
        self.busy_indicator.setRange(0, 0)
        self.busy_indicator.setMaximumWidth(120)
        self.busy_indicator.setMaximumHeight(14)
        self.busy_indicator.setTextVisible(False)
        self.busy_indicator.hide()
        self.database_label = QLabel()
        self.database_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.state_label = QLabel()
        status.addPermanentWidget(self.busy_indicator)
        status.addPermanentWidget(self.database_label)
        status.addPermanentWidget(self.state_label)

    def _connect(self, context: AppContext) -> None:
        context.languages.changed.connect(self._language_changed)
        context.events.library_changed.connect(self._library_changed)
        context.events.database_replaced.connect(self._database_replaced)
        context.backups.busy_changed.connect(self._backup_busy)
        context.backups.backed_up.connect(self._backed_up)
        context.backups.restored.connect(self._restored)
        context.backups.failed.connect(self._backup_failed)
        context.runner.unhandled_failure.connect(self._unhandled_failure)

    # texts

    def retranslate(self) -> None:
        self._update_title()
        self.file_menu.setTitle(_("&File"))
        self.backup_action.setText(_("&Back up now"))
        self.import_marc_action.setText(_("&Import a catalogue (FM21, MARC)…"))
        self.export_fm21_action.setText(_("&Export the catalogue (FM21)…"))
        self.quit_action.setText(_("&Quit"))
        self.view_menu.setTitle(_("&View"))
        self.help_menu.setTitle(_("&Help"))
        self.guide_action.setText(_("&User guide"))
        self.about_action.setText(_("&About Médiathèque"))
        for row, spec in enumerate(self._specs):
            title = _(spec.title)
            self.navigation.item(row).setText(title)
            self.page_actions[row].setText(title)
        self.update_status()
        for page in self.pages.values():
            page.retranslate()

    def _update_title(self) -> None:
        name = self._library.name
        self.setWindowTitle(f"Médiathèque — {name}" if name else "Médiathèque")

    def update_status(self) -> None:
        """The permanent part of the status bar: the database, its schema, its last backup."""
        database = self.context.database
        described = database.describe()
        text = _("Database: {engine} {where}").format(
            engine=engine_name(database), where=described
        )
        metrics = self.database_label.fontMetrics()
        self.database_label.setText(
            metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, DATABASE_LABEL_WIDTH)
        )
        self.database_label.setToolTip(text)
        schema = self.context.schema
        state = (
            _("schema {revision}, up to date").format(revision=schema.current)
            if not schema.pending
            else _("schema {revision}, upgrade pending").format(revision=schema.current)
        )
        backups = list_backups(self.context.backups_dir)
        if backups:
            when = format_instant(backups[-1].taken_at, self._library.zone)
            backed_up = _("last backup {when}").format(when=when)
        else:
            backed_up = _("no backup yet")
        self.state_label.setText(f"{state} · {backed_up}")

    # pages

    def show_page(self, key: str) -> None:
        row = next(i for i, spec in enumerate(self._specs) if spec.key == key)
        self.navigation.setCurrentRow(row)

    def page_title(self, key: str) -> str:
        """The title shown in the navigation list for a page."""
        row = next(i for i, spec in enumerate(self._specs) if spec.key == key)
        return self.navigation.item(row).text()

    def current_page(self) -> Page:
        page = self.stack.currentWidget()
        assert isinstance(page, Page)
        return page

    def _page_chosen(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row)

    # reactions

    def _language_changed(self, _language: str) -> None:
        self.retranslate()

    def _library_changed(self, settings: LibrarySettings) -> None:
        self._library = settings
        self._update_title()
        self.update_status()

    def import_marc(self) -> None:
        from mediatheque.ui.exchange_dialogs import open_marc_import

        if open_marc_import(self, self.context):
            for page in self.pages.values():
                page.refresh()

    def export_fm21(self) -> None:
        from mediatheque.ui.exchange_dialogs import open_export

        open_export(self, self.context)

    def _database_replaced(self) -> None:
        self._library = self.context.library()
        self._update_title()
        self.update_status()
        for page in self.pages.values():
            page.refresh()

    def _backup_busy(self, busy: bool) -> None:
        self.busy_indicator.setVisible(busy)
        self.backup_action.setEnabled(not busy)
        if busy:
            self.statusBar().showMessage(_("Backup or restore in progress…"))
        elif self._close_when_idle:
            QTimer.singleShot(0, self.close)

    def _backed_up(self, path: Path) -> None:
        self.update_status()
        self.statusBar().showMessage(
            _("Backup saved: {name}").format(name=path.name), STATUS_MESSAGE_MS
        )

    def _restored(self, result: RestoreResult) -> None:
        self.statusBar().clearMessage()
        self.context.events.database_replaced.emit()
        previous = result.previous_backup.name if result.previous_backup else "—"
        dialogs.inform(self, _("Backup restored"), _(
            "The database has been restored from {backup}. The database as it was just "
            "before is kept in the backup {previous}."
        ).format(backup=result.restored.name, previous=previous))

    def _backup_failed(self, job: str, error: BaseException) -> None:
        self.update_status()
        reason = _explain(error)
        if job == Job.AUTOMATIC:
            self.statusBar().showMessage(
                _("The automatic backup failed: {reason}").format(reason=reason)
            )
            return
        self.statusBar().clearMessage()
        title = _("Restore failed") if job == Job.RESTORE else _("Backup failed")
        dialogs.show_error(self, reason, title)

    def _unhandled_failure(self, error: BaseException) -> None:
        reason = _explain(error)
        dialogs.show_error(self, _("An operation failed: {reason}").format(reason=reason))

    # about and closing

    def show_about(self) -> None:
        database = self.context.database
        engine = engine_name(database)
        if database.dialect == "sqlite":
            engine += f" {sqlite3.sqlite_version}"
        latest = latest_backup(self.context.backups_dir)
        rows = [
            (_("Database"), database.describe()),
            (_("Engine"), engine),
            (_("Schema"), self.context.schema.current or "—"),
            (_("Data folder"), str(self.context.data_dir)),
            (_("Latest backup"), latest.name if latest else "—"),
            ("Qt", f"PySide6 {PySide6.__version__}"),
        ]
        table = "".join(
            f"<tr><td style='padding-right:12px'><b>{label}</b></td><td>{_escape(value)}</td></tr>"
            for label, value in rows
        )
        summary = _(
            "Catalogue and loan desk for the médiathèques of the Alliance Française network."
        )
        dialogs.about(self, _("About Médiathèque"), (
            f"<h3>Médiathèque {__version__}</h3><p>{summary}</p><table>{table}</table>"
        ))

    def guide_path(self) -> Path:
        """The user guide's PDF in the interface's language (see GUIDE_FILES)."""
        language = self.context.languages.current
        return resources_dir() / "guide" / GUIDE_FILES.get(language, GUIDE_FILES["fr"])

    def open_guide(self) -> None:
        path = self.guide_path()
        if not path.is_file():
            dialogs.show_error(
                self, _("The user guide is missing: {path}").format(path=path), _("User guide")
            )
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            dialogs.show_error(self, _(
                "The user guide could not be opened ({path}): is a PDF reader installed?"
            ).format(path=path), _("User guide"))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.context.backups.busy:
            self._close_when_idle = True
            self.statusBar().showMessage(
                _("The window will close when the backup or restore is finished.")
            )
            event.ignore()
            return
        self.context.backups.stop()
        self.context.preferences.window_geometry = bytes(self.saveGeometry().data())
        self.context.preferences.sync()
        super().closeEvent(event)


def _explain(error: BaseException) -> str:
    """A typed error's translated sentence; for anything else, what the system said."""
    if isinstance(error, MediathequeError):
        return describe_error(error)
    if isinstance(error, OSError) and error.strerror:
        where = f" ({error.filename})" if error.filename else ""
        return _("The system refused: {problem}").format(problem=f"{error.strerror}{where}")
    return _("Unexpected problem: {problem}").format(problem=f"{type(error).__name__}: {error}")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

"""The Backups section of the Settings page: where they are, the list, back up, restore."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediatheque.backups import BackupFile, list_backups
from mediatheque.i18n import _
from mediatheque.permissions import Permission
from mediatheque.ui import dialogs
from mediatheque.ui.app import icon
from mediatheque.ui.context import AppContext
from mediatheque.ui.formatting import format_instant, format_size

_REASON = re.compile(r"^mediatheque-\d{8}-\d{6}-(?P<reason>[a-z-]+)\.db$")
PATH_ROLE = Qt.ItemDataRole.UserRole


def backup_kind(path: Path) -> str:
    """Why a backup was made, from its file name ('' for daily and manual ones)."""
    match = _REASON.match(path.name)
    reason = match.group("reason") if match else ""
    kinds = {
        "before-upgrade": lambda: _("before an upgrade"),
        "before-restore": lambda: _("before a restore"),
    }
    return kinds[reason]() if reason in kinds else reason


class BackupsPanel(QGroupBox):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._zone = ZoneInfo("UTC")
        self._build()
        self.open_folder_button.clicked.connect(self.open_folder)
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.itemActivated.connect(lambda _item, _column: self.restore_selected())
        backups = context.backups
        backups.busy_changed.connect(self._busy_changed)
        backups.backed_up.connect(self._backed_up)
        backups.restored.connect(lambda _result: self.refresh())
        backups.failed.connect(lambda _job, _error: self.refresh())
        context.events.actor_changed.connect(lambda _actor: self._update_buttons())
        self.retranslate()

    def _build(self) -> None:
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.folder_label = QLabel()
        self.folder = QLineEdit()  # a long path scrolls instead of widening the page
        self.folder.setReadOnly(True)
        self.folder_label.setBuddy(self.folder)
        self.open_folder_button = QPushButton()
        self.list = self._build_list()
        self.back_up_button = QPushButton(icon("backup"), "")
        self.restore_button = QPushButton()
        self.restore_file_button = QPushButton()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy indicator: the core reports no steps here
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(12)
        self.progress.hide()

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label)
        self.folder.setMinimumWidth(120)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.open_folder_button)
        self.progress.setMaximumWidth(160)
        # One above the other: side by side they make the page too wide in French/Kazakh.
        restore_row = QVBoxLayout()
        restore_row.addWidget(self.restore_button)
        restore_row.addWidget(self.restore_file_button)
        back_up_row = QHBoxLayout()
        back_up_row.addWidget(self.back_up_button)
        back_up_row.addWidget(self.progress)
        back_up_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(folder_row)
        layout.addLayout(back_up_row)
        layout.addWidget(self.list, 1)
        layout.addLayout(restore_row)

    @staticmethod
    def _build_list() -> QTreeWidget:
        backups = QTreeWidget()
        backups.setColumnCount(3)
        backups.setRootIsDecorated(False)
        backups.setUniformRowHeights(True)
        backups.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        backups.setAlternatingRowColors(True)
        header = backups.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        return backups

    def retranslate(self) -> None:
        self.setTitle(_("Backups"))
        self.explanation.setText(_(
            "The database is backed up when the application starts, once a day, and before "
            "every upgrade or restore. The last 14 days and the last 12 months are kept."
        ))
        self.folder_label.setText(_("Fold&er:"))
        self.folder.setText(str(self._context.backups_dir))
        self.folder.setCursorPosition(0)
        self.open_folder_button.setText(_("O&pen folder"))
        self.list.setHeaderLabels([_("Date"), _("Size"), _("Note")])
        self.back_up_button.setText(_("&Back up now"))
        self.restore_button.setText(_("&Restore the selected backup…"))
        self.restore_file_button.setText(_("Restore from &a file…"))
        self.refresh()

    def set_zone(self, zone: ZoneInfo) -> None:
        """Times are shown in the library's time zone."""
        self._zone = zone
        self.refresh()

    # the list

    def refresh(self) -> None:
        selected = self.selected_backup()
        self.list.clear()
        for backup in reversed(list_backups(self._context.backups_dir)):
            item = self._item(backup)
            self.list.addTopLevelItem(item)
            if backup.path == selected:
                item.setSelected(True)
        self._update_buttons()

    def _item(self, backup: BackupFile) -> QTreeWidgetItem:
        try:
            size = format_size(backup.path.stat().st_size)
        except OSError:
            size = ""
        item = QTreeWidgetItem(
            [format_instant(backup.taken_at, self._zone), size, backup_kind(backup.path)]
        )
        item.setData(0, PATH_ROLE, str(backup.path))
        item.setToolTip(0, str(backup.path))
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def backups_shown(self) -> list[Path]:
        return [
            Path(self.list.topLevelItem(row).data(0, PATH_ROLE))
            for row in range(self.list.topLevelItemCount())
        ]

    def selected_backup(self) -> Path | None:
        items = self.list.selectedItems()
        return Path(items[0].data(0, PATH_ROLE)) if items else None

    def select_backup(self, path: Path) -> None:
        for row in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(row)
            item.setSelected(Path(item.data(0, PATH_ROLE)) == path)

    # actions

    def back_up_now(self) -> None:
        self._context.backups.back_up_now()

    def restore_selected(self) -> None:
        backup = self.selected_backup()
        if backup is not None:
            self._restore(backup)

    def restore_from_file(self) -> None:
        preferences = self._context.preferences
        folder = preferences.last_folder or self._context.backups_dir
        chosen = dialogs.choose_file_to_open(
            self, _("Restore from a file"), folder,
            _("Médiathèque databases (*.db)") + ";;" + _("All files (*)"),
        )
        if chosen is not None:
            preferences.last_folder = chosen.parent
            self._restore(chosen)

    def _restore(self, backup: Path) -> None:
        confirmed = dialogs.confirm(
            self,
            _("Restore a backup"),
            _(
                "Replace the whole database with {name}? Everything recorded since that "
                "backup will be lost. The database as it is now is backed up first, so "
                "this can be undone by restoring that backup."
            ).format(name=backup.name),
            _("&Restore"),
        )
        if confirmed:
            self._context.backups.restore(backup, self._context.actor)

    def open_folder(self) -> None:
        folder = self._context.backups_dir
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _backed_up(self, path: Path) -> None:
        self.refresh()
        self.select_backup(path)

    def _busy_changed(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self._context.backups.busy
        may_restore = self._context.actor.can(Permission.RESTORE)  # the core checks it too
        self.back_up_button.setEnabled(not busy)
        self.restore_file_button.setEnabled(not busy and may_restore)
        self.restore_button.setEnabled(
            not busy and may_restore and self.selected_backup() is not None
        )

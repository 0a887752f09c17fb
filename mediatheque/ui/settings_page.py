"""The Settings page: the library's identity, this desk's language, backups."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mediatheque.errors import InvalidValue, MediathequeError
from mediatheque.i18n import _, current_language
from mediatheque.settings import LibrarySettings, save_library_settings
from mediatheque.ui import dialogs
from mediatheque.ui.backups_panel import BackupsPanel
from mediatheque.ui.context import AppContext
from mediatheque.ui.library_form import LibraryForm
from mediatheque.ui.page import Page
from mediatheque.ui.widgets import LanguageCombo


class LibraryPanel(QGroupBox):
    """The library's identity, saved in the database for every desk."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._stored = LibrarySettings()
        self.form = LibraryForm(full=True)
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.revert_button = QPushButton()
        self.saved = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        self.form.changed.connect(self._changed)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.load)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Library"))
        self.save_button.setText(_("&Save"))
        self.revert_button.setText(_("&Undo changes"))
        self.form.retranslate()
        self.saved.clear()

    def load(self) -> None:
        self._stored = self._context.library()
        self.form.set_settings(self._stored)
        self.saved.clear()
        self._update_buttons()

    def save(self) -> None:
        try:
            with self._context.database.write() as session:
                stored = save_library_settings(session, self.form.settings())
        except InvalidValue as error:
            self.form.show_error(error)
            return
        except MediathequeError as error:
            dialogs.show_error(self, error)
            return
        self._stored = stored
        self.form.set_settings(stored)
        self._update_buttons()
        self.saved.setText(_("Saved."))
        self._context.events.library_changed.emit(stored)

    def has_changes(self) -> bool:
        return self.form.settings() != self._stored

    def _changed(self) -> None:
        self.saved.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        changed = self.has_changes()
        self.save_button.setEnabled(changed and self.form.is_acceptable())
        self.revert_button.setEnabled(changed)


class LanguagePanel(QGroupBox):
    """This desk's interface language, applied at once."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.label = QLabel()
        self.combo = LanguageCombo()
        self.label.setBuddy(self.combo)
        self.note = QLabel()
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.label, self.combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        self.combo.set_value(current_language())
        self.combo.currentIndexChanged.connect(self._chosen)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Language"))
        self.label.setText(_("Interface lan&guage on this desk:"))
        self.note.setText(_(
            "Each desk keeps its own choice. Letters to members are written in their "
            "language, or else in the library's."
        ))
        self.combo.blockSignals(True)
        self.combo.set_value(current_language())
        self.combo.blockSignals(False)

    def _chosen(self, _index: int) -> None:
        code = self.combo.value()
        if code != current_language():
            self._context.languages.apply(code, remember=True)


class SettingsPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.library = LibraryPanel(context)
        self.language = LanguagePanel(context)
        self.backups = BackupsPanel(context)

        content = QWidget()
        grid = QGridLayout(content)
        grid.addWidget(self.library, 0, 0)
        grid.addWidget(self.language, 1, 0)
        grid.addWidget(self.backups, 0, 1, 3, 1)
        grid.setRowStretch(2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        context.events.library_changed.connect(self._library_changed)
        self.refresh()

    def retranslate(self) -> None:
        self.library.retranslate()
        self.language.retranslate()
        self.backups.retranslate()

    def refresh(self) -> None:
        self.library.load()
        self.backups.set_zone(self.context.library().zone)

    def _library_changed(self, settings: LibrarySettings) -> None:
        self.backups.set_zone(settings.zone)

"""The Settings page, one tab per subject: the library and this desk's language, backups,
loans and the calendar, overdue notices, printing, reference catalogues, staff and privacy."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediatheque.errors import InvalidValue, MediathequeError
from mediatheque.i18n import _, current_language
from mediatheque.settings import LibrarySettings
from mediatheque.staff import change_library_settings
from mediatheque.ui import dialogs
from mediatheque.ui.backups_panel import BackupsPanel
from mediatheque.ui.calendar_panel import CalendarPanel
from mediatheque.ui.context import AppContext
from mediatheque.ui.library_form import LibraryForm
from mediatheque.ui.member_rules_panel import MemberRulesPanel
from mediatheque.ui.notices_panel import NoticesPanel
from mediatheque.ui.page import Page
from mediatheque.ui.printing_panel import PrintingPanel
from mediatheque.ui.reference_panel import ReferencePanel
from mediatheque.ui.staff_panel import PrivacyPanel, StaffPanel
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
                stored = change_library_settings(
                    session, self._context.actor, self.form.settings(),
                    now=self._context.clock(),
                )
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
        self.privacy = PrivacyPanel(context)
        self.staff = StaffPanel(context)
        self.printing = PrintingPanel(context)
        self.calendar = CalendarPanel(context)
        self.notices = NoticesPanel(context)
        self.references = ReferencePanel(context)
        self.member_rules = MemberRulesPanel(context)

        # One tab per subject: the page stays short, and each tab is its own set of
        # Alt+letter keys (the whole page could never give every label its own letter).
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._tab_names: list[Callable[[], str]] = []
        self._add_tab(lambda: _("Library"), self.library, self.language)
        self._add_tab(lambda: _("Backups"), self.backups)
        self._add_tab(lambda: _("Loans and calendar"), self.member_rules, self.calendar)
        self._add_tab(lambda: _("Overdue notices"), self.notices)
        self._add_tab(lambda: _("Printing"), self.printing)
        self._add_tab(lambda: _("Catalogues"), self.references)
        self._add_tab(lambda: _("Staff and privacy"), self.staff, self.privacy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self._retranslate_tabs()

        context.events.library_changed.connect(self._library_changed)
        self.refresh()

    def _add_tab(self, name: Callable[[], str], *panels: QWidget) -> None:
        content = QWidget()
        column = QVBoxLayout(content)
        for panel in panels:
            column.addWidget(panel)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.tabs.addTab(scroll, "")
        self._tab_names.append(name)

    def _retranslate_tabs(self) -> None:
        for index, name in enumerate(self._tab_names):
            self.tabs.setTabText(index, name())

    def show_tab_of(self, panel: QWidget) -> None:
        """Brings the tab holding `panel` to the front."""
        for index in range(self.tabs.count()):
            if self.tabs.widget(index).isAncestorOf(panel):
                self.tabs.setCurrentIndex(index)
                return

    def retranslate(self) -> None:
        self._retranslate_tabs()
        self.library.retranslate()
        self.language.retranslate()
        self.backups.retranslate()
        self.privacy.retranslate()
        self.staff.retranslate()
        self.printing.retranslate()
        self.calendar.retranslate()
        self.notices.retranslate()
        self.references.retranslate()
        self.member_rules.retranslate()

    def refresh(self) -> None:
        self.library.load()
        self.privacy.refresh()
        self.staff.refresh()
        self.printing.load()
        self.calendar.refresh()
        self.notices.load()
        self.references.refresh()
        self.member_rules.refresh()
        self.backups.set_zone(self.context.library().zone)

    def _library_changed(self, settings: LibrarySettings) -> None:
        self.backups.set_zone(settings.zone)

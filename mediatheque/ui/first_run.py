"""The first-run dialog: names the library and creates what a new library needs.

Choosing the language switches the dialog itself at once, so a librarian who does not read
French is not stuck on the first screen; it becomes this desk's interface language too.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediatheque.db import Database
from mediatheque.errors import InvalidValue, MediathequeError
from mediatheque.i18n import _, current_language
from mediatheque.library import initialise_library
from mediatheque.settings import LibrarySettings
from mediatheque.ui import dialogs
from mediatheque.ui.app import Languages, icon
from mediatheque.ui.library_form import LibraryForm


class FirstRunDialog(QDialog):
    def __init__(
        self, database: Database, languages: Languages, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._languages = languages
        self.stored: LibrarySettings | None = None

        self.logo = QLabel()
        self.logo.setPixmap(icon("mediatheque").pixmap(QSize(56, 56)))
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.form = LibraryForm(full=False)
        self.form.set_settings(LibrarySettings(language=current_language()))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        header = QGridLayout()
        header.setHorizontalSpacing(14)
        header.addWidget(self.logo, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.heading, 0, 1)
        header.addWidget(self.intro, 1, 1)
        header.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addSpacing(8)
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form.changed.connect(self._update_ok)
        self.form.language_chosen.connect(self._switch_language)
        self.retranslate()
        self._update_ok()
        self.form.name.setFocus()
        self.resize(600, self.sizeHint().height())

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Welcome to Médiathèque"))
        self.heading.setText(_("Welcome to Médiathèque"))
        self.intro.setText(_(
            "This is the first start with this database. Name the library: the name and "
            "the code appear on member cards, letters and exchanged catalogues. Everything "
            "can be changed later in Settings."
        ))
        self.ok_button.setText(_("Create the library"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Quit"))
        self.form.retranslate()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.form.is_acceptable())

    def _switch_language(self, code: str) -> None:
        if code != current_language():
            self._languages.apply(code, remember=True)
            self.retranslate()

    def accept(self) -> None:
        if not self.form.is_acceptable():
            return
        try:
            with self._database.write() as session:
                self.stored = initialise_library(session, self.form.settings())
        except InvalidValue as error:
            self.form.show_error(error)
            self._update_ok()
            return
        except MediathequeError as error:
            dialogs.show_error(self, error)
            return
        self._languages.apply(self.stored.language, remember=True)
        super().accept()

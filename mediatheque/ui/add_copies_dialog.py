"""Add copies to an existing record: the copies part of the editor, alone."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from mediatheque.catalogue.copies import add_copies
from mediatheque.errors import MediathequeError
from mediatheque.i18n import _
from mediatheque.messages import describe_error
from mediatheque.ui.context import AppContext
from mediatheque.ui.copies_form import CopiesForm
from mediatheque.ui.widgets import ErrorLabel


class AddCopiesDialog(QDialog):
    def __init__(
        self, context: AppContext, record_id: int, title: str,
        locations: list[tuple[str, str]], *, call_number: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.record_id = record_id
        self.barcodes: list[str] = []
        self.record_title = title
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.copies = CopiesForm(locations, context.clock().date(), count=1)
        self.copies.count.setMinimum(1)
        self.copies.suggest_call_number(call_number)
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.copies)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add copies"))
        self.heading.setText(_("New copies of “{title}”").format(title=self.record_title))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Add"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.copies.retranslate()

    def save(self) -> None:
        if not self.copies.is_acceptable():
            return
        try:
            with self.context.database.write() as session:
                self.barcodes = list(add_copies(
                    session, self.context.actor, self.record_id, self.copies.template(),
                    self.copies.count.value(), now=self.context.clock(),
                ))
        except MediathequeError as error:
            self.error.show_message(describe_error(error))
            return
        self.accept()

"""Edit one copy (barcode, call number, location, status, acquisition, price, notes) or
delete it. Deleting needs the Delete permission and is refused while the copy is on loan."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from mediatheque.catalogue.copies import copy_input, delete_copy, update_copy
from mediatheque.errors import MediathequeError
from mediatheque.i18n import _
from mediatheque.messages import describe_error
from mediatheque.permissions import Permission
from mediatheque.ui import dialogs
from mediatheque.ui.context import AppContext
from mediatheque.ui.copies_form import CopiesForm
from mediatheque.ui.widgets import ErrorLabel


class CopyEditorDialog(QDialog):
    """`deleted` or `saved_barcode` tell the caller what happened once the dialog closes."""

    def __init__(
        self, context: AppContext, barcode: str, title: str,
        locations: list[tuple[str, str]], parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.barcode = barcode
        self.record_title = title
        self.saved_barcode: str | None = None
        self.deleted = False
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.form = CopiesForm(locations, context.clock().date(), editing=True)
        with context.database.read() as session:
            self.form.load(copy_input(session, barcode))
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.delete_button = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.delete_button.setVisible(context.actor.can(Permission.DELETE))
        self.delete_button.clicked.connect(self.delete)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Edit a copy"))
        self.heading.setText(_("Copy {barcode} of “{title}”").format(
            barcode=self.barcode, title=self.record_title
        ))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("&Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.delete_button.setText(_("&Delete this copy"))
        self.form.retranslate()

    def save(self) -> None:
        if not self.form.is_acceptable():
            return
        try:
            with self.context.database.write() as session:
                self.saved_barcode = update_copy(
                    session, self.context.actor, self.barcode, self.form.template(),
                    now=self.context.clock(),
                )
        except MediathequeError as error:
            self.error.show_message(describe_error(error))
            return
        self.accept()

    def delete(self) -> None:
        if not dialogs.confirm(
            self, _("Delete a copy"),
            _("Delete the copy {barcode}? Its loan history is kept for the statistics.").format(
                barcode=self.barcode
            ),
            _("&Delete"),
        ):
            return
        try:
            with self.context.database.write() as session:
                delete_copy(session, self.context.actor, self.barcode, now=self.context.clock())
        except MediathequeError as error:
            self.error.show_message(describe_error(error))
            return
        self.deleted = True
        self.accept()

"""Every modal question the application asks, in one place.

Pages and start-up code call these functions rather than QMessageBox/QFileDialog directly,
so the texts and buttons stay consistent and the tests replace them (monkeypatch) instead
of blocking on a modal dialog.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from mediatheque.errors import MediathequeError
from mediatheque.i18n import _
from mediatheque.messages import describe_error


@dataclass(frozen=True)
class Choice:
    """One button of a question: `key` is returned when it is pressed."""

    key: str
    label: str
    accept: bool = False  # the affirmative button (Enter); otherwise it rejects (Escape)


def ask_choice(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: list[Choice],
    *,
    critical: bool = False,
    default: str | None = None,
) -> str:
    """Shows a message with one button per choice; returns the key of the one pressed.
    Escape or closing the box returns the first rejecting choice."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical if critical else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    buttons = {}
    for choice in choices:
        role = (
            QMessageBox.ButtonRole.AcceptRole if choice.accept
            else QMessageBox.ButtonRole.RejectRole
        )
        button = box.addButton(choice.label, role)
        buttons[button] = choice.key
        if choice.key == default:
            box.setDefaultButton(button)
    escape = next((c.key for c in choices if not c.accept), choices[-1].key)
    box.exec()
    return buttons.get(box.clickedButton(), escape)


def confirm(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    """Asks before doing something that cannot be undone; Cancel is the default."""
    choices = [Choice("yes", action, accept=True), Choice("no", _("Cancel"))]
    return ask_choice(parent, title, text, choices, default="no") == "yes"


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def show_error(parent: QWidget | None, error: MediathequeError | str, title: str = "") -> None:
    """A typed error (or a ready sentence) in a message box, translated."""
    text = describe_error(error) if isinstance(error, MediathequeError) else error
    QMessageBox.critical(parent, title or _("Médiathèque"), text)


def about(parent: QWidget | None, title: str, html: str) -> None:
    QMessageBox.about(parent, title, html)


def choose_file_to_open(
    parent: QWidget | None, title: str, folder: Path, filters: str
) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, title, str(folder), filters)
    return Path(name) if name else None

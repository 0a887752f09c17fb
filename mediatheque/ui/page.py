"""What a page of the main window is: a widget that can set its texts again and reload.

A page sets every visible text in `retranslate()` (called by the page itself when built,
then by the window after each language switch) and reloads what it shows from the
database in `refresh()` (called by the window when a restore replaced the database).
Pages are registered in mediatheque.ui.main_window.PAGES.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from mediatheque.ui.context import AppContext


class Page(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def retranslate(self) -> None:
        """Sets every text again in the current language."""

    def refresh(self) -> None:
        """Reloads what the page shows from the database."""

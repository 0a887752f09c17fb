"""Printing a PDF made by the core (a loan slip) through Qt's print dialog. The pages are
painted by print_preview.print_pdf, the same path as cards and labels."""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from mediatheque.ui.print_preview import print_pdf as paint_pages


def paint_pdf(printer: QPrinter, data: bytes) -> int:
    """Paints every page of the PDF on the printer; returns the number of pages."""
    return paint_pages(data, printer)


def print_pdf(parent: QWidget | None, data: bytes, title: str) -> bool:
    """Asks for a printer (Qt's dialog) and prints; False when the librarian cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setFullPage(True)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    paint_pdf(printer, data)
    return True

"""Preview of a PDF of cards or labels before printing, with page navigation, Print (Qt's
print dialog, each page rendered at the printer's own resolution) and Save as PDF.

Pages are rendered by PDFium (pypdfium2), the same engine the scannability tests decode,
so what is previewed and printed is what was proven to scan.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QEvent, QMarginsF, QObject, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mediatheque.i18n import _, ngettext
from mediatheque.printing.document import PrintResult
from mediatheque.printing.messages import describe_warning
from mediatheque.ui import dialogs

PREVIEW_DPI = 200
MAX_PRINT_DPI = 600


def render_page(pdf: bytes | pdfium.PdfDocument, index: int, dpi: float, *,
                crisp: bool = False) -> QImage:
    """One page as an image; `crisp` turns anti-aliasing of bars off (for printing, where
    each module is a whole number of printer dots)."""
    document = pdf if isinstance(pdf, pdfium.PdfDocument) else pdfium.PdfDocument(pdf)
    try:
        page = document[index]
        bitmap = page.render(scale=dpi / 72, no_smoothpath=crisp, prefer_bgrx=True)
        width, height = bitmap.width, bitmap.height
        image = QImage(bitmap.buffer, width, height, bitmap.stride,
                       QImage.Format.Format_RGB32).copy()
        page.close()
        return image
    finally:
        if document is not pdf:
            document.close()


def page_sizes_mm(pdf: bytes) -> list[tuple[float, float]]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [(w / 72 * 25.4, h / 72 * 25.4) for w, h in
                (document.get_page_size(index) for index in range(len(document)))]
    finally:
        document.close()


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Prints every page at the printer's resolution on paper of the PDF's page size;
    returns the number of pages printed."""
    sizes = page_sizes_mm(pdf)
    if not sizes:
        return 0
    width, height = sizes[0]
    printer.setFullPage(True)
    layout = QPageLayout(
        QPageSize(QSizeF(width, height), QPageSize.Unit.Millimeter, "",
                  QPageSize.SizeMatchPolicy.FuzzyMatch),
        QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    printer.setPageLayout(layout)
    dpi = min(max(printer.resolution(), 150), MAX_PRINT_DPI)
    document = pdfium.PdfDocument(pdf)
    painter = QPainter()
    if not painter.begin(printer):
        document.close()
        return 0
    try:
        for index in range(len(sizes)):
            if index:
                printer.newPage()
            image = render_page(document, index, dpi, crisp=True)
            target = printer.paperRect(QPrinter.Unit.DevicePixel)
            painter.drawImage(target, image)
    finally:
        painter.end()
        document.close()
    return len(sizes)


class PrintPreviewDialog(QDialog):
    def __init__(self, result: PrintResult, title: str, suggested_name: str,
                 parent: QWidget | None = None, *, summary: str = "") -> None:
        super().__init__(parent)
        self.result = result
        self.summary_text = summary
        self.suggested_name = suggested_name
        self.page = 0
        self.sizes = page_sizes_mm(result.pdf)
        self.pages = len(self.sizes)
        self.setWindowTitle(title)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setStyleSheet("background: #888; padding: 12px;")
        self.scroll = scroll = QScrollArea()
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.previous_button = QPushButton()
        self.next_button = QPushButton()
        self.page_label = QLabel()
        self.print_button = QPushButton()
        self.print_button.setDefault(True)
        self.save_button = QPushButton()
        self.close_button = QPushButton()
        navigation = QHBoxLayout()
        navigation.addWidget(self.previous_button)
        navigation.addWidget(self.page_label)
        navigation.addWidget(self.next_button)
        navigation.addStretch(1)
        navigation.addWidget(self.save_button)
        navigation.addWidget(self.print_button)
        navigation.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addLayout(navigation)
        self.previous_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        self.print_button.clicked.connect(self.print_pages)
        self.save_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.reject)
        self.retranslate()
        self.show_page(0)
        self.resize(760, 820)
        scroll.viewport().installEventFilter(self)

    def retranslate(self) -> None:
        self.previous_button.setText(_("◀ &Previous"))
        self.next_button.setText(_("&Next ▶"))
        self.print_button.setText(_("&Print…"))
        self.save_button.setText(_("&Save as PDF…"))
        self.close_button.setText(_("Close"))
        lines = [self.summary_text or self._count_text()]
        lines += [describe_warning(warning) for warning in self.result.warnings]
        self.summary.setText("\n".join(lines))
        self._update_page_label()

    def _count_text(self) -> str:
        return ngettext("{pages} page to print.", "{pages} pages to print.",
                        self.pages).format(pages=self.pages)

    def show_page(self, index: int) -> None:
        if not 0 <= index < self.pages:
            return
        self.page = index
        dpi = self._fitting_dpi(index) * self.devicePixelRatioF()
        image = render_page(self.result.pdf, index, dpi)
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.image.setPixmap(pixmap)
        self._update_page_label()

    def _fitting_dpi(self, index: int) -> float:
        """The whole page in the window (at most PREVIEW_DPI: no blurry enlargement)."""
        width_mm, height_mm = self.sizes[index]
        room = self.scroll.viewport().size()
        width, height = max(room.width() - 30, 100), max(room.height() - 30, 100)
        fitting = min(width / (width_mm / 25.4), height / (height_mm / 25.4))
        return max(30.0, min(float(PREVIEW_DPI), fitting))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize \
                and self.pages:
            self.show_page(self.page)  # the page follows the window's size
        return super().eventFilter(watched, event)

    def _update_page_label(self) -> None:
        self.page_label.setText(_("Page {page} of {pages}").format(page=self.page + 1,
                                                                   pages=self.pages))
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < self.pages - 1)

    def print_pages(self) -> bool:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        if not ask_printer(printer, self):
            return False
        print_pdf(self.result.pdf, printer)
        return True

    def save_pdf(self) -> Path | None:
        path = choose_pdf_path(self, self.suggested_name)
        if path is None:
            return None
        try:
            saved = self.result.write(path)
        except OSError as error:
            dialogs.show_error(self, _("Cannot write {path}: {problem}").format(
                path=path, problem=error.strerror or error))
            return None
        return saved


def ask_printer(printer: QPrinter, parent: QWidget) -> bool:
    """Qt's print dialog (tests replace this)."""
    dialog = QPrintDialog(printer, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted


def choose_pdf_path(parent: QWidget, suggested_name: str) -> Path | None:
    """Where to save the PDF (tests replace this)."""
    name, _filter = QFileDialog.getSaveFileName(
        parent, _("Save as PDF"), str(Path.home() / suggested_name), _("PDF files (*.pdf)"))
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

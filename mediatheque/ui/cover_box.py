"""The cover of the record being edited: from the lookup, from a file, or pasted; every
image is checked (decoded) before it is kept."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from mediatheque.catalogue.records import MAX_COVER_BYTES, image_type
from mediatheque.i18n import _
from mediatheque.ui import dialogs
from mediatheque.ui.widgets import ErrorLabel

PREVIEW = (110, 160)


@dataclass(frozen=True)
class Cover:
    data: bytes
    mime: str
    source: str  # 'lookup', 'file', 'clipboard' or the URL


def usable_image(data: bytes) -> tuple[bytes, str] | None:
    """The image as it will be stored (a BMP or TIFF becomes PNG) and its MIME type; None
    when Qt cannot decode the bytes as an image."""
    image = QImage()
    if not data or not image.loadFromData(data):
        return None
    mime = image_type(data)
    if mime is None:
        data = png_bytes(image)
        mime = "image/png"
    return data, mime


def png_bytes(image: QImage) -> bytes:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(array.data())


class CoverBox(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cover: Cover | None = None
        self.removed = False  # an existing cover was removed in this editing
        self.preview = QLabel()
        self.preview.setFixedSize(*PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.preview.setWordWrap(True)
        self.file_button = QPushButton()
        self.paste_button = QPushButton()
        self.remove_button = QPushButton()
        self.error = ErrorLabel()
        self.error.setMaximumWidth(PREVIEW[0] + 60)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        for button in (self.file_button, self.paste_button, self.remove_button):
            layout.addWidget(button)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.file_button.clicked.connect(self.choose_file)
        self.paste_button.clicked.connect(self.paste)
        self.remove_button.clicked.connect(self.remove)
        self.retranslate()
        self._show()

    def retranslate(self) -> None:
        self.file_button.setText(_("From a &file…"))
        self.paste_button.setText(_("Pa&ste"))
        self.remove_button.setText(_("Remo&ve"))
        self.file_button.setToolTip(_("Take the cover from an image file"))
        self.paste_button.setToolTip(_("Take the cover from an image copied in another program"))
        if self.cover is None:
            self.preview.setText(_("No cover"))

    def set_image(self, data: bytes, source: str) -> bool:
        """Keeps the image if it is one; otherwise says so and keeps the previous one."""
        usable = usable_image(data) if len(data) <= MAX_COVER_BYTES else None
        if usable is None:
            self.error.show_message(_("This is not an image that can be used as a cover."))
            return False
        self.error.show_message("")
        self.cover = Cover(usable[0], usable[1], source)
        self.removed = False
        self._show()
        self.changed.emit()
        return True

    def set_existing(self, cover: tuple[bytes, str] | None) -> None:
        self.cover = Cover(cover[0], cover[1], "") if cover else None
        self.removed = False
        self._show()

    def choose_file(self) -> None:
        chosen = dialogs.choose_file_to_open(
            self, _("Choose a cover image"), Path.home(),
            _("Images (*.jpg *.jpeg *.png *.gif *.webp *.bmp)") + ";;" + _("All files (*)"),
        )
        if chosen is None:
            return
        try:
            data = chosen.read_bytes()
        except OSError as error:
            self.error.show_message(str(error.strerror or error))
            return
        self.set_image(data, "file")

    def paste(self) -> None:
        mime_data = QGuiApplication.clipboard().mimeData()
        if mime_data is not None and mime_data.hasImage():
            image = QImage(mime_data.imageData())
            if not image.isNull():
                self.set_image(png_bytes(image), "clipboard")
                return
        if mime_data is not None and mime_data.hasUrls():
            local = [url.toLocalFile() for url in mime_data.urls() if url.isLocalFile()]
            if local:
                try:
                    self.set_image(Path(local[0]).read_bytes(), "file")
                    return
                except OSError:
                    pass
        self.error.show_message(_("The clipboard holds no image."))

    def remove(self) -> None:
        if self.cover is not None:
            self.cover = None
            self.removed = True
            self._show()
            self.changed.emit()

    def _show(self) -> None:
        pixmap = QPixmap()
        if self.cover is not None and pixmap.loadFromData(self.cover.data):
            self.preview.setPixmap(pixmap.scaled(
                *PREVIEW, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            ))
        else:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(_("No cover"))
        self.remove_button.setEnabled(self.cover is not None)

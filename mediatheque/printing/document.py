"""What cards and labels share: the PDF canvas, calibration, the logo, progress and the
result handed back (bytes, counts, warnings)."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from mediatheque import __version__
from mediatheque.errors import PrintingCancelled
from mediatheque.printing.settings import Calibration

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class PrintWarning:
    """Something printed differently from what was asked, e.g. `logo_missing` or
    `logo_unreadable` (the cards were printed without the logo)."""

    code: str
    path: str = ""


@dataclass(frozen=True)
class PrintResult:
    pdf: bytes
    count: int  # cards or labels
    pages: int
    warnings: tuple[PrintWarning, ...] = ()

    def write(self, path: Path) -> Path:
        """Writes the PDF next to `path` then renames it into place: never half a file."""
        path = Path(path)
        handle, temporary = tempfile.mkstemp(dir=path.parent or Path("."), prefix=".print-",
                                             suffix=".pdf")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(self.pdf)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path.resolve()


def new_canvas(buffer: io.BytesIO, page_size: tuple[float, float], title: str) -> Canvas:
    canvas = Canvas(buffer, pagesize=page_size, pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator(f"Médiathèque {__version__}")
    return canvas


def apply_calibration(canvas: Any, calibration: Calibration,
                      page_size: tuple[float, float]) -> None:
    """Offsets then scales around the page's centre (call inside saveState/restoreState)."""
    width, height = page_size
    canvas.translate(calibration.x_mm * mm, calibration.y_mm * mm)
    if calibration.scale_percent != 100.0:
        factor = calibration.scale_percent / 100.0
        canvas.translate(width / 2, height / 2)
        canvas.scale(factor, factor)
        canvas.translate(-width / 2, -height / 2)


@dataclass(frozen=True)
class Logo:
    path: str
    aspect: float  # width / height


def load_logo(path: str) -> tuple[Logo | None, PrintWarning | None]:
    """The logo file to draw, or None and a warning when it is missing or not an image."""
    if not path:
        return None, None
    if not Path(path).is_file():
        return None, PrintWarning("logo_missing", path)
    try:
        from PIL import Image

        with Image.open(path) as image:
            image.load()
            if image.width < 1 or image.height < 1:
                raise ValueError("empty image")
            aspect = image.width / image.height
    except Exception:  # any decoding failure: print without the logo
        return None, PrintWarning("logo_unreadable", path)
    return Logo(path, aspect), None


class Ticker:
    """Reports progress and honours Cancel between items."""

    def __init__(self, total: int, progress: Progress | None, cancelled: Cancelled | None):
        self.total = total
        self.done = 0
        self._progress = progress
        self._cancelled = cancelled

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise PrintingCancelled(self.done, self.total)

    def report(self) -> None:
        if self._progress is not None:
            self._progress(self.done, self.total)

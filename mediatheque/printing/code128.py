"""Code 128 drawn as vector rectangles, with exact control of the module width.

python-barcode encodes (it picks code sets B/C so that digits take half the room); we draw
the bars ourselves so that each module is a whole number of printer dots: 1/75 in (4 dots
at 300 dpi, 8 at 600, ≈2.7 at 203) by default, 1/100 in (3 dots at 300, 6 at 600, ≈2.03 at
203) when the barcode would not fit otherwise. Quiet zones of 10 modules on each side are
part of the width asked for, and nothing else is drawn there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from barcode.codex import Code128
from barcode.errors import BarcodeError
from reportlab.lib.units import inch, mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from mediatheque.errors import BarcodeTooWide, UnprintableBarcode

MODULES_WIDE = inch / 75  # ≈ 0.339 mm, in points
MODULES_NARROW = inch / 100  # ≈ 0.254 mm: the narrowest we print
MODULE_CHOICES = (MODULES_WIDE, MODULES_NARROW)
QUIET_MODULES = 10


@lru_cache(maxsize=4096)
def code128_pattern(code: str) -> str:
    """The modules of `code` as '1' (bar) and '0' (space), start to stop symbol included."""
    if not code or not code.isascii() or not code.isprintable():
        raise UnprintableBarcode(code)
    try:
        return "".join(Code128(code).build())
    except (BarcodeError, KeyError, ValueError) as error:
        raise UnprintableBarcode(code) from error


@lru_cache(maxsize=4096)
def _bars(pattern: str) -> tuple[tuple[int, int], ...]:
    """(first module, run length) of each bar."""
    runs = []
    start = -1
    for index, module in enumerate(pattern + "0"):
        if module == "1" and start < 0:
            start = index
        elif module == "0" and start >= 0:
            runs.append((start, index - start))
            start = -1
    return tuple(runs)


@dataclass(frozen=True)
class BarcodeFit:
    code: str
    module: float  # points
    modules: int  # symbol modules, quiet zones excluded

    @property
    def width(self) -> float:
        """Points, quiet zones included."""
        return (self.modules + 2 * QUIET_MODULES) * self.module


def fit_barcode(code: str, available: float) -> BarcodeFit:
    """The widest module that fits `available` points (quiet zones included)."""
    modules = len(code128_pattern(code))
    for module in MODULE_CHOICES:
        fit = BarcodeFit(code, module, modules)
        if fit.width <= available + 1e-6:
            return fit
    raise BarcodeTooWide(code, width_mm=fit.width / mm, available_mm=available / mm)


def draw_barcode(canvas: Any, fit: BarcodeFit, *, centre_x: float, bottom: float,
                 bar_height: float, font: str, font_size: float) -> None:
    """Bars centred on `centre_x`, the number in `font` under them, from `bottom` up.
    The area spans fit.width; the bars start QUIET_MODULES modules inside it."""
    pattern = code128_pattern(fit.code)
    left = centre_x - fit.modules * fit.module / 2
    text_gap = font_size * 0.35
    bar_bottom = bottom + font_size + text_gap
    path = canvas.beginPath()
    for first, length in _bars(pattern):
        path.rect(left + first * fit.module, bar_bottom, length * fit.module, bar_height)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.setFont(font, font_size)
    # digits sit on the baseline; descenders are not used by barcode numbers
    canvas.drawCentredString(centre_x, bottom + font_size * 0.2, fit.code)


def barcode_block_height(bar_height: float, font_size: float) -> float:
    """Total height drawn by draw_barcode."""
    return bar_height + font_size * 1.35


def text_width(text: str, font: str, size: float) -> float:
    return float(stringWidth(text, font, size))

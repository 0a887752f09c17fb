"""Copy labels on A4 sheets with a grid of labels (presets for common sheets, or custom),
starting at any position so that a partly used sheet can be finished. Pure rendering: the
data comes in as LabelData (label_batches.py reads it from the database)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.units import mm

from mediatheque.errors import InvalidValue, LabelStartBeyondSheet
from mediatheque.i18n import _
from mediatheque.pdf.fonts import pdf_fonts
from mediatheque.printing.cards import A4
from mediatheque.printing.code128 import barcode_block_height, draw_barcode, fit_barcode
from mediatheque.printing.document import (
    Cancelled,
    PrintResult,
    Progress,
    Ticker,
    apply_calibration,
    new_canvas,
)
from mediatheque.printing.settings import Calibration
from mediatheque.printing.text import ellipsize, fit_text

A4_WIDTH_MM, A4_HEIGHT_MM = 210.0, 297.0
MAX_CELLS = 30


@dataclass(frozen=True)
class LabelGrid:
    """Label sizes, the sheet's left and top margins and the gaps between labels, in mm."""

    columns: int
    rows: int
    label_width_mm: float
    label_height_mm: float
    left_mm: float
    top_mm: float
    column_gap_mm: float = 0.0
    row_gap_mm: float = 0.0

    @property
    def capacity(self) -> int:
        return self.columns * self.rows

    def validated(self) -> LabelGrid:
        """Raises InvalidValue for a grid that is impossible or does not fit on A4."""
        if not 1 <= self.columns <= MAX_CELLS:
            raise InvalidValue("columns", str(self.columns))
        if not 1 <= self.rows <= MAX_CELLS:
            raise InvalidValue("rows", str(self.rows))
        if not 20 <= self.label_width_mm <= A4_WIDTH_MM:
            raise InvalidValue("label_width_mm", str(self.label_width_mm))
        if not 12 <= self.label_height_mm <= A4_HEIGHT_MM:
            raise InvalidValue("label_height_mm", str(self.label_height_mm))
        for name in ("left_mm", "top_mm", "column_gap_mm", "row_gap_mm"):
            if getattr(self, name) < 0:
                raise InvalidValue(name, str(getattr(self, name)))
        width = (self.left_mm + self.columns * self.label_width_mm
                 + (self.columns - 1) * self.column_gap_mm)
        if width > A4_WIDTH_MM + 0.01:
            raise InvalidValue("columns", str(self.columns))
        height = (self.top_mm + self.rows * self.label_height_mm
                  + (self.rows - 1) * self.row_gap_mm)
        if height > A4_HEIGHT_MM + 0.01:
            raise InvalidValue("rows", str(self.rows))
        return self

    def cell(self, position: int) -> tuple[float, float]:
        """Bottom-left corner (points) of label `position` (0-based, left to right then
        top to bottom)."""
        row, column = divmod(position, self.columns)
        x = self.left_mm + column * (self.label_width_mm + self.column_gap_mm)
        top = self.top_mm + row * (self.label_height_mm + self.row_gap_mm)
        return x * mm, (A4_HEIGHT_MM - top - self.label_height_mm) * mm


LABEL_PRESETS: dict[str, LabelGrid] = {
    "3x8": LabelGrid(3, 8, 70.0, 37.0, left_mm=0.0, top_mm=0.5),
    "3x7": LabelGrid(3, 7, 63.5, 38.1, left_mm=7.2, top_mm=15.15, column_gap_mm=2.5),
    "4x10": LabelGrid(4, 10, 48.5, 25.4, left_mm=8.0, top_mm=21.5),
}


@dataclass(frozen=True)
class LabelData:
    barcode: str
    call_number: str


@dataclass(frozen=True)
class LabelOptions:
    short_name: str
    grid: LabelGrid = LABEL_PRESETS["3x8"]
    start: int = 1  # first position used on the first sheet, 1-based
    calibration: Calibration = field(default_factory=Calibration)


def check_start(grid: LabelGrid, start: int) -> None:
    if not 1 <= start <= grid.capacity:
        raise LabelStartBeyondSheet(start, grid.capacity)


def render_labels(labels: Sequence[LabelData], options: LabelOptions, *,
                  progress: Progress | None = None,
                  cancelled: Cancelled | None = None) -> PrintResult:
    grid = options.grid.validated()
    check_start(grid, options.start)
    style = _LabelStyle.for_grid(grid)
    for label in labels:  # fail before drawing anything
        fit_barcode(label.barcode, style.barcode_width)
    fonts = pdf_fonts()
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, A4, _("Copy labels"))
    ticker = Ticker(len(labels), progress, cancelled)
    position = options.start - 1
    pages = 0
    index = 0
    while index < len(labels):
        canvas.saveState()
        apply_calibration(canvas, options.calibration, A4)
        while position < grid.capacity and index < len(labels):
            ticker.check()
            x, y = grid.cell(position)
            canvas.saveState()
            canvas.translate(x, y)
            _draw_label(canvas, labels[index], options.short_name, style,
                        regular=fonts.regular, bold=fonts.bold)
            canvas.restoreState()
            position += 1
            index += 1
            ticker.done = index
        canvas.restoreState()
        canvas.showPage()
        pages += 1
        position = 0
        ticker.report()
    canvas.save()
    return PrintResult(buffer.getvalue(), len(labels), pages)


@dataclass(frozen=True)
class _LabelStyle:
    width: float
    height: float
    padding: float
    name_size: float
    call_size: float
    number_size: float
    bar_height: float
    barcode_width: float

    @classmethod
    def for_grid(cls, grid: LabelGrid) -> _LabelStyle:
        width, height = grid.label_width_mm * mm, grid.label_height_mm * mm
        small = grid.label_height_mm < 30
        padding = (1.8 if small else 3.0) * mm
        name_size, call_size, number_size = (6.0, 8.5, 7.0) if small else (7.0, 10.0, 8.0)
        text_height = (name_size + call_size) * 1.2 + 1.0 * mm
        room = height - 2 * padding - text_height
        bar_height = max(5 * mm, min(15 * mm, room - number_size * 1.35))
        return cls(width, height, padding, name_size, call_size, number_size, bar_height,
                   barcode_width=width - 2 * mm)


def _draw_label(canvas: Any, label: LabelData, short_name: str, style: _LabelStyle, *,
                regular: str, bold: str) -> None:
    text_width = style.width - 2 * style.padding
    top = style.height - style.padding
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(regular, style.name_size)
    canvas.drawString(style.padding, top - style.name_size * 0.9,
                      ellipsize(short_name, regular, style.name_size, text_width))
    if label.call_number:
        call = fit_text(label.call_number, font=bold, width=text_width,
                        max_size=style.call_size, min_size=6, max_lines=1)
        canvas.setFont(bold, call.size)
        canvas.drawString(style.padding,
                          top - style.name_size * 1.2 - style.call_size * 0.9, call.lines[0])
    block = barcode_block_height(style.bar_height, style.number_size)
    text_bottom = top - (style.name_size + style.call_size) * 1.2
    bottom = max(style.padding * 0.6, (text_bottom - 1 * mm - block) / 2 + style.padding / 2)
    fit = fit_barcode(label.barcode, style.barcode_width)
    draw_barcode(canvas, fit, centre_x=style.width / 2, bottom=bottom,
                 bar_height=style.bar_height, font=regular, font_size=style.number_size)

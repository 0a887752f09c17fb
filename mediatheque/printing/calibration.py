"""Test pages for calibrating a printer: a frame drawn exactly FRAME_MM inside each card
or label, with the calibration applied. Printed on the real card or sheet, the distance
from each edge to the frame shows how far to move (and how much to scale) the print."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.units import mm

from mediatheque.i18n import _
from mediatheque.pdf.fonts import pdf_fonts
from mediatheque.printing.cards import A4, CARD_HEIGHT, CARD_WIDTH
from mediatheque.printing.document import PrintResult, apply_calibration, new_canvas
from mediatheque.printing.labels import LabelGrid
from mediatheque.printing.settings import Calibration

FRAME_MM = 3.0


def card_test_page(calibration: Calibration) -> PrintResult:
    """One CR80 page: a frame 3 mm inside the card's edges and a cross at its centre."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (CARD_WIDTH, CARD_HEIGHT), _("Card printer test"))
    canvas.saveState()
    apply_calibration(canvas, calibration, (CARD_WIDTH, CARD_HEIGHT))
    _frame(canvas, 0, 0, CARD_WIDTH, CARD_HEIGHT)
    _legend(canvas, CARD_WIDTH / 2, CARD_HEIGHT / 2 - 12 * mm)
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return PrintResult(buffer.getvalue(), 1, 1)


def label_test_page(grid: LabelGrid, calibration: Calibration) -> PrintResult:
    """One A4 sheet: a frame 3 mm inside every label of `grid`."""
    grid = grid.validated()
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, A4, _("Label printer test"))
    canvas.saveState()
    apply_calibration(canvas, calibration, A4)
    width, height = grid.label_width_mm * mm, grid.label_height_mm * mm
    for position in range(grid.capacity):
        x, y = grid.cell(position)
        _frame(canvas, x, y, width, height)
    canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return PrintResult(buffer.getvalue(), grid.capacity, 1)


def _frame(canvas: Any, x: float, y: float, width: float, height: float) -> None:
    inset = FRAME_MM * mm
    canvas.setLineWidth(0.4)
    canvas.setStrokeColorRGB(0, 0, 0)
    canvas.rect(x + inset, y + inset, width - 2 * inset, height - 2 * inset)
    centre_x, centre_y = x + width / 2, y + height / 2
    arm = min(width, height) / 8
    canvas.line(centre_x - arm, centre_y, centre_x + arm, centre_y)
    canvas.line(centre_x, centre_y - arm, centre_x, centre_y + arm)


def _legend(canvas: Any, centre_x: float, y: float) -> None:
    canvas.setFont(pdf_fonts().regular, 6.5)
    canvas.drawCentredString(
        centre_x, y, _("Each side of the frame should be {mm} mm from the edge.").format(
            mm=f"{FRAME_MM:g}"))

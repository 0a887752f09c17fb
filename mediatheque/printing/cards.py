"""Member cards: CR80 (85.60 × 53.98 mm, one card per page, for card printers) or A4 sheets
of 10 cards (2 × 5, crop marks) for plain printers. Pure rendering: the data comes in as
CardData (card_batches.py reads it from the database)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from reportlab.lib.units import mm

from mediatheque.formatting import long_day
from mediatheque.i18n import _, language
from mediatheque.pdf.fonts import pdf_fonts
from mediatheque.printing.code128 import barcode_block_height, draw_barcode, fit_barcode
from mediatheque.printing.document import (
    Cancelled,
    Logo,
    PrintResult,
    Progress,
    Ticker,
    apply_calibration,
    load_logo,
    new_canvas,
)
from mediatheque.printing.settings import Calibration
from mediatheque.printing.text import ellipsize, fit_text

CARD_WIDTH = 85.60 * mm
CARD_HEIGHT = 53.98 * mm
A4 = (210 * mm, 297 * mm)
SHEET_COLUMNS, SHEET_ROWS = 2, 5
CARDS_PER_SHEET = SHEET_COLUMNS * SHEET_ROWS

MARGIN = 3.5 * mm
HEADER_HEIGHT = 10 * mm
LOGO_MAX_WIDTH = 18 * mm
BAR_HEIGHT = 9 * mm
NUMBER_SIZE = 8.0
BARCODE_BOTTOM = 2.5 * mm
CROP_GAP, CROP_LENGTH = 2 * mm, 6 * mm


class CardLayout(StrEnum):
    CR80 = "cr80"
    A4 = "a4"


@dataclass(frozen=True)
class CardData:
    barcode: str
    name: str
    category: str
    expiry: date
    language: str  # fr, ru, kk or en: the words and the date format on the card


@dataclass(frozen=True)
class CardOptions:
    library_name: str
    layout: CardLayout = CardLayout.CR80
    logo_path: str = ""
    calibration: Calibration = field(default_factory=Calibration)


def render_cards(cards: Sequence[CardData], options: CardOptions, *,
                 progress: Progress | None = None,
                 cancelled: Cancelled | None = None) -> PrintResult:
    """The PDF of `cards`. A missing or unreadable logo is left out, with a warning;
    a barcode that cannot be printed raises (BarcodeTooWide, UnprintableBarcode)."""
    fonts = pdf_fonts()
    for card in cards:  # fail before drawing anything
        fit_barcode(card.barcode, CARD_WIDTH - 4 * mm)
    logo, warning = load_logo(options.logo_path)
    warnings = (warning,) if warning else ()
    page_size = (CARD_WIDTH, CARD_HEIGHT) if options.layout == CardLayout.CR80 else A4
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, page_size, _("Member cards"))
    ticker = Ticker(len(cards), progress, cancelled)
    per_page = 1 if options.layout == CardLayout.CR80 else CARDS_PER_SHEET
    pages = 0
    for first in range(0, len(cards), per_page):
        canvas.saveState()
        apply_calibration(canvas, options.calibration, page_size)
        if options.layout == CardLayout.A4:
            _crop_marks(canvas)
        for index, card in enumerate(cards[first:first + per_page]):
            ticker.check()
            canvas.saveState()
            canvas.translate(*_card_origin(options.layout, index))
            _draw_card(canvas, card, options.library_name, logo, regular=fonts.regular,
                       bold=fonts.bold)
            canvas.restoreState()
            ticker.done += 1
        canvas.restoreState()
        canvas.showPage()
        pages += 1
        ticker.report()
    canvas.save()
    return PrintResult(buffer.getvalue(), len(cards), pages, warnings)


def sheet_origin() -> tuple[float, float]:
    """Bottom-left corner of the block of 2 × 5 cards, centred on A4."""
    return ((A4[0] - SHEET_COLUMNS * CARD_WIDTH) / 2, (A4[1] - SHEET_ROWS * CARD_HEIGHT) / 2)


def _card_origin(layout: CardLayout, index: int) -> tuple[float, float]:
    if layout == CardLayout.CR80:
        return 0.0, 0.0
    left, bottom = sheet_origin()
    row, column = divmod(index, SHEET_COLUMNS)
    return left + column * CARD_WIDTH, bottom + (SHEET_ROWS - 1 - row) * CARD_HEIGHT


def _crop_marks(canvas: Any) -> None:
    """Short lines in the margins along every cut, never over a card."""
    left, bottom = sheet_origin()
    right = left + SHEET_COLUMNS * CARD_WIDTH
    top = bottom + SHEET_ROWS * CARD_HEIGHT
    canvas.setLineWidth(0.3)
    canvas.setStrokeColorRGB(0, 0, 0)
    for column in range(SHEET_COLUMNS + 1):
        x = left + column * CARD_WIDTH
        canvas.line(x, bottom - CROP_GAP, x, bottom - CROP_GAP - CROP_LENGTH)
        canvas.line(x, top + CROP_GAP, x, top + CROP_GAP + CROP_LENGTH)
    for row in range(SHEET_ROWS + 1):
        y = bottom + row * CARD_HEIGHT
        canvas.line(left - CROP_GAP, y, left - CROP_GAP - CROP_LENGTH, y)
        canvas.line(right + CROP_GAP, y, right + CROP_GAP + CROP_LENGTH, y)


def _draw_card(canvas: Any, card: CardData, library_name: str, logo: Logo | None, *,
               regular: str, bold: str) -> None:
    header_bottom = CARD_HEIGHT - MARGIN - HEADER_HEIGHT
    text_left = MARGIN
    if logo is not None:
        width = min(LOGO_MAX_WIDTH, HEADER_HEIGHT * logo.aspect)
        height = width / logo.aspect
        canvas.drawImage(logo.path, MARGIN, header_bottom + (HEADER_HEIGHT - height) / 2,
                         width=width, height=height, mask="auto")
        text_left = MARGIN + width + 2.5 * mm
    canvas.setFillColorRGB(0, 0, 0)
    library = fit_text(library_name, font=bold, width=CARD_WIDTH - MARGIN - text_left,
                       max_size=10, min_size=7, wrap_max_size=8)
    _draw_lines(canvas, library.lines, bold, library.size, text_left,
                centre_y=header_bottom + HEADER_HEIGHT / 2)

    rule_y = header_bottom - 1.2 * mm
    canvas.setStrokeColorRGB(0.55, 0.55, 0.55)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, rule_y, CARD_WIDTH - MARGIN, rule_y)

    width = CARD_WIDTH - 2 * MARGIN
    name = fit_text(card.name, font=bold, width=width, max_size=13, min_size=8,
                    wrap_max_size=10.5)
    details_size = 8.0
    barcode_top = BARCODE_BOTTOM + barcode_block_height(BAR_HEIGHT, NUMBER_SIZE)
    details_top = barcode_top + 2.2 * mm + details_size * 2.2
    # the name is centred between the rule and the details, never over them
    name_area_top = rule_y - 1.2 * mm
    name_centre = (name_area_top + details_top + 1 * mm) / 2
    name_top = min(name_area_top, name_centre + len(name.lines) * name.size * 1.15 / 2)
    _draw_lines(canvas, name.lines, bold, name.size, MARGIN, top=name_top)

    with language(card.language):
        category = _("Category: {category}").format(category=card.category)
        expiry = _("Valid until {date}").format(
            date=long_day(card.expiry, card.language))
    canvas.setFont(regular, details_size)
    canvas.drawString(MARGIN, barcode_top + 2.2 * mm + details_size * 1.2,
                      ellipsize(category, regular, details_size, width))
    canvas.drawString(MARGIN, barcode_top + 2.2 * mm,
                      ellipsize(expiry, regular, details_size, width))

    fit = fit_barcode(card.barcode, CARD_WIDTH - 4 * mm)
    draw_barcode(canvas, fit, centre_x=CARD_WIDTH / 2, bottom=BARCODE_BOTTOM,
                 bar_height=BAR_HEIGHT, font=regular, font_size=NUMBER_SIZE)


def _draw_lines(canvas: Any, lines: Sequence[str], font: str, size: float, left: float, *,
                top: float | None = None, centre_y: float | None = None) -> None:
    leading = size * 1.15
    if top is None:
        assert centre_y is not None
        top = centre_y + len(lines) * leading / 2
    canvas.setFont(font, size)
    for index, line in enumerate(lines):
        # the baseline sits about 0.8 em under the top of the line box
        canvas.drawString(left, top - index * leading - size * 0.9, line)

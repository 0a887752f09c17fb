"""The loan slip: a small PDF for the member, in the member's language — the library, the
member, each title lent with its barcode and due date. 80 mm wide (a receipt printer) and as
long as the list; it prints as well on A4 at 100 %."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from mediatheque.formatting import long_day
from mediatheque.i18n import _, language, ngettext
from mediatheque.pdf.fonts import pdf_fonts

WIDTH = 80 * mm
MARGIN = 5 * mm
LINE = 4.2 * mm


@dataclass(frozen=True)
class SlipLine:
    title: str
    barcode: str
    due_on: date


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if stringWidth(candidate, font, size) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def _date(day: date) -> str:
    """In the language of the slip (called inside `with language(...)`): 22 ноября 2026 г."""
    return long_day(day)


def loan_slip_pdf(
    *, library_name: str, member_name: str, member_barcode: str, lines: Sequence[SlipLine],
    language_code: str, printed_on: date,
) -> bytes:
    """The slip as PDF bytes; `language_code` (the member's preferred language) chooses the
    language of its texts."""
    code = language_code or "fr"
    fonts = pdf_fonts()
    text_width = WIDTH - 2 * MARGIN
    with language(code):
        rows: list[tuple[str, float, str]] = []  # font, size, text
        for part in _wrap(library_name, fonts.bold, 10, text_width):
            rows.append((fonts.bold, 10, part))
        rows.append((fonts.regular, 8, _("Loan slip — {date}").format(date=_date(printed_on))))
        rows.append((fonts.regular, 8, ""))
        rows.append((fonts.bold, 9, member_name))
        rows.append((fonts.regular, 8, _("Card {barcode}").format(barcode=member_barcode)))
        rows.append((fonts.regular, 8, ""))
        for line in lines:
            for part in _wrap(line.title, fonts.bold, 9, text_width):
                rows.append((fonts.bold, 9, part))
            rows.append((fonts.regular, 8, _("{barcode} — due {date}").format(
                barcode=line.barcode, date=_date(line.due_on))))
            rows.append((fonts.regular, 4, ""))
        rows.append((fonts.regular, 8, ngettext("{n} copy", "{n} copies", len(lines)).format(
            n=len(lines))))
        rows.append((fonts.regular, 8, _("Thank you for bringing them back on time.")))
    height = 2 * MARGIN + LINE * len(rows)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(WIDTH, height))
    pdf.setTitle("Loan slip")
    y = height - MARGIN - LINE * 0.8
    for font, size, text in rows:
        if text:
            pdf.setFont(font, size)
            pdf.drawString(MARGIN, y, text)
        y -= LINE if size > 5 else LINE * 0.5
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()

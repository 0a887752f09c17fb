"""The embedded font of every PDF: DejaVu Sans has Latin, Cyrillic and the Kazakh letters
(Ә Ғ Қ Ң Ө Ұ Ү Һ І); reportlab's built-in Helvetica would print boxes for them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from mediatheque.paths import resources_dir


@dataclass(frozen=True)
class PdfFonts:
    regular: str
    bold: str


@cache
def pdf_fonts() -> PdfFonts:
    """Registers the fonts with reportlab once per process and returns their names."""
    folder = resources_dir() / "fonts"
    fonts = PdfFonts(regular="MediathequeSans", bold="MediathequeSans-Bold")
    pdfmetrics.registerFont(TTFont(fonts.regular, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(fonts.bold, str(folder / "DejaVuSans-Bold.ttf")))
    return fonts

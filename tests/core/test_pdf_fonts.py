"""The shipped font covers every letter our members' names use."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from mediatheque.paths import resources_dir
from mediatheque.pdf.fonts import pdf_fonts

KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
RUSSIAN = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
FRENCH = "àâæçéèêëîïôœùûüÿÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ"


def test_fonts_cover_kazakh_russian_and_french_letters() -> None:
    fonts = pdf_fonts()
    for name in (fonts.regular, fonts.bold):
        face = pdfmetrics.getFont(name).face
        missing = [c for c in KAZAKH + RUSSIAN + FRENCH if ord(c) not in face.charToGlyph]
        assert missing == [], f"{name} lacks {missing}"


def test_font_licence_is_shipped_beside_the_fonts() -> None:
    licence = resources_dir() / "fonts" / "LICENSE-DejaVu.txt"
    assert "Bitstream" in licence.read_text(encoding="utf-8")

"""The loan slip PDF: the embedded font (Kazakh letters survive), every title and due date,
and the member's language chosen for its texts."""

from __future__ import annotations

from datetime import date

import pypdfium2
import pytest

from mediatheque import i18n
from mediatheque.circulation.slip import SlipLine, loan_slip_pdf


def text_of(data: bytes) -> str:
    """The PDF's text, no-break spaces (Babel puts them in dates) read as spaces."""
    document = pypdfium2.PdfDocument(data)
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    return text.replace("\u202f", " ").replace("\xa0", " ")


def slip(language: str, lines: list[SlipLine]) -> bytes:
    return loan_slip_pdf(
        library_name="Médiathèque de l'Alliance Française d'Almaty",
        member_name="Айгерім Сәрсенова", member_barcode="100100000013", lines=lines,
        language_code=language, printed_on=date(2026, 3, 2),
    )


def test_the_slip_lists_titles_and_due_dates() -> None:
    lines = [SlipLine("Абай жолы: роман-эпопея в двух томах, издание второе", "100200000017",
                      date(2026, 3, 23)),
             SlipLine("Les Misérables", "100200000025", date(2026, 4, 1))]
    text = text_of(slip("kk", lines))
    for expected in ("Айгерім Сәрсенова", "Абай жолы", "100200000017", "2026 ж. 23 наурыз",
                     "Les Misérables", "2026 ж. 1 сәуір", "100100000013", "2026 ж. 2 наурыз"):
        assert expected in text
    assert "\ufffd" not in text


@pytest.mark.parametrize(("language", "due", "printed"), [
    ("fr", "23 mars 2026", "2 mars 2026"),
    ("ru", "23 марта 2026 г.", "2 марта 2026 г."),
    ("kk", "2026 ж. 23 наурыз", "2026 ж. 2 наурыз"),
    ("en", "23 March 2026", "2 March 2026"),
])
def test_dates_are_written_in_the_member_language(language: str, due: str, printed: str) -> None:
    text = text_of(slip(language, [SlipLine("Война и мир", "1", date(2026, 3, 23))]))
    assert due in text
    assert printed in text
    assert "23.03.2026" not in text
    assert "2026-03-23" not in text


def test_the_member_language_is_used_and_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = i18n.current_language

    def spy() -> str:
        seen.append(real())
        return real()

    monkeypatch.setattr(i18n, "current_language", spy)
    before = real()
    slip("ru", [SlipLine("Война и мир", "1", date(2026, 3, 23))])
    assert "ru" in seen
    assert real() == before


def test_an_empty_slip_still_renders() -> None:
    assert "0" in text_of(slip("en", []))

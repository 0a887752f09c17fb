"""Dates, numbers, money and percentages per language (mediatheque/formatting.py), and the
places that show them to people: refusal sentences, the overdue list workbook, the cards,
the CLI text — each in the reader's language, never ISO or `strftime`."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
from openpyxl import load_workbook

from mediatheque import formatting
from mediatheque.circulation.messages import refusal_sentence
from mediatheque.errors import LoanRefused
from mediatheque.i18n import language
from mediatheque.printing.cards import CardData, CardOptions, render_cards
from mediatheque.reports.overdue import OverdueLoan, OverdueMember
from mediatheque.reports.overdue_export import export_overdue

DAY = date(2026, 11, 22)


def plain(text: str) -> str:
    """Babel separates with no-break spaces; compare with ordinary ones."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.mark.parametrize(("code", "long", "short"), [
    ("fr", "22 novembre 2026", "22 nov. 2026"),
    ("ru", "22 ноября 2026 г.", "22 нояб. 2026 г."),
    ("kk", "2026 ж. 22 қараша", "2026 ж. 22 қар."),
    ("en", "22 November 2026", "22 Nov 2026"),
])
def test_days_in_each_language(code: str, long: str, short: str) -> None:
    assert plain(formatting.long_day(DAY, code)) == long
    assert plain(formatting.short_day(DAY, code)) == short
    with language(code):  # without a language: the current one
        assert plain(formatting.long_day(DAY)) == long


@pytest.mark.parametrize(("code", "month"), [
    ("fr", "Novembre 2026"), ("ru", "Ноябрь 2026"), ("kk", "Қараша 2026"),
    ("en", "November 2026"),
])
def test_month_names_are_capitalised(code: str, month: str) -> None:
    assert formatting.month_year(DAY, code) == month


@pytest.mark.parametrize(("code", "kzt", "eur", "big", "share"), [
    ("fr", "1 234,50 ₸", "1 234,50 €", "1 234 567", "12,5 %"),
    ("ru", "1 234,50 ₸", "1 234,50 €", "1 234 567", "12,5 %"),
    ("kk", "1 234,50 ₸", "1 234,50 €", "1 234 567", "12,5%"),
    ("en", "₸1,234.50", "€1,234.50", "1,234,567", "12.5%"),
])
def test_numbers_money_and_percentages(code: str, kzt: str, eur: str, big: str,
                                       share: str) -> None:
    assert plain(formatting.money(Decimal("1234.5"), "KZT", code)) == kzt
    assert plain(formatting.money(Decimal("1234.5"), "eur", code)) == eur
    assert plain(formatting.number(1234567, code)) == big
    assert plain(formatting.percent(0.125, code)) == share
    assert "KZT" not in formatting.money(1, "KZT", code)  # the sign people write


def test_amounts_for_input_fields_read_back() -> None:
    assert formatting.plain_decimal(Decimal("1234.5"), "fr") == "1234,50"
    assert formatting.plain_decimal(Decimal("1234.5"), "en") == "1234.50"
    assert formatting.decimal(12.25, 1, "ru") in ("12,2", "12,3")


def test_an_instant_is_shown_in_the_library_time_zone() -> None:
    instant = datetime(2026, 11, 22, 10, 40, tzinfo=UTC)
    assert plain(formatting.moment(instant, ZoneInfo("Asia/Almaty"), "fr")) == (
        "22 nov. 2026 15:40")
    assert plain(formatting.moment(instant, ZoneInfo("Asia/Tashkent"), "en")) == (
        "22 Nov 2026 15:40")


def test_unknown_or_regional_codes_fall_back_sensibly() -> None:
    assert formatting.locale_of("ru_RU") == "ru_RU"
    assert formatting.locale_of("xx") == "fr_FR"  # the default language


def test_sheet_formats() -> None:
    assert formatting.sheet_day_format("ru") == "dd.mm.yyyy"
    assert formatting.sheet_day_format("fr") == "dd/mm/yyyy"
    assert formatting.sheet_money_format("KZT") == '#,##0.00" ₸"'
    assert formatting.sheet_money_format("EUR") == '#,##0.00" €"'


@pytest.mark.parametrize(("code", "expected"), [
    ("ru", "22 ноября 2026 г."), ("kk", "2026 ж. 22 қараша"), ("fr", "22 novembre 2026"),
])
def test_refusal_sentences_write_dates_in_the_language(code: str, expected: str) -> None:
    refused = LoanRefused(reason="membership_expired", member_id=1, copy_barcode=None,
                          detail={"expired_on": "2026-11-22"})
    due = LoanRefused(reason="overdue_renewal", member_id=1, copy_barcode="C1",
                      detail={"due": "2026-11-22"})
    with language(code):
        for error in (refused, due):
            text = plain(refusal_sentence(error))
            assert expected in text and "2026-11-22" not in text


def test_a_refusal_with_an_unreadable_date_keeps_it() -> None:
    error = LoanRefused(reason="overdue_renewal", member_id=1, copy_barcode="C1",
                        detail={"due": "someday"})
    with language("en"):
        assert "someday" in refusal_sentence(error)


def _overdue_member() -> OverdueMember:
    loan = OverdueLoan(loan_id=1, copy_barcode="C1", record_id=None, title="Абай жолы",
                       media_type="book", loaned_at=datetime(2026, 10, 1, tzinfo=UTC),
                       due_on=date(2026, 11, 2), days_late=20, level_reached=2, level_sent=1)
    return OverdueMember(member_id=1, barcode="M1", first_name="Айгерім",
                         last_name="Сәрсенова", email=None, phone=None, address=None,
                         language="kk", category_id=1, category_name="Adulte", loans=(loan,))


def test_the_overdue_workbook_writes_dates_for_its_reader(tmp_path: Path) -> None:
    path = tmp_path / "overdue.xlsx"
    with language("kk"):
        export_overdue(path, [_overdue_member()], today=DAY)
    sheet = load_workbook(path).worksheets[0]
    assert "2026 ж. 22 қараша" in plain(str(sheet["A1"].value))
    due = next(cell for row in sheet.iter_rows(min_row=5) for cell in row
               if isinstance(cell.value, datetime))
    assert due.number_format == "dd.mm.yyyy"


def test_a_card_shows_its_expiry_in_the_member_language() -> None:
    card = CardData(barcode="100100000013", name="Айгерім Сәрсенова", category="Adulte",
                    expiry=date(2027, 1, 1), language="ru")
    result = render_cards([card], CardOptions("Médiathèque"))
    document = pypdfium2.PdfDocument(io.BytesIO(result.pdf))
    text = plain("".join(page.get_textpage().get_text_range() for page in document))
    assert "1 января 2027 г." in text

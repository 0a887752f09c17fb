"""Member cards: every barcode printed decodes at 203 and 300 dpi (CR80 and A4 sheets, with
calibration too), names never overflow, Kazakh prints, a bad logo only warns."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from sqlalchemy import select

from mediatheque.db import Database
from mediatheque.errors import (
    BarcodeTooWide,
    InvalidValue,
    NothingToPrint,
    PermissionDenied,
    PrintingCancelled,
    UnknownBarcode,
    UnprintableBarcode,
)
from mediatheque.library import initialise_library
from mediatheque.models import AuditEntry, MemberCategory
from mediatheque.pdf.fonts import pdf_fonts
from mediatheque.permissions import LOCAL_ADMIN, Actor
from mediatheque.printing.batches import CardSelection
from mediatheque.printing.cards import CardData, CardLayout, CardOptions, render_cards
from mediatheque.printing.code128 import QUIET_MODULES, code128_pattern, fit_barcode
from mediatheque.printing.service import print_member_cards
from mediatheque.printing.settings import (
    PrintingSettings,
    load_printing_settings,
    save_printing_settings,
    update_printing_settings,
)
from mediatheque.printing.text import ELLIPSIS, fit_text
from mediatheque.settings import LibrarySettings
from tests.conftest import NOW
from tests.core.printing_helpers import DPIS, add_member, decoded_texts, page_count, page_texts

KAZAKH_ONLY = "ӘҒҚҢӨҰҮҺІ әғқңөұүһі"
LONG_NAME = ("Жанұзақова-Әбдірахманова " * 9)[:200]
LOGO = Path(__file__).resolve().parents[2] / "resources" / "icons" / "mediatheque.png"
LIBRARIAN = Actor(login="lib", role="librarian")
DIRECTOR = Actor(login="dir", role="director")


def _cards(count: int) -> list[CardData]:
    names = ["Jean Dupont", KAZAKH_ONLY, LONG_NAME, "Айгерім Сәрсенова", "A"]
    languages = ["fr", "kk", "ru", "en"]
    return [CardData(barcode=f"1001{index:07d}{index % 10}", name=names[index % len(names)],
                     category="Adulte", expiry=date(2027, 6, 30),
                     language=languages[index % len(languages)]) for index in range(count)]


def _expected(cards: list[CardData]) -> list[str]:
    return sorted(card.barcode for card in cards)


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("layout", list(CardLayout))
def test_every_card_barcode_decodes(layout: CardLayout, dpi: int) -> None:
    cards = _cards(13)  # A4: one full sheet and a partial one
    result = render_cards(cards, CardOptions("Alliance Française d'Almaty", layout=layout,
                                             logo_path=str(LOGO)))
    assert decoded_texts(result.pdf, dpi) == _expected(cards)
    assert result.count == 13
    assert result.pages == page_count(result.pdf) == (13 if layout == CardLayout.CR80 else 2)
    assert result.warnings == ()


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("layout", list(CardLayout))
@pytest.mark.parametrize("calibration", [
    PrintingSettings(card_x_mm=2.5, card_y_mm=-1.5).card_calibration,
    PrintingSettings(card_x_mm=-3, card_y_mm=2, card_scale_percent=97).card_calibration,
    PrintingSettings(card_scale_percent=103).card_calibration,
], ids=["offset", "offset-shrink", "stretch"])
def test_cards_decode_with_calibration(layout: CardLayout, dpi: int, calibration) -> None:
    cards = _cards(10 if layout == CardLayout.A4 else 3)
    options = CardOptions("AF Astana", layout=layout, calibration=calibration)
    result = render_cards(cards, options)
    assert decoded_texts(result.pdf, dpi) == _expected(cards)


def test_kazakh_letters_are_printed_with_the_embedded_font() -> None:
    cards = [CardData("100100000011", KAZAKH_ONLY, "Ересек", date(2027, 1, 31), "kk")]
    result = render_cards(cards, CardOptions("Қазақстан кітапханасы"))
    text = page_texts(result.pdf)[0]
    assert KAZAKH_ONLY.split(maxsplit=1)[0] in text
    assert "Қазақстан" in text
    assert b"+DejaVuSans-Bold" in result.pdf  # the embedded subsets, not Helvetica
    assert b"+DejaVuSans" in result.pdf


def test_expiry_date_in_the_members_language() -> None:
    cards = [CardData("100100000011", "Jean", "Adulte", date(2027, 1, 31), "fr"),
             CardData("100100000029", "Иван", "Взрослый", date(2027, 1, 31), "ru")]
    first, second = page_texts(render_cards(cards, CardOptions("AF")).pdf)
    assert "31 janvier 2027" in first
    assert "31 января 2027" in second


def test_long_name_is_wrapped_and_ellipsized_within_the_card() -> None:
    font = pdf_fonts().bold
    width = 200.0
    fitted = fit_text(LONG_NAME, font=font, width=width, max_size=13, min_size=8,
                      wrap_max_size=10.5)
    assert fitted.truncated and fitted.size == 8
    assert len(fitted.lines) == 2 and fitted.lines[-1].endswith(ELLIPSIS)
    assert all(stringWidth(line, font, fitted.size) <= width for line in fitted.lines)
    result = render_cards([CardData("100100000011", LONG_NAME, "Adulte", date(2027, 1, 1),
                                    "kk")], CardOptions("AF"))
    assert decoded_texts(result.pdf, 300) == ["100100000011"]


def test_text_fitting_shrinks_then_wraps() -> None:
    font = pdf_fonts().bold
    short = fit_text("Jean Dupont", font=font, width=200, max_size=13, min_size=8)
    assert short.lines == ("Jean Dupont",) and short.size == 13
    medium_text = "Айгерім Жанұзақова-Әбдірахманова"
    full = stringWidth(medium_text, font, 13)
    shrunk = fit_text(medium_text, font=font, width=full * 0.8, max_size=13, min_size=8)
    assert len(shrunk.lines) == 1 and 8 <= shrunk.size < 13
    wrapped = fit_text(medium_text, font=font, width=full * 0.5, max_size=13, min_size=8,
                       wrap_max_size=10.5)
    assert wrapped.lines == ("Айгерім", "Жанұзақова-Әбдірахманова") and not wrapped.truncated
    word = fit_text("Ә" * 80, font=font, width=100, max_size=13, min_size=8)
    assert word.truncated and all(stringWidth(line, font, 8) <= 100 for line in word.lines)


def test_kazakh_only_name_fits() -> None:
    font = pdf_fonts().bold
    fitted = fit_text(KAZAKH_ONLY, font=font, width=220, max_size=13, min_size=8)
    assert " ".join(fitted.lines) == KAZAKH_ONLY
    assert all(stringWidth(line, font, fitted.size) <= 220 for line in fitted.lines)


@pytest.mark.parametrize("content", [None, b"not an image at all", b"\x89PNG\r\n\x1a\n\0\0"])
def test_missing_or_corrupt_logo_still_prints_with_a_warning(tmp_path: Path,
                                                             content: bytes | None) -> None:
    logo = tmp_path / "logo.png"
    if content is not None:
        logo.write_bytes(content)
    cards = _cards(2)
    result = render_cards(cards, CardOptions("AF", logo_path=str(logo)))
    assert [warning.code for warning in result.warnings] == [
        "logo_missing" if content is None else "logo_unreadable"]
    assert result.warnings[0].path == str(logo)
    assert decoded_texts(result.pdf, 203) == _expected(cards)


def test_module_width_and_quiet_zones() -> None:
    fit = fit_barcode("100100000011", 300.0)
    assert fit.module == pytest.approx(72 / 75)  # 1/75 in: 4 dots at 300 dpi, 8 at 600
    assert fit.width == pytest.approx((len(code128_pattern("100100000011"))
                                       + 2 * QUIET_MODULES) * 72 / 75)
    narrow = fit_barcode("100100000011", fit.width - 1)
    assert narrow.module == pytest.approx(72 / 100)  # 1/100 in: 3 dots at 300, 6 at 600
    with pytest.raises(BarcodeTooWide) as raised:
        fit_barcode("X" * 40, 150.0)
    assert raised.value.barcode == "X" * 40


@pytest.mark.parametrize("code", ["АБВ-1", "", "tab\there"])
def test_unprintable_barcode(code: str) -> None:
    with pytest.raises(UnprintableBarcode):
        render_cards([CardData(code, "A", "B", date(2027, 1, 1), "fr")], CardOptions("AF"))


def test_cancel_stops_rendering() -> None:
    calls: list[int] = []
    with pytest.raises(PrintingCancelled) as raised:
        render_cards(_cards(30), CardOptions("AF", layout=CardLayout.A4),
                     progress=lambda done, total: calls.append(done),
                     cancelled=lambda: len(calls) >= 1)
    assert raised.value.done == 10 and raised.value.total == 30


def _library(database: Database) -> None:
    with database.write() as session:
        initialise_library(session, LibrarySettings(name="Alliance Française d'Almaty",
                                                    code="KZ-ALA"))


def test_batches_from_the_database(database: Database) -> None:
    _library(database)
    with database.write() as session:
        add_member(session, "100100000011", first="Әсел", last="Қанатқызы",
                   created=datetime(2026, 10, 1, tzinfo=UTC))
        add_member(session, "100100000029", first="Jean", last="Dupont", language="fr",
                   category="CHILD", created=datetime(2026, 11, 20, 18, 59, tzinfo=UTC))
        add_member(session, "OLD-CARD-7", first="Иван", last="Петров", language="ru",
                   created=datetime(2026, 11, 20, 20, tzinfo=UTC))
        add_member(session, "100100000037", status="blocked",
                   created=datetime(2026, 11, 21, tzinfo=UTC))
        child = session.scalar(select(MemberCategory.id).where(MemberCategory.code == "CHILD"))
    cases = {
        CardSelection(barcodes=("OLD-CARD-7", "100100000011")): ["100100000011", "OLD-CARD-7"],
        CardSelection(all_members=True): ["100100000011", "100100000029", "OLD-CARD-7"],
        # 2026-11-21 starts at 2026-11-20 19:00 UTC in Almaty (UTC+5)
        CardSelection(registered_since=date(2026, 11, 21)): ["OLD-CARD-7"],
        CardSelection(category_id=child): ["100100000029"],
    }
    with database.read() as session:
        for selection, expected in cases.items():
            result = print_member_cards(session, LIBRARIAN, selection, layout=CardLayout.A4)
            assert decoded_texts(result.pdf, 203) == expected, selection
            assert result.count == len(expected)
        text = page_texts(print_member_cards(
            session, LIBRARIAN, CardSelection(barcodes=("100100000011",))).pdf)[0]
    assert "Alliance Française d'Almaty" in text and "Әсел Қанатқызы" in text


def test_batch_errors(database: Database) -> None:
    _library(database)
    with database.write() as session:
        add_member(session, "100100000011")
    with database.read() as session:
        with pytest.raises(UnknownBarcode) as raised:
            print_member_cards(session, LIBRARIAN, CardSelection(barcodes=("NOPE",)))
        assert raised.value.barcode == "NOPE"
        with pytest.raises(NothingToPrint):
            print_member_cards(session, LIBRARIAN,
                               CardSelection(registered_since=date(2030, 1, 1)))
        with pytest.raises(NothingToPrint):
            print_member_cards(session, LIBRARIAN, CardSelection())
        with pytest.raises(PermissionDenied):
            print_member_cards(session, DIRECTOR, CardSelection(all_members=True))


def test_settings_logo_and_calibration_are_used(database: Database, tmp_path: Path) -> None:
    _library(database)
    with database.write() as session:
        add_member(session, "100100000011")
        save_printing_settings(session, PrintingSettings(
            logo_path=str(tmp_path / "gone.png"), card_layout="a4", card_x_mm=4,
            card_y_mm=-3, card_scale_percent=98))
    with database.read() as session:
        result = print_member_cards(session, LIBRARIAN, CardSelection(all_members=True))
    assert [w.code for w in result.warnings] == ["logo_missing"]
    assert result.pages == 1
    for dpi in DPIS:
        assert decoded_texts(result.pdf, dpi) == ["100100000011"]


def test_printing_settings_validation_and_audit(database: Database) -> None:
    _library(database)
    assert load_printing_settings_default(database) == PrintingSettings()
    bad = [PrintingSettings(card_x_mm=25), PrintingSettings(label_scale_percent=50),
           PrintingSettings(card_layout="a5"), PrintingSettings(label_preset="9x9")]
    for settings in bad:
        with pytest.raises(InvalidValue), database.write() as session:
            update_printing_settings(session, LOCAL_ADMIN, settings, now=NOW)
    wanted = PrintingSettings(card_x_mm=1.5, label_y_mm=-2, label_preset="4x10")
    with database.write() as session:
        update_printing_settings(session, LIBRARIAN, wanted, now=NOW)
    with database.read() as session:
        assert load_printing_settings(session) == wanted
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "printing_settings")).one()
        assert "card_x_mm" in str(entry.details)
    with pytest.raises(PermissionDenied), database.write() as session:
        update_printing_settings(session, DIRECTOR, replace(wanted, label_x_mm=1), now=NOW)


def load_printing_settings_default(database: Database) -> PrintingSettings:
    with database.read() as session:
        return load_printing_settings(session)


def test_calibration_test_pages_move_with_the_calibration() -> None:
    import pypdfium2 as pdfium

    from mediatheque.printing.calibration import card_test_page, label_test_page
    from mediatheque.printing.labels import LABEL_PRESETS
    from mediatheque.printing.settings import Calibration

    def ink_box(pdf: bytes) -> tuple[int, int, int, int]:
        image = pdfium.PdfDocument(pdf)[0].render(scale=300 / 72, grayscale=True).to_pil()
        box = image.point(lambda value: 255 if value < 128 else 0).getbbox()
        assert box is not None
        return box

    still = ink_box(card_test_page(Calibration()).pdf)
    moved = ink_box(card_test_page(Calibration(x_mm=2, y_mm=1)).pdf)
    dots = 300 / 25.4
    assert moved[0] - still[0] == pytest.approx(2 * dots, abs=2)  # right by 2 mm
    assert still[1] - moved[1] == pytest.approx(1 * dots, abs=2)  # up by 1 mm
    assert still[0] == pytest.approx(3 * dots, abs=2)  # the frame is 3 mm from the edge
    sheet = label_test_page(LABEL_PRESETS["3x7"], Calibration(scale_percent=98))
    assert sheet.count == 21 and sheet.pages == 1

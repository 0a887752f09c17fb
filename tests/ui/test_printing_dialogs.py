"""Printing cards and labels from the window: the dialogs, the preview, printing through
Qt (the printed output decodes too) and the Printing settings panel."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from mediatheque.printing.cards import CardData, CardOptions, render_cards
from mediatheque.printing.labels import LABEL_PRESETS
from mediatheque.printing.settings import PrintingSettings, load_printing_settings
from mediatheque.ui import card_printing, label_printing, print_batch, print_preview
from mediatheque.ui.card_printing import CardPrintingDialog, open_card_printing
from mediatheque.ui.context import AppContext
from mediatheque.ui.label_printing import LabelPrintingDialog
from mediatheque.ui.print_preview import PrintPreviewDialog, print_pdf
from mediatheque.ui.printing_panel import PrintingPanel
from tests.core.printing_helpers import add_copies, add_member, decoded_texts, page_count

CREATED = datetime(2026, 3, 1, 8, tzinfo=UTC)


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[PrintPreviewDialog]:
    shown: list[PrintPreviewDialog] = []

    def run(dialog: object) -> int:
        if isinstance(dialog, PrintPreviewDialog):
            shown.append(dialog)
        return 0

    monkeypatch.setattr(print_batch, "run_dialog", run)
    monkeypatch.setattr(card_printing, "run_dialog", run)
    monkeypatch.setattr(label_printing, "run_dialog", run)
    return shown


@pytest.fixture
def members(context: AppContext) -> list[int]:
    with context.database.write() as session:
        return [add_member(session, f"10010000{index:03d}{index % 10}", first=first,
                           created=CREATED)
                for index, first in enumerate(["Әсел", "Jean", "Иван"])]


def test_card_dialog_previews_the_chosen_members(
        qtbot: QtBot, context: AppContext, members: list[int],
        previews: list[PrintPreviewDialog]) -> None:
    dialog = open_card_printing(None, context, members[:2])
    qtbot.add_widget(dialog)
    assert dialog.given.isChecked() and dialog.cr80.isChecked()
    dialog.preview_button.click()
    assert len(previews) == 1
    preview = previews[0]
    qtbot.add_widget(preview)
    assert preview.pages == 2 and preview.page_label.text()
    assert not preview.previous_button.isEnabled()
    preview.next_button.click()
    assert preview.page == 1 and not preview.next_button.isEnabled()
    assert sorted(decoded_texts(preview.result.pdf, 203)) == ["100100000000", "100100000011"]
    assert preview.image.pixmap() is not None and not preview.image.pixmap().isNull()


def test_card_dialog_batches_and_saves(
        qtbot: QtBot, context: AppContext, members: list[int], *, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, previews: list[PrintPreviewDialog]) -> None:
    dialog = CardPrintingDialog(context)
    qtbot.add_widget(dialog)
    assert not dialog.given.isVisibleTo(dialog) and dialog.since.isChecked()
    dialog.a4.setChecked(True)
    dialog.everyone.setChecked(True)
    target = tmp_path / "cards"
    monkeypatch.setattr(print_batch, "choose_pdf_path", lambda *_a: target.with_suffix(".pdf"))
    dialog.save_button.click()
    assert dialog.saved_path == target.with_suffix(".pdf").resolve()
    pdf = dialog.saved_path.read_bytes()
    assert page_count(pdf) == 1 and len(decoded_texts(pdf, 300)) == 3
    dialog.since.setChecked(True)
    dialog.since_date.setDate(dialog.since_date.date().addYears(3))
    dialog.preview_button.click()
    assert previews == [] and dialog.status.text()  # nothing to print, said plainly
    assert dialog.preview_button.isEnabled()


def test_printing_through_qt_keeps_every_barcode_readable(qtbot: QtBot, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    cards = [CardData(f"10010000{index:03d}1", "Әсел Қанатқызы", "Adulte", date(2027, 1, 1),
                      "kk") for index in range(3)]
    result = render_cards(cards, CardOptions("AF"))
    preview = PrintPreviewDialog(result, "Cards", "cards.pdf")
    qtbot.add_widget(preview)
    output = tmp_path / "printed.pdf"

    def ask(printer: QPrinter, _parent: object) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(output))
        printer.setResolution(300)
        return True

    monkeypatch.setattr(print_preview, "ask_printer", ask)
    assert preview.print_pages()
    printed = output.read_bytes()
    assert page_count(printed) == 3
    for dpi in (203, 300):
        assert decoded_texts(printed, dpi) == sorted(card.barcode for card in cards)


def test_print_pdf_counts_pages(tmp_path: Path) -> None:
    result = render_cards([CardData("100100000011", "A", "B", date(2027, 1, 1), "fr")],
                          CardOptions("AF"))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "out.pdf"))
    assert print_pdf(result.pdf, printer) == 1


@pytest.fixture
def copies(context: AppContext) -> list[str]:
    codes = ["100200000015", "100200000023", "100200000031"]
    with context.database.write() as session:
        add_copies(session, codes, created=CREATED)
    return codes


def test_label_dialog_start_position_and_preview(
        qtbot: QtBot, context: AppContext, copies: list[str],
        previews: list[PrintPreviewDialog]) -> None:
    dialog = LabelPrintingDialog(context, copies)
    qtbot.add_widget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.preset.currentData() == "3x8" and dialog.start.maximum() == 24
    # clicking the fifth label of the diagram starts there
    diagram = dialog.diagram
    cell = diagram._cell_rect(diagram._sheet_rect(), 4).center()
    qtbot.mouseClick(diagram, Qt.MouseButton.LeftButton, pos=QPointF(cell).toPoint())
    assert dialog.start.value() == 5 and diagram.start == 5
    dialog.preset.setCurrentIndex(dialog.preset.findData("4x10"))
    assert dialog.start.maximum() == 40
    dialog.preview_button.click()
    assert len(previews) == 1
    qtbot.add_widget(previews[0])
    assert decoded_texts(previews[0].result.pdf, 203) == sorted(copies)


def test_label_dialog_custom_grid_and_since(
        qtbot: QtBot, context: AppContext, copies: list[str],
        previews: list[PrintPreviewDialog]) -> None:
    dialog = LabelPrintingDialog(context)
    qtbot.add_widget(dialog)
    assert dialog.since.isChecked()
    dialog.preset.setCurrentIndex(dialog.preset.findData(label_printing.CUSTOM))
    assert dialog.columns.isEnabled()
    dialog.columns.setValue(5)  # 5 × 70 mm does not fit on A4
    assert not dialog.preview_button.isEnabled() and "A4" in dialog.start_hint.text()
    dialog.columns.setValue(2)
    dialog.rows.setValue(4)
    assert dialog.preview_button.isEnabled() and dialog.start.maximum() == 8
    dialog.since_date.setDate(dialog.since_date.date().addYears(-1))
    dialog.preview_button.click()
    assert len(previews) == 1
    qtbot.add_widget(previews[0])
    assert decoded_texts(previews[0].result.pdf, 300) == sorted(copies)


def test_catalogue_page_prints_the_records_labels(
        qtbot: QtBot, context: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from mediatheque.ui.catalogue_page import CataloguePage
    from tests.ui.catalogue_helpers import build_catalogue

    records = build_catalogue(context.database, context.clock())
    opened: list[tuple[tuple[str, ...], object]] = []
    monkeypatch.setattr(label_printing, "open_label_printing",
                        lambda _parent, _context, barcodes=(), since=None:
                        opened.append((tuple(barcodes), since)))
    page = CataloguePage(context)
    qtbot.add_widget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    row = page.model.row_of(records["Война и мир"])
    assert row is not None
    page.table.selectRow(row)
    qtbot.waitUntil(lambda: page.detail.detail is not None)
    assert page.labels_action.isEnabled()
    page.labels_action.trigger()
    page.labels_since_action.trigger()
    expected = tuple(line.barcode for line in page.detail.detail.copies)
    assert len(expected) == 3
    assert opened == [(expected, None), ((), None)]


def test_printing_settings_panel(qtbot: QtBot, context: AppContext) -> None:
    panel = PrintingPanel(context)
    qtbot.add_widget(panel)
    panel.load()
    assert not panel.save_button.isEnabled()
    panel.card_x.setValue(2.5)
    panel.label_scale.setValue(98)
    panel.preset_combo.setCurrentIndex(panel.preset_combo.findData("4x10"))
    panel.logo.setText("/nowhere/logo.png")
    assert panel.save_button.isEnabled()
    panel.save_button.click()
    with context.database.read() as session:
        stored = load_printing_settings(session)
    assert stored == PrintingSettings(logo_path="/nowhere/logo.png", card_x_mm=2.5,
                                      label_scale_percent=98, label_preset="4x10")
    assert not panel.save_button.isEnabled()
    assert LABEL_PRESETS["4x10"].capacity == 40


def test_members_page_opens_card_printing(qtbot: QtBot, context: AppContext,
                                          members: list[int],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from mediatheque.ui.members_page import MembersPage

    shown: list[CardPrintingDialog] = []
    monkeypatch.setattr(card_printing, "run_dialog", shown.append)
    page = MembersPage(context)
    qtbot.add_widget(page)
    assert MembersPage.card_printer is not None
    MembersPage.card_printer(page, members[:1])
    assert len(shown) == 1 and shown[0].member_ids == tuple(members[:1])
    qtbot.add_widget(shown[0])
    assert shown[0].given.isChecked()


def test_printing_panel_test_pages(qtbot: QtBot, context: AppContext,
                                   previews: list[PrintPreviewDialog]) -> None:
    panel = PrintingPanel(context)
    qtbot.add_widget(panel)
    panel.load()
    panel.card_x.setValue(1.0)
    panel.card_test_button.click()
    panel.label_test_button.click()
    assert [dialog.pages for dialog in previews] == [1, 1]
    assert previews[0].result.count == 1 and previews[1].result.count == 24

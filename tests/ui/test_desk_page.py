"""The loan desk page, driven as a librarian would: scans (through the scan capture or the
scan field) and shortcuts; the runner is synchronous."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mediatheque.barcodes import BarcodeKind, make_barcode
from mediatheque.circulation import place_hold
from mediatheque.i18n import _
from mediatheque.models import Loan, ReplacedCard
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.scanning import KAZAKH, Keymap
from mediatheque.ui.context import AppContext
from mediatheque.ui.desk_page import DeskPage
from mediatheque.ui.scan_capture import ScanCapture
from tests.core.circulation_world import add_member, add_record
from tests.ui.scan_helpers import FakeClock, play, scanner_events

ALICE = make_barcode("100", BarcodeKind.MEMBER, 1)
BORIS = make_barcode("100", BarcodeKind.MEMBER, 2)
OLD_CARD = make_barcode("100", BarcodeKind.MEMBER, 3)
C1, C2, C3, D1, REF = (make_barcode("100", BarcodeKind.COPY, n) for n in range(1, 6))
ISBN = "9782070360024"


@dataclass
class Library:
    alice: int
    boris: int
    hugo: int


@pytest.fixture
def library(context: AppContext) -> Library:
    with context.database.write() as session:
        alice = add_member(session, ALICE, first="Alice", last="Durand")
        boris = add_member(session, BORIS, first="Борис", last="Ким")
        session.add(ReplacedCard(barcode=OLD_CARD, member_id=alice,
                                 replaced_at=context.clock()))
        hugo = add_record(session, "Les Misérables", (C1, C2))
        add_record(session, "Germinal", (C3,))
        add_record(session, "Amélie", (D1,), media_type="dvd")
        add_record(session, "Le Petit Robert", (REF,), status="reference")
    return Library(alice, boris, hugo)


class MsClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 2500.0  # each scan comes 2.5 s after the previous one
        return self.now


@pytest.fixture
def page(qtbot: QtBot, context: AppContext, library: Library) -> Iterator[DeskPage]:
    made = DeskPage(context, ms_clock=MsClock())
    made.beeps = 0  # type: ignore[attr-defined]

    def beep() -> None:
        made.beeps += 1  # type: ignore[attr-defined]

    made.beep = beep
    qtbot.addWidget(made)
    with qtbot.wait_exposed(made):
        made.show()
    made.activateWindow()
    made.field.setFocus()
    yield made
    made.capture.remove()


def open_loans(context: AppContext, member_id: int) -> int:
    with context.database.read() as session:
        return session.scalar(select(func.count()).select_from(Loan).where(
            Loan.member_id == member_id, Loan.returned_at.is_(None))) or 0


def press(qtbot: QtBot, page: DeskPage, key: Qt.Key,
          modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(page.field, key, modifier)


def test_a_full_desk_session(
    qtbot: QtBot, page: DeskPage, context: AppContext, library: Library, tmp_path: Path,
) -> None:
    # The member's card opens the member.
    page.scan(ALICE)
    assert page.member is not None and page.member.member_id == library.alice
    assert page.member_view.name.text() == "Alice Durand"
    assert "Alice Durand" in page.mode.text()
    # Three loans, with their due dates on screen.
    for code in (C1, C3, D1):
        page.scan(code)
    assert open_loans(context, library.alice) == 3
    assert page.member_view.loans.rowCount() == 3
    assert page.banner.kind == "ok" and "Amélie" in page.banner.text()
    assert page.totals.loans == 3
    # A refusal: red banner, a beep, counted; then overridden with a reason (Ctrl+O).
    page.scan(REF)
    assert page.banner.kind == "refused" and "Ctrl+O" in page.banner.text()
    assert page.beeps == 1  # type: ignore[attr-defined]
    assert page.totals.refusals == 1 and open_loans(context, library.alice) == 3
    assert page.queue_view.item(0).text().startswith("✗")
    asked: list[str] = []
    page.ask_reason = lambda refusal: asked.append(refusal) or "dictionary for the exam"
    press(qtbot, page, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert asked and open_loans(context, library.alice) == 4
    assert page.banner.kind == "ok"
    # F4 renews them all.
    press(qtbot, page, Qt.Key.Key_F4)
    assert page.totals.renewals + page.totals.refusals > 1
    # The loan slip: printed (Ctrl+P) or saved (Ctrl+Shift+P), in the member's language.
    printed: list[bytes] = []
    page.print_pdf = lambda data: printed.append(data) or True
    press(qtbot, page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(printed) == 1 and printed[0].startswith(b"%PDF")
    slip = tmp_path / "slip.pdf"
    page.choose_slip_path = lambda: slip
    press(qtbot, page, Qt.Key.Key_P,
          Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert slip.read_bytes().startswith(b"%PDF")
    # Boris waits for Les Misérables; F3 and the returns: C1 is put aside for him.
    with context.database.write() as session:
        place_hold(session, LOCAL_ADMIN, member_id=library.boris, record_id=library.hugo,
                   now=context.clock())
    press(qtbot, page, Qt.Key.Key_F3)
    assert page.return_mode and page.mode.text() == _("RETURNS")
    page.scan(C1)
    assert "Борис Ким" in page.banner.text() and page.banner.kind == "attention"
    page.scan(C3)
    assert open_loans(context, library.alice) == 2
    assert page.totals.returns == 2
    # Esc closes the member; the session summary keeps what happened.
    press(qtbot, page, Qt.Key.Key_F3)
    press(qtbot, page, Qt.Key.Key_Escape)
    assert page.member is None
    assert page.member_view.name.text() != "Alice Durand"
    assert [(m.name, m.loans) for m in page.totals.members] == [("Alice Durand", 4)]
    assert "Alice Durand" in page.summary.text()
    # With no member open, a copy is returned.
    page.scan(D1)
    assert open_loans(context, library.alice) == 1


def test_the_same_copy_twice_within_two_seconds_is_ignored(
    page: DeskPage, context: AppContext, library: Library,
) -> None:
    clock = page.ms_clock
    assert isinstance(clock, MsClock)
    page.scan(ALICE)
    page.ms_clock = lambda: clock.now  # the next scans come at the same moment
    page.scan(C1)
    page.scan(C1)
    assert page.banner.text() == _("{code} scanned twice: the second scan is ignored.").format(
        code=C1)
    assert open_loans(context, library.alice) == 1
    assert page.queue_view.count() == 2  # the card and one C1


def test_a_card_while_another_member_is_open_switches(
    page: DeskPage, library: Library, context: AppContext,
) -> None:
    page.scan(ALICE)
    page.scan(C1)
    page.scan(BORIS)
    assert page.member is not None and page.member.member_id == library.boris
    assert [(m.member_id, m.loans) for m in page.totals.members] == [(library.alice, 1)]
    page.scan(C2)
    assert open_loans(context, library.boris) == 1 and open_loans(context, library.alice) == 1


def test_copy_on_loan_elsewhere_is_returned_then_lent_with_ctrl_l(
    qtbot: QtBot, page: DeskPage, library: Library, context: AppContext,
) -> None:
    page.scan(ALICE)
    page.scan(C1)
    page.scan(BORIS)
    page.scan(C1)
    assert page.banner.kind == "refused" and "Ctrl+L" in page.banner.text()
    press(qtbot, page, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert open_loans(context, library.boris) == 1 and open_loans(context, library.alice) == 0


def test_bad_scans_are_refused_plainly(page: DeskPage) -> None:
    page.scan("NOPE-404")
    assert page.banner.kind == "refused" and "NOPE-404" in page.banner.text()
    page.scan(OLD_CARD)
    assert page.banner.kind == "refused"
    assert page.beeps == 2  # type: ignore[attr-defined]
    page.scan(ISBN)
    assert ISBN in page.banner.text() and page.banner.kind == "attention"


def test_a_copy_typed_by_hand_in_the_scan_field(
    qtbot: QtBot, page: DeskPage, context: AppContext, library: Library,
) -> None:
    qtbot.keyClicks(page.field, ALICE)
    press(qtbot, page, Qt.Key.Key_Return)
    qtbot.keyClicks(page.field, C3)
    press(qtbot, page, Qt.Key.Key_Return)
    assert open_loans(context, library.alice) == 1 and page.field.text() == ""


def test_scans_from_the_scanner_reach_the_desk_whatever_has_the_focus(
    qtbot: QtBot, context: AppContext, library: Library,
) -> None:
    clock = FakeClock()
    capture = ScanCapture(keymap=Keymap.X11, clock=clock, hint=lambda: None)
    page = DeskPage(context, capture=capture, ms_clock=MsClock())
    page.beep = lambda: None
    capture.accepts = page.isVisible
    capture.install()
    other = QLineEdit(page)  # some other widget with the focus
    page.layout().addWidget(other)
    qtbot.addWidget(page)
    with qtbot.wait_exposed(page):
        page.show()
    other.setFocus()
    window = page.window().windowHandle()
    try:
        play(window, scanner_events(ALICE, clock.now + 100, layout=KAZAKH), clock, capture)
        play(window, scanner_events(C1, clock.now + 100, layout=KAZAKH), clock, capture)
        assert open_loans(context, library.alice) == 1
        assert other.text() == "" and page.field.text() == ""
        # A scan while a dialog is open: not typed into it, processed once it closes.
        dialog = QDialog(page)
        QVBoxLayout(dialog).addWidget(QLineEdit(dialog))
        dialog.setModal(True)
        dialog.open()
        play(dialog.windowHandle(), scanner_events(C3, clock.now + 100), clock, capture)
        assert dialog.isVisible() and open_loans(context, library.alice) == 1
        assert len(page.queue) == 1
        dialog.reject()
        qtbot.waitUntil(lambda: open_loans(context, library.alice) == 2, timeout=2000)
    finally:
        capture.remove()


def test_overdue_loans_are_red_and_warned(
    page: DeskPage, context: AppContext, library: Library,
) -> None:
    from datetime import timedelta

    from mediatheque.circulation import check_out

    with context.database.write() as session:
        check_out(session, LOCAL_ADMIN, member_id=library.alice, copy_barcode=C2,
                  now=context.clock(), at=context.clock() - timedelta(days=60))
    page.scan(ALICE)
    assert page.member is not None and page.member.loans[0].overdue
    item = page.member_view.loans.item(0, 2)
    assert item.foreground().color().name() == "#b00020"
    assert page.member_view.warnings.text() != ""


def test_every_text_is_translated(
    page: DeskPage, context: AppContext, marked_catalogues: None,
) -> None:
    context.languages.apply("ru")
    page.retranslate()
    assert page.field.placeholderText().startswith("«ru:")
    assert page.mode.text().startswith("«ru:")
    assert page.keys_help.text().startswith("«ru:")
    assert page.member_view.name.text().startswith("«ru:")
    assert page.member_view.loans.horizontalHeaderItem(1).text() == "«ru:Title»"
    page.scan(ALICE)
    page.scan(C1)
    assert page.banner.text().startswith("«ru:")
    assert page.member_view.loans_title.text().startswith("«ru:")
    assert all(line.startswith("«ru:") for line in page.summary.text().splitlines()[:1])


def test_the_slip_prints_through_qt(qapp: object, tmp_path: Path) -> None:
    from datetime import date

    from PySide6.QtPrintSupport import QPrinter

    from mediatheque.circulation.slip import SlipLine, loan_slip_pdf
    from mediatheque.ui.pdf_printing import paint_pdf

    data = loan_slip_pdf(library_name="AF Almaty", member_name="Айгерім Сәрсенова",
                         member_barcode=ALICE, lines=[SlipLine("Абай жолы", C1,
                                                               date(2026, 4, 1))],
                         language_code="kk", printed_on=date(2026, 3, 2))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert paint_pdf(printer, data) == 1
    assert (tmp_path / "printed.pdf").read_bytes().startswith(b"%PDF")

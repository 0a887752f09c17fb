"""The scanner in the window: synthesised key events (native scan codes, the characters each
layout types, timestamps from a fake clock) through the application-wide event filter."""

from __future__ import annotations

import string
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from mediatheque.barcodes import BarcodeKind, make_barcode
from mediatheque.scanning import FRENCH, KAZAKH, LAYOUTS, RUSSIAN, Keymap, Layout, ReadStatus
from mediatheque.ui.scan_capture import ScanCapture
from tests.ui.scan_helpers import (
    FakeClock,
    key_event,
    play,
    scanner_events,
    send,
    type_events,
)

COPY = make_barcode("100", BarcodeKind.COPY, 7)
MEMBER = make_barcode("100", BarcodeKind.MEMBER, 3)
ISBN = "9782070360024"
ALL_CHARS = string.digits + string.ascii_uppercase + string.ascii_lowercase + "-./ "
LAYOUT_IDS = ["us", "fr", "ru", "kk"]


class Desk(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.field = QLineEdit()
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)


@pytest.fixture
def clock() -> FakeClock:  # type: ignore[override]
    return FakeClock()


@pytest.fixture
def desk(qtbot: QtBot) -> Desk:
    widget = Desk()
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    widget.field.setFocus()
    qtbot.waitUntil(widget.field.hasFocus)
    return widget


def make_capture(qapp: QApplication, clock: FakeClock, keymap: Keymap | None = Keymap.X11,
                 **kwargs: object) -> Iterator[tuple[ScanCapture, list[str], list[object]]]:
    capture = ScanCapture(
        keymap=keymap, clock=clock, hint=lambda: None, **kwargs,  # type: ignore[arg-type]
    )
    scans: list[str] = []
    bad: list[object] = []
    capture.scanned.connect(scans.append)
    capture.unreadable.connect(bad.append)
    capture.install(qapp)
    yield capture, scans, bad
    capture.remove()
    capture.deleteLater()


@pytest.fixture
def capture(
    qapp: QApplication, clock: FakeClock,
) -> Iterator[tuple[ScanCapture, list[str], list[object]]]:
    yield from make_capture(qapp, clock)


def window_of(widget: QWidget) -> QWindow:
    handle = widget.window().windowHandle()
    assert handle is not None
    return handle


@pytest.mark.parametrize("keymap", [Keymap.X11, Keymap.WINDOWS])
@pytest.mark.parametrize("layout", [None, *LAYOUTS], ids=LAYOUT_IDS)
def test_every_barcode_character_is_read_on_every_layout(
    qapp: QApplication, desk: Desk, clock: FakeClock, keymap: Keymap, layout: Layout | None,
) -> None:
    for capture, scans, bad in make_capture(qapp, clock, keymap):
        for number, code in enumerate([ALL_CHARS, COPY, MEMBER, ISBN, "AF-0042/B.7 x"]):
            events = scanner_events(code, clock.now + 1000 * (number + 1), layout=layout,
                                    keymap=keymap, gap=2 + number * 2)
            play(window_of(desk), events, clock, capture)
        assert scans == [ALL_CHARS, COPY, MEMBER, ISBN, "AF-0042/B.7 x"]
        assert bad == []
        assert desk.field.text() == ""  # not one key reached the field


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.code)
def test_without_scan_codes_the_reverse_tables_read_digits(
    qapp: QApplication, desk: Desk, clock: FakeClock, layout: Layout,
) -> None:
    for capture, scans, _bad in make_capture(qapp, clock, None):
        for code in (COPY, MEMBER, ISBN):
            play(window_of(desk), scanner_events(code, clock.now + 500, layout=layout,
                                                 keymap=None), clock, capture)
        assert scans == [COPY, MEMBER, ISBN]


def test_human_typing_reaches_the_field_in_order(
    desk: Desk, clock: FakeClock, capture: tuple[ScanCapture, list[str], list[object]],
) -> None:
    capture_, scans, _bad = capture
    play(window_of(desk), type_events("Hello 123", clock.now + 100, gap=120), clock, capture_)
    assert desk.field.text() == "Hello 123"
    assert scans == []


def test_a_fast_typist_is_still_typing(
    desk: Desk, clock: FakeClock, capture: tuple[ScanCapture, list[str], list[object]],
) -> None:
    capture_, scans, _bad = capture
    events = [*type_events("ok", clock.now + 100, gap=15),
              key_event("\r", clock.now + 130, key=Qt.Key.Key_Return, scan_code=36)]
    returned: list[bool] = []
    desk.field.returnPressed.connect(lambda: returned.append(True))
    play(window_of(desk), events, clock, capture_)
    assert desk.field.text() == "ok" and returned == [True] and scans == []


def test_a_copy_barcode_typed_by_hand_is_typed(
    desk: Desk, clock: FakeClock, capture: tuple[ScanCapture, list[str], list[object]],
) -> None:
    capture_, scans, _bad = capture
    play(window_of(desk), type_events(COPY, clock.now + 100, gap=90), clock, capture_)
    assert desk.field.text() == COPY and scans == []


def test_dead_keys_compose_untouched(
    desk: Desk, clock: FakeClock, capture: tuple[ScanCapture, list[str], list[object]],
) -> None:
    capture_, _scans, _bad = capture
    start = clock.now + 100
    events = [
        key_event("", start, key=Qt.Key.Key_Dead_Circumflex, scan_code=34),
        key_event("ê", start + 90, key=Qt.Key.Key_Ecircumflex, scan_code=26),
        key_event("t", start + 200, scan_code=28),
        key_event("", start + 215, key=Qt.Key.Key_Dead_Diaeresis, scan_code=34, shift=True),
        key_event("ë", start + 230, key=Qt.Key.Key_Ediaeresis, scan_code=26),
    ]
    play(window_of(desk), events, clock, capture_)
    assert desk.field.text() == "êtë"


def test_ctrl_shortcuts_pass_at_once(
    desk: Desk, clock: FakeClock, capture: tuple[ScanCapture, list[str], list[object]],
) -> None:
    desk.field.setText("abc")
    desk.field.selectAll()
    event = key_event("", clock.now + 10, key=Qt.Key.Key_Backspace, scan_code=22)
    send(window_of(desk), event, clock)  # no poll: it went straight through
    assert desk.field.text() == ""


def test_a_scan_while_a_dialog_is_open_does_not_type_into_it(
    qtbot: QtBot, desk: Desk, clock: FakeClock,
    capture: tuple[ScanCapture, list[str], list[object]],
) -> None:
    capture_, scans, _bad = capture
    dialog = QDialog(desk)
    field = QLineEdit(dialog)
    ok = QPushButton("OK", dialog)
    ok.setDefault(True)
    ok.clicked.connect(dialog.accept)
    layout = QVBoxLayout(dialog)
    layout.addWidget(field)
    layout.addWidget(ok)
    dialog.setModal(True)
    dialog.open()
    dialog.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    play(window_of(dialog), scanner_events(COPY, clock.now + 100), clock, capture_)
    assert scans == [COPY]
    assert field.text() == "" and dialog.isVisible()  # Enter did not accept it
    play(window_of(dialog), type_events("ab", clock.now + 100), clock, capture_)
    assert field.text() == "ab"  # typing into the dialog still works
    dialog.reject()


def test_garbage_is_unreadable(
    desk: Desk, clock: FakeClock, qapp: QApplication,
) -> None:
    for capture, scans, bad in make_capture(qapp, clock, None):
        play(window_of(desk), [key_event(c, clock.now + 100 + 3 * i) for i, c in
                               enumerate("§µ£¤§µ")] + [
            key_event("\r", clock.now + 130, key=Qt.Key.Key_Return)], clock, capture)
        assert scans == []
        assert [r.status for r in bad] == [ReadStatus.LAYOUT_MISMATCH]  # type: ignore[attr-defined]
        assert desk.field.text() == ""


def test_scans_nobody_takes_are_typed(
    qapp: QApplication, desk: Desk, clock: FakeClock,
) -> None:
    returned: list[str] = []
    desk.field.returnPressed.connect(lambda: returned.append(desk.field.text()))
    for capture, scans, _bad in make_capture(qapp, clock, accepts=lambda: False):
        play(window_of(desk), scanner_events(ISBN, clock.now + 100), clock, capture)
        assert scans == [] and returned == [ISBN]


def test_a_scanner_without_enter_is_read_after_silence(
    desk: Desk, clock: FakeClock, capture: tuple[ScanCapture, list[str], list[object]],
) -> None:
    capture_, scans, _bad = capture
    play(window_of(desk), scanner_events(MEMBER, clock.now + 100, suffix=False,
                                         layout=KAZAKH), clock, capture_)
    assert scans == [MEMBER] and desk.field.text() == ""


def test_twenty_scans_a_second_for_a_minute(
    desk: Desk, clock: FakeClock, capture: tuple[ScanCapture, list[str], list[object]],
) -> None:
    """1,200 scans one every 50 ms of simulated time, keys 3 ms apart, alternating layouts:
    every code arrives once, in order."""
    capture_, scans, bad = capture
    codes = [make_barcode("100", BarcodeKind.COPY, n) for n in range(1, 1201)]
    window = window_of(desk)
    start = clock.now + 100
    layouts = [None, FRENCH, RUSSIAN, KAZAKH]
    for index, code in enumerate(codes):
        for event in scanner_events(code, start + 50 * index, gap=3,
                                    layout=layouts[index % 4]):
            send(window, event, clock)
        clock.now += 10
        capture_.poll()
    assert scans == codes and bad == []
    assert desk.field.text() == ""

"""Synthesising what a USB scanner (or a person) types: QKeyEvents with native scan codes,
the characters each layout types, and timestamps from a fake clock."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtWidgets import QApplication

from mediatheque.scanning import Keymap, Layout, scan_code_of

X11_RETURN = 36
WINDOWS_RETURN = 0x1C


class FakeClock:
    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def key_event(
    text: str, at: float, *, scan_code: int = 0, shift: bool = False,
    key: int | None = None, release: bool = False, modifiers: Qt.KeyboardModifier | None = None,
) -> QKeyEvent:
    if key is None:
        key = ord(text.upper()[0]) if text else 0
    if modifiers is None:
        modifiers = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    kind = QEvent.Type.KeyRelease if release else QEvent.Type.KeyPress
    event = QKeyEvent(kind, key, modifiers, scan_code, 0, 0, text)
    event.setTimestamp(int(at))
    return event


def send(window: QWindow, event: QKeyEvent, clock: FakeClock | None = None) -> None:
    if clock is not None:
        clock.now = max(clock.now, float(event.timestamp()))
    QApplication.sendEvent(window, event)


def scanner_events(
    code: str, start: float, *, layout: Layout | None = None,
    keymap: Keymap | None = Keymap.X11, gap: float = 5.0, suffix: bool = True,
) -> list[QKeyEvent]:
    """What a US-configured scanner makes the host type: positions of the US keys, the
    characters `layout` types there (None: US), `gap` ms apart, then Enter."""
    events, at = [], start
    for char in code:
        scan_code, shift = scan_code_of(keymap or Keymap.X11, char)
        typed = char if layout is None else (layout.typed(char) or "")
        events.append(key_event(typed, at, scan_code=scan_code if keymap else 0, shift=shift))
        events.append(key_event(typed, at + 1, scan_code=scan_code if keymap else 0,
                                shift=shift, release=True))
        at += gap
    if suffix:
        ret = WINDOWS_RETURN if keymap is Keymap.WINDOWS else X11_RETURN
        events.append(key_event("\r", at, scan_code=ret if keymap else 0, key=Qt.Key.Key_Return))
    return events


def type_events(text: str, start: float, *, gap: float = 150.0) -> list[QKeyEvent]:
    """A person typing on a US keyboard."""
    events, at = [], start
    for char in text:
        scan_code, shift = scan_code_of(Keymap.X11, char)
        events.append(key_event(char, at, scan_code=scan_code, shift=shift))
        at += gap
    return events


def play(window: QWindow, events: list[QKeyEvent], clock: FakeClock, capture: object,
         settle: float = 300.0) -> None:
    """Sends the events at their times, polling the capture's timer in between (no sleeps)."""
    poll = capture.poll  # type: ignore[attr-defined]
    for event in events:
        while clock.now + 5 < event.timestamp():
            clock.now += 5
            poll()
        send(window, event, clock)
    end = clock.now + settle
    while clock.now < end:
        clock.now += 5
        poll()

"""The scanner, application-wide: an event filter on the QApplication (DESIGN.md §5).

Every key press reaches the window (QWindow) before any widget; the filter hands it to the
pure BurstDetector (mediatheque/scanning/burst.py) and

- holds back a character key that may start a scan, for at most MAX_GAP_MS (40 ms);
- replays held keys, in order, to the window they were meant for as soon as the detector
  says a person is typing (dead keys, Ctrl shortcuts, auto-repeat go through at once);
- swallows the keys of a scan, Enter/Tab included, whatever widget or dialog had the focus,
  reads the code back (key positions first, then the layouts' reverse tables, then check
  digits: mediatheque/scanning/reading.py) and emits `scanned(code)` — or `unreadable(result)`
  when the layout and the scanner disagree.

Scans while a dialog is open: the keys never reach the dialog (a scanner's Enter must not
accept it); the code is emitted as usual and the receiver queues it — the desk page waits for
the dialog to close before processing it.

When nobody takes scans (`accepts` returns False: the desk page is not shown), a detected
scan is replayed as typing, so that a search field on another page still receives what the
scanner typed.

Timestamps are the platform's key event times (X server or Windows message time), so keys
that waited in the queue while the application was busy are still judged by when they were
typed; events without a time (synthesised) use `clock`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QWindow
from PySide6.QtWidgets import QApplication

from mediatheque.scanning import BurstDetector, KeyInput, KeyKind, Keymap, read_keys
from mediatheque.scanning.burst import Burst, Verdict
from mediatheque.scanning.keymaps import char_at

MODIFIER_KEYS = frozenset({
    Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta,
    Qt.Key.Key_AltGr, Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock,
})
TERMINATOR_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab})
COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
DEAD_KEYS = range(0x01001250, 0x010012A0)  # Qt.Key_Dead_Grave … the last dead key


def monotonic_ms() -> float:
    return time.monotonic() * 1000.0


def platform_keymap() -> Keymap | None:
    """Which native scan codes this platform reports (None: none we can read)."""
    name = QGuiApplication.platformName()
    if name in ("xcb", "wayland"):
        return Keymap.X11
    if name == "windows":
        return Keymap.WINDOWS
    return None


def layout_hint() -> str | None:
    """The active keyboard layout's language, when the platform says (fr, ru, kk)."""
    locale = QGuiApplication.inputMethod().locale()
    code = locale.name().split("_")[0]
    return code if code in ("fr", "ru", "kk") else None


@dataclass(frozen=True)
class HeldEvent:
    """Enough of a key event to replay it to its window."""

    window: QWindow
    type: QEvent.Type
    key: int
    modifiers: Qt.KeyboardModifier
    scan_code: int
    virtual_key: int
    native_modifiers: int
    text: str
    auto_repeat: bool
    count: int
    timestamp: int

    def rebuild(self) -> QKeyEvent:
        event = QKeyEvent(
            self.type, self.key, self.modifiers, self.scan_code, self.virtual_key,
            self.native_modifiers, self.text, self.auto_repeat, self.count,
        )
        event.setTimestamp(self.timestamp)
        return event


def key_kind(event: QKeyEvent, keymap: Keymap | None) -> KeyKind:
    key = event.key()
    modifiers = event.modifiers()
    if key in MODIFIER_KEYS:
        return KeyKind.MODIFIER
    if event.isAutoRepeat() or key in DEAD_KEYS or modifiers & COMMAND_MODIFIERS:
        return KeyKind.OTHER
    if key in TERMINATOR_KEYS:
        return KeyKind.TERMINATOR
    text = event.text()
    if len(text) == 1 and text.isprintable():
        return KeyKind.CHARACTER
    shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
    if not text and keymap is not None and char_at(keymap, event.nativeScanCode(), shift):
        return KeyKind.CHARACTER  # a layout that types nothing here: the position says what
    return KeyKind.OTHER


class ScanCapture(QObject):
    scanned = Signal(str)  # a code read and checked (or accepted as it is)
    unreadable = Signal(object)  # a ReadResult: layout mismatch or wrong check digit

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        keymap: Keymap | str | None = "auto",
        clock: Callable[[], float] = monotonic_ms,
        detector: BurstDetector | None = None,
        accepts: Callable[[], bool] | None = None,
        hint: Callable[[], str | None] = layout_hint,
    ) -> None:
        super().__init__(parent)
        self.keymap: Keymap | None = platform_keymap() if keymap == "auto" else (
            Keymap(keymap) if keymap is not None else None
        )
        self.detector = detector or BurstDetector()
        self.accepts = accepts
        self._clock = clock
        self._hint = hint
        self._offset = 0.0  # event time − clock, at the last key
        self._replaying = False
        self._installed_on: QApplication | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.poll)

    # installing

    def install(self, app: QApplication | None = None) -> None:
        target = app or QApplication.instance()
        assert isinstance(target, QApplication)
        target.installEventFilter(self)
        self._installed_on = target

    def remove(self) -> None:
        self._apply(self.detector.flush())
        if self._installed_on is not None and shiboken6.isValid(self._installed_on):
            self._installed_on.removeEventFilter(self)
        self._installed_on = None

    # the filter

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            return False
        if self._replaying or not isinstance(watched, QWindow):
            return False  # our own replays, and the window's forwarding to its widget
        assert isinstance(event, QKeyEvent)
        now = self._clock()
        stamp = float(event.timestamp()) or now
        self._offset = stamp - now
        held = HeldEvent(
            watched, kind, event.key(), event.modifiers(), event.nativeScanCode(),
            event.nativeVirtualKey(), event.nativeModifiers(), event.text(),
            event.isAutoRepeat(), event.count(), event.timestamp(),
        )
        key = KeyInput(
            stamp, key_kind(event, self.keymap), event.text(), event.nativeScanCode(),
            bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier),
            release=kind == QEvent.Type.KeyRelease, token=held,
        )
        verdict = self.detector.feed(key)
        passes_now = bool(verdict.give_back) and verdict.give_back[-1] is key
        if passes_now:  # the key goes on by itself after what was held before it
            verdict = Verdict(verdict.give_back[:-1], verdict.scans)
        self._apply(verdict)
        self._schedule()
        return not passes_now

    def poll(self) -> None:
        """Decides a burst that has gone quiet (called by the timer; tests call it)."""
        self._apply(self.detector.tick(self._clock() + self._offset))
        self._schedule()

    # inside

    def _schedule(self) -> None:
        deadline = self.detector.deadline_ms()
        if deadline is None:
            self._timer.stop()
            return
        wait = deadline - (self._clock() + self._offset)
        self._timer.start(max(1, int(wait) + 1))

    def _apply(self, verdict: Verdict) -> None:
        self._replay([key.token for key in verdict.give_back])
        for burst in verdict.scans:
            self._deliver(burst)

    def _deliver(self, burst: Burst) -> None:
        if self.accepts is not None and not self.accepts():
            keys = [*burst.keys, *([burst.terminator] if burst.terminator else [])]
            self._replay([key.token for key in keys])
            return
        result = read_keys(burst.scan_keys(), self.keymap, self._hint())
        if result.usable:
            self.scanned.emit(result.code)
        else:
            self.unreadable.emit(result)

    def _replay(self, tokens: list[object]) -> None:
        if not tokens:
            return
        self._replaying = True
        try:
            for token in tokens:
                assert isinstance(token, HeldEvent)
                window = token.window
                if not shiboken6.isValid(window):
                    focus = QGuiApplication.focusWindow()
                    if focus is None:
                        continue
                    window = focus
                QApplication.sendEvent(window, token.rebuild())
        finally:
            self._replaying = False

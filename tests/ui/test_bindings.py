"""The Qt bindings themselves must be sound on the Python we run.

PySide6 6.12.0 drops a reference to None on every call of a method returning void, and to
True on every signal emit, on Python < 3.12 (where None and True are not immortal): after
a few thousand calls the interpreter aborts ("deallocating None"). The application would
crash within minutes at the desk. This test says so plainly instead of a random abort.
"""

from __future__ import annotations

import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel

CALLS = 200


class _Emitter(QObject):
    ping = Signal()


def test_void_calls_and_emits_keep_reference_counts(qapp: QApplication) -> None:
    label = QLabel()
    emitter = _Emitter()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        label.setText("x")
        emitter.ping.emit()
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    label.deleteLater()
    assert lost_none < CALLS // 2 and lost_true < CALLS // 2, (
        f"PySide6 {pyside_version} on Python {sys.version_info[:2]} loses references "
        f"(None: {lost_none}, True: {lost_true} over {CALLS} calls): use a PySide6 without "
        "this bug (6.11.x) on Python < 3.12"
    )

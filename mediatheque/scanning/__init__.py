"""The barcode scanner as a keyboard (DESIGN.md §5), without Qt: telling a scan from typing
(burst), reading the code back whatever the keyboard layout (keymaps, reading), and keeping
scans in order (queue). The Qt event filter is mediatheque/ui/scan_capture.py."""

from mediatheque.scanning.burst import (
    MAX_GAP_MS,
    MIN_LENGTH,
    SILENCE_MS,
    Burst,
    BurstDetector,
    KeyInput,
    KeyKind,
    Verdict,
)
from mediatheque.scanning.keymaps import (
    FRENCH,
    KAZAKH,
    LAYOUTS,
    RUSSIAN,
    Keymap,
    Layout,
    char_at,
    from_layout,
    scan_code_of,
)
from mediatheque.scanning.queue import QueuedScan, RepeatGuard, ScanQueue
from mediatheque.scanning.reading import (
    Check,
    ReadResult,
    ReadStatus,
    ScanKey,
    Source,
    check_code,
    read_keys,
    read_text,
)

__all__ = [
    "FRENCH", "KAZAKH", "LAYOUTS", "MAX_GAP_MS", "MIN_LENGTH", "RUSSIAN", "SILENCE_MS",
    "Burst", "BurstDetector", "Check", "KeyInput", "KeyKind", "Keymap", "Layout",
    "QueuedScan", "ReadResult", "ReadStatus", "RepeatGuard", "ScanKey", "ScanQueue", "Source",
    "Verdict", "char_at", "check_code", "from_layout", "read_keys", "read_text",
    "scan_code_of",
]

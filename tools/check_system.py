"""Before `make run` on Linux: says which system libraries Qt still needs, with the command
that installs them, instead of letting Qt abort with a cryptic message."""

from __future__ import annotations

import ctypes.util
import os
import sys

NEEDED = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "EGL": "libegl1",
    "fontconfig": "libfontconfig1",
}


def main() -> int:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return 0
    missing = [
        package for library, package in NEEDED.items() if not ctypes.util.find_library(library)
    ]
    if missing:
        print("Qt needs these system packages to open a window:")
        print("    sudo apt-get install " + " ".join(missing))
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print("No display found (DISPLAY / WAYLAND_DISPLAY): the window cannot open here.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

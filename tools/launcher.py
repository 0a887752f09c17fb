"""Entry script of the frozen application (PyInstaller): the same as the `mediatheque`
command installed by pip."""

import multiprocessing
import os
import sys

from mediatheque.ui.entry import main

if __name__ == "__main__":
    # A windowed executable started without a console or redirection (a shortcut, the Task
    # Scheduler running `mediatheque backup`) has no standard streams: Python sets them to
    # None, and the command line writes to them.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    # A worker process of the FM21 export or import (mediatheque.parallel) is this same
    # executable started again: it must run its job, not the application.
    multiprocessing.freeze_support()
    sys.exit(main())

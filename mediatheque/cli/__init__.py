"""The command line (CLI.md): `mediatheque [global options] [COMMAND ...]`.

With no command it opens the application through the front end it is given: the core
never imports the UI (DESIGN.md §2); `mediatheque.ui.entry` passes itself in.
"""

from __future__ import annotations

from mediatheque.cli.main import Frontend, GlobalOptions, main

__all__ = ["Frontend", "GlobalOptions", "main"]

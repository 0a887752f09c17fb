"""The `mediatheque` console script: the command line, with the window as its front end.

Qt is imported only when the window is wanted (no command, or --self-test), so that
scheduled tasks and scripts running subcommands never load it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mediatheque.cli.main import GlobalOptions
from mediatheque.cli.main import main as run_command_line
from mediatheque.selftest import SelfTestCheck


class QtFrontend:
    """The window side of the command line (mediatheque.cli.main.Frontend)."""

    def open_application(self, options: GlobalOptions) -> int:
        from mediatheque.ui.application import run_application

        return run_application(options.db, options.data_dir, options.language)

    def self_test_checks(self, scratch: Path) -> list[SelfTestCheck]:
        from mediatheque.ui.application import self_test_window

        return self_test_window(scratch)


def main() -> int:
    return run_command_line(sys.argv[1:], frontend=QtFrontend())


if __name__ == "__main__":
    sys.exit(main())

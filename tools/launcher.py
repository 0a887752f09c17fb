"""Entry script of the frozen application (PyInstaller): the same as the `mediatheque`
command installed by pip."""

import sys

from mediatheque.ui.entry import main

if __name__ == "__main__":
    sys.exit(main())

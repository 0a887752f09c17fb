"""Opening the database at start, saying clearly what is wrong when it cannot be opened.

The checks, the automatic backup and the upgrade are the core's (`mediatheque.startup`);
here each refusal becomes a dialog. A damaged file is never modified: the librarian may
restore the latest backup, and the damaged file is then kept beside it, renamed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QWidget

from mediatheque.backups import restore_over_damaged_file
from mediatheque.db import DEFAULT_BUSY_TIMEOUT
from mediatheque.errors import DatabaseCorrupt, DatabaseLocked, MediathequeError
from mediatheque.i18n import _
from mediatheque.messages import describe_error
from mediatheque.startup import OpenedDatabase, open_database, resolve_database_url
from mediatheque.ui import dialogs
from mediatheque.ui.dialogs import Choice


def open_with_dialogs(
    db_option: str | None,
    data_dir: Path,
    *,
    clock: Callable[[], datetime],
    parent: QWidget | None = None,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
) -> OpenedDatabase | None:
    """The open database, or None when it cannot be opened and the librarian was told."""
    while True:
        try:
            url = resolve_database_url(db_option, data_dir)
            return open_database(url, data_dir=data_dir, now=clock(), busy_timeout=busy_timeout)
        except DatabaseCorrupt as error:
            if not _offer_restore(error, clock, parent):
                return None
        except DatabaseLocked as error:
            answer = dialogs.ask_choice(
                parent, _("Database busy"), describe_error(error),
                [Choice("retry", _("&Try again"), accept=True), Choice("quit", _("&Quit"))],
                default="retry",
            )
            if answer != "retry":
                return None
        except MediathequeError as error:
            # DatabaseNewer, DataDirUnwritable, InvalidDatabaseUrl, DatabaseUnavailable…
            dialogs.show_error(parent, error, _("The database cannot be opened"))
            return None


def _offer_restore(
    error: DatabaseCorrupt, clock: Callable[[], datetime], parent: QWidget | None
) -> bool:
    """True when the latest backup was put in place of the damaged file."""
    title = _("Damaged database")
    if error.latest_backup is None:
        dialogs.show_error(parent, error, title)
        return False
    answer = dialogs.ask_choice(
        parent, title,
        describe_error(error) + "\n\n" + _(
            "Restore the latest backup? The damaged file is kept beside it, renamed and "
            "unchanged, and can be given to someone who can repair it."
        ),
        [
            Choice("restore", _("&Restore the latest backup"), accept=True),
            Choice("quit", _("&Quit")),
        ],
        critical=True,
        default="quit",
    )
    if answer != "restore":
        return False
    try:
        kept = restore_over_damaged_file(error.path, error.latest_backup, now=clock())
    except MediathequeError as failure:
        dialogs.show_error(parent, failure, title)
        return False
    except OSError as failure:
        dialogs.show_error(parent, _("The backup could not be put in place: {problem}").format(
            problem=failure.strerror or failure
        ), title)
        return False
    dialogs.inform(parent, _("Backup restored"), _(
        "The backup {backup} has been put in place. The damaged file is kept as {kept}."
    ).format(backup=error.latest_backup.name, kept=kept))
    return True

"""What a command handler receives: the database (opened on first use), the clock, and a
progress line on stderr."""

from __future__ import annotations

import getpass
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mediatheque.db import DEFAULT_BUSY_TIMEOUT
from mediatheque.formatting import number
from mediatheque.i18n import _, set_language
from mediatheque.permissions import LOCAL_ADMIN, Actor
from mediatheque.settings import load_library_settings
from mediatheque.startup import OpenedDatabase, open_database, resolve_database_url

PASSWORD_VARIABLE = "MEDIATHEQUE_PASSWORD"
ANONYMOUS = Actor(login="anonymous", role="none")
"""Who runs a command without --login once staff accounts exist: allowed nothing checked."""


def read_secret(prompt: str) -> str:
    """One line of standard input (a password piped by a script), or typed without echo."""
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


@dataclass
class Outcome:
    payload: dict[str, Any]
    text: str
    exit_code: int = 0


@dataclass
class CommandContext:
    db_option: str | None
    data_dir: Path
    language: str | None
    json: bool
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    busy_timeout: float = field(default_factory=lambda: float(
        os.environ.get("MEDIATHEQUE_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT)
    ))
    # Who the command acts for (mediatheque.permissions): `actor` is worked out on first use
    # — the local administrator when the library has no staff account, else the account
    # given by --login (password from MEDIATHEQUE_PASSWORD or standard input), else nobody.
    login: str | None = None
    _actor: Actor | None = None
    _opened: OpenedDatabase | None = None
    _last_progress: float = 0.0
    _finished: tuple[str, int] | None = None  # the last job reported complete

    def open(self, *, upgrade_schema: bool = True, auto_backup: bool = True) -> OpenedDatabase:
        """Opens the database once: checks, automatic backup, migrations (startup.py).
        Without --lang, messages follow the library's language."""
        if self._opened is None:
            url = resolve_database_url(self.db_option, self.data_dir)
            self._opened = open_database(
                url, data_dir=self.data_dir, now=self.now, busy_timeout=self.busy_timeout,
                upgrade_schema=upgrade_schema, auto_backup=auto_backup,
            )
            if self.language is None and not self._opened.schema.pending:
                with self._opened.database.read() as session:
                    set_language(load_library_settings(session).language)
            if self._actor is None and not self._opened.schema.pending:
                # Now, before the handler opens a transaction: checking a password writes
                # (failure count, audit) and would wait for the handler's own transaction.
                self._actor = self._identify()
        return self._opened

    @property
    def actor(self) -> Actor:
        if self._actor is None:
            self._actor = self._identify()
        return self._actor

    @actor.setter
    def actor(self, value: Actor) -> None:
        self._actor = value

    @property
    def acting_anonymously(self) -> bool:
        """True when staff accounts exist and no --login was given (so a refusal means:
        log in)."""
        return self._actor is ANONYMOUS

    def _identify(self) -> Actor:
        from mediatheque.staff import log_in, staff_accounts_exist

        database = self.open().database
        with database.read() as session:
            if not staff_accounts_exist(session):
                return LOCAL_ADMIN
        if self.login is None:
            return ANONYMOUS
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            password = read_secret(_("Password for {login}: ").format(login=self.login))
        return log_in(database, self.login, password, self.now)

    def url(self) -> Any:
        return resolve_database_url(self.db_option, self.data_dir)

    def progress(self, done: int, total: int, label: str = "") -> None:
        """A progress line on stderr, at most a few times a second (never on stdout)."""
        moment = time.monotonic()
        if done < total and moment - self._last_progress < 0.25:
            return
        if done >= total and self._finished == (label, total):
            return  # a job that reports its end twice prints it once
        self._last_progress = moment
        self._finished = (label, total) if done >= total else None
        percent = 100 * done // total if total else 100
        end = "\n" if done >= total else ""
        if sys.stderr.isatty() or done >= total:
            print(f"\r{label} {percent:3d}% ({number(done)}/{number(total)})", end=end,
                  file=sys.stderr)

    def close(self) -> None:
        if self._opened is not None:
            self._opened.database.dispose()
            self._opened = None

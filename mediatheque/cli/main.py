"""Parsing, dispatch, output and exit codes shared by every command (CLI.md).

Exit status: 0 done; 1 refused or failed (one-line reason on stderr, and under --json an
object {"error": CODE, "message": TEXT, ...} on stdout); 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mediatheque import __version__
from mediatheque.cli import (
    catalogue_commands,
    circulation_commands,
    database_commands,
    exchange_commands,
    members_commands,
    printing_commands,
    privacy_commands,
    report_commands,
    staff_commands,
)
from mediatheque.cli.context import CommandContext, Outcome
from mediatheque.errors import (
    InvalidDatabaseUrl,
    LoginRequired,
    MediathequeError,
    PermissionDenied,
)
from mediatheque.i18n import LANGUAGES, UnknownLanguage, _, normalise_language, set_language
from mediatheque.messages import describe_error
from mediatheque.paths import data_dir
from mediatheque.selftest import SelfTestCheck, run_self_test

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
COMMAND_MODULES = (
    database_commands, catalogue_commands, staff_commands, circulation_commands,
    privacy_commands, members_commands, printing_commands, exchange_commands,
    report_commands,
)


@dataclass(frozen=True)
class GlobalOptions:
    db: str | None
    data_dir: Path
    language: str | None
    json: bool


class Frontend(Protocol):
    """What the window side offers the command line (implemented in mediatheque.ui)."""

    def open_application(self, options: GlobalOptions) -> int: ...

    def self_test_checks(self, scratch: Path) -> list[SelfTestCheck]: ...


class _Parser(argparse.ArgumentParser):
    """Every command also takes --json after its own arguments (`catalogue search hugo
    --json`), as people and scripts naturally write it."""

    takes_json = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.takes_json:
            self.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                              help=_("print one JSON object on standard output"))

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(_("error: {message}").format(message=message), file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


class _TopParser(_Parser):
    takes_json = False  # declared below with the other global options


def build_parser() -> argparse.ArgumentParser:
    parser = _TopParser(
        prog="mediatheque",
        description=_("Catalogue and loan desk of the médiathèque. "
                      "Without a command, opens the application."),
    )
    parser.add_argument("--db", metavar="URL", help=_(
        "database URL (sqlite:///file.db or postgresql+psycopg://user@host/db); "
        "default: MEDIATHEQUE_DB, else the file in the data directory"))
    parser.add_argument("--json", action="store_true",
                        help=_("print one JSON object on standard output"))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages"))
    parser.add_argument("--data-dir", metavar="DIR", help=_(
        "data directory (default: MEDIATHEQUE_DATA_DIR, else the user's data folder)"))
    parser.add_argument("--login", dest="acting_login", metavar="LOGIN", help=_(
        "your staff login, needed to change data once staff accounts exist (password from "
        "MEDIATHEQUE_PASSWORD, else standard input); a library without staff accounts acts "
        "as its single local administrator"))
    parser.add_argument("--version", action="version", version=f"mediatheque {__version__}")
    parser.add_argument("--self-test", action="store_true", help=_(
        "check this installation (temporary database, translations, window) and exit"))
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(commands)
    return parser


_VALUED_GLOBALS = ("--db", "--lang", "--data-dir", "--login")


def _early_language(argv: Sequence[str]) -> str | None:
    """--lang is needed before the parser is built, so that --help is translated. Only the
    global option counts: `members add … --lang kk` is the member's language."""
    for index, arg in enumerate(argv):
        if not arg.startswith("-") and (index == 0 or argv[index - 1] not in _VALUED_GLOBALS):
            return None  # the command starts here
        value = None
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value is not None:
            try:
                return normalise_language(value)
            except UnknownLanguage:
                return None
    return None


def main(argv: Sequence[str] | None = None, *, frontend: Frontend | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    language = _early_language(argv)
    set_language(language or "fr")
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as leaving:
        return int(leaving.code or 0)
    options = GlobalOptions(
        db=args.db, data_dir=data_dir(args.data_dir), language=language, json=args.json
    )
    if args.self_test:
        return _self_test(options, frontend)
    if args.command is None:
        if frontend is None:
            print(_("The window is not available here; give a command (see --help)."),
                  file=sys.stderr)
            return EXIT_USAGE
        return frontend.open_application(options)
    context = CommandContext(options.db, options.data_dir, language, options.json)
    context.login = args.acting_login
    try:
        outcome: Outcome = args.handler(args, context)
    except PermissionDenied as error:
        return _fail(LoginRequired() if context.acting_anonymously else error, options)
    except MediathequeError as error:
        return _fail(error, options)
    except KeyboardInterrupt:
        print(_("Interrupted: nothing was changed."), file=sys.stderr)
        return EXIT_FAILED
    finally:
        context.close()
    _print(outcome, options)
    return outcome.exit_code


def _print(outcome: Outcome, options: GlobalOptions) -> None:
    try:
        if options.json:
            print(json.dumps(outcome.payload, ensure_ascii=False, default=str))
        elif outcome.text:
            print(outcome.text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`… | head`): the work is done; say nothing more.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _fail(error: MediathequeError, options: GlobalOptions) -> int:
    message = describe_error(error)
    print(message, file=sys.stderr)
    if options.json:
        payload = {"error": error.code, "message": message, **error.details()}
        print(json.dumps(payload, ensure_ascii=False, default=str))
    return EXIT_USAGE if isinstance(error, InvalidDatabaseUrl) else EXIT_FAILED


def _self_test(options: GlobalOptions, frontend: Frontend | None) -> int:
    checks = run_self_test(frontend.self_test_checks if frontend is not None else None)
    ok = all(check.ok for check in checks)
    if options.json:
        print(json.dumps({
            "ok": ok,
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks],
        }, ensure_ascii=False))
    else:
        for check in checks:
            mark = _("ok") if check.ok else _("FAILED")
            print(f"{check.name:<14} {mark:<8} {check.detail}")
    return EXIT_OK if ok else EXIT_FAILED

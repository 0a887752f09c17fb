"""Commands about the library and its database: init, demo, check, backup, restore."""

from __future__ import annotations

import argparse
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from mediatheque.backups import backup_database, restore_database, restore_over_damaged_file
from mediatheque.cli.context import CommandContext, Outcome
from mediatheque.errors import DatabaseCorrupt
from mediatheque.i18n import LANGUAGES, _, ngettext
from mediatheque.paths import backups_dir
from mediatheque.schema import integrity_problems
from mediatheque.settings import load_library_settings
from mediatheque.staff import configure_library


def register(commands: Any) -> None:
    init = commands.add_parser("init", help=_("create or rename the library"))
    init.add_argument("--name", required=True, help=_("the library's name"))
    init.add_argument("--code", required=True,
                      help=_("network or ISIL code, e.g. KZ-ALA-AF (capitals, digits, -)"))
    init.add_argument("--country", help=_("ISO country code, e.g. KZ"))
    init.add_argument("--timezone", help=_("time zone, e.g. Asia/Almaty"))
    init.add_argument("--city", help=_("city"))
    init.add_argument("--short-name", help=_("short name printed on labels"))
    init.add_argument("--language", choices=LANGUAGES, help=_("the library's working language"))
    init.set_defaults(handler=run_init)

    demo = commands.add_parser("demo", help=_("fill an empty database with a demo library"))
    demo.add_argument("--records", type=_positive_int, default=2000)
    demo.add_argument("--copies-per-record", type=_positive_float, default=1.5)
    demo.add_argument("--members", type=_positive_int, default=300)
    demo.add_argument("--loans", type=_non_negative_int, default=5000)
    demo.add_argument("--seed", type=int, default=1)
    demo.set_defaults(handler=run_demo)

    check = commands.add_parser(
        "check", help=_("integrity check, schema version and pending migrations")
    )
    check.set_defaults(handler=run_check)

    backup = commands.add_parser("backup", help=_("write a consistent copy of the database"))
    backup.add_argument("--out", metavar="FILE", type=Path,
                        help=_("where to write it (default: the backups folder)"))
    backup.set_defaults(handler=run_backup)

    restore = commands.add_parser(
        "restore", help=_("check a backup, then replace the database with it")
    )
    restore.add_argument("file", metavar="FILE", type=Path)
    restore.set_defaults(handler=run_restore)


def run_init(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    with database.write() as session:
        current = load_library_settings(session)
        given = {
            "name": args.name, "code": args.code, "country": args.country,
            "timezone": args.timezone, "city": args.city, "short_name": args.short_name,
            "language": args.language,
        }
        wanted = replace(current, **{k: v for k, v in given.items() if v is not None})
        stored = configure_library(session, context.actor, wanted, now=context.now)
    library = asdict(stored)
    return Outcome({"library": library}, _("Library “{name}” ({code}) is set up.").format(
        name=stored.name, code=stored.code))


def run_demo(args: argparse.Namespace, context: CommandContext) -> Outcome:
    from mediatheque.demo import generate_demo

    database = context.open().database
    with database.write() as session:
        counts = generate_demo(
            session,
            records=args.records,
            copies_per_record=args.copies_per_record,
            members=args.members,
            loans=args.loans,
            seed=args.seed,
            today=context.now.astimezone(_library_zone(session)).date(),
            now=context.now,
            progress=lambda done, total: context.progress(done, total, _("Demo library")),
        )
    payload = asdict(counts)
    return Outcome(payload, _(
        "Demo library created: {records} records, {copies} copies, {members} members, "
        "{loans} loans."
    ).format(**payload))


def _library_zone(session: Any) -> Any:
    settings = load_library_settings(session)
    return settings.zone


def run_check(args: argparse.Namespace, context: CommandContext) -> Outcome:
    url = context.url()
    problems: list[str] = []
    schema: dict[str, Any] = {}
    pending: list[str] = []
    try:
        opened = context.open(upgrade_schema=False, auto_backup=False)
    except DatabaseCorrupt as error:
        problems.append(error.problem)
    else:
        state = opened.schema
        schema = {"current": state.current, "head": state.head}
        pending = state.pending_migrations()
        problems += integrity_problems(opened.database)
    ok = not problems
    payload = {"ok": ok, "schema": schema, "pending_migrations": pending, "problems": problems}
    lines = [_("Database: {url}").format(url=url.render_as_string(hide_password=True))]
    if schema:
        lines.append(_("Schema: {current} (this version: {head})").format(
            current=schema["current"] or _("empty"), head=schema["head"]))
    if pending:
        lines.append(_("Pending migrations: {list}").format(list=", ".join(pending)))
    lines += [_("Problem: {problem}").format(problem=p) for p in problems]
    if ok:
        lines.append(_("Integrity: ok"))
    else:
        lines.append(ngettext("Integrity: {n} problem found", "Integrity: {n} problems found",
                              len(problems)).format(n=len(problems)))
    return Outcome(payload, "\n".join(lines), exit_code=0 if ok else 1)


def run_backup(args: argparse.Namespace, context: CommandContext) -> Outcome:
    opened = context.open(auto_backup=False)
    path = backup_database(
        opened.database, out=args.out, directory=backups_dir(context.data_dir), now=context.now
    )
    return Outcome({"path": str(path)}, _("Backup written: {path}").format(path=path))


def run_restore(args: argparse.Namespace, context: CommandContext) -> Outcome:
    backup: Path = args.file
    directory = backups_dir(context.data_dir)
    try:
        opened = context.open(upgrade_schema=False, auto_backup=False)
    except DatabaseCorrupt as error:
        # The damaged file is set aside untouched; the backup takes its place.
        kept = restore_over_damaged_file(error.path, backup, now=context.now)
        payload = {"restored": str(backup), "previous_backup": None, "damaged_file": str(kept)}
        return Outcome(payload, _(
            "Restored {backup}. The damaged database was kept as {kept}."
        ).format(backup=backup, kept=kept))
    result = restore_database(
        opened.database, backup, directory=directory, now=context.now, actor=context.actor
    )
    payload = {"restored": str(result.restored), "previous_backup": str(result.previous_backup)}
    return Outcome(payload, _(
        "Restored {backup}. The database as it was before is saved in {previous}."
    ).format(backup=result.restored, previous=result.previous_backup))


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(_("must be a positive whole number"))
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(_("must be zero or more"))
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value >= 1.0:
        raise argparse.ArgumentTypeError(_("must be at least 1"))
    return value

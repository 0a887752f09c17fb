"""`export fm21`, `import FILE` and `reference list|remove` (CLI.md, FM21.md)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mediatheque.cli.context import CommandContext, Outcome
from mediatheque.exchange.export import export_fm21
from mediatheque.exchange.importing import ImportReport, Issue, import_incoming
from mediatheque.exchange.package import open_incoming
from mediatheque.exchange.reference import list_references, load_reference, remove_reference
from mediatheque.exchange.unimarc_writing import PROFILES
from mediatheque.formatting import number, short_day
from mediatheque.i18n import _, ngettext

MAX_LISTED = 20


def instant(text: str) -> datetime:
    """An ISO 8601 instant (`2026-11-01T08:00:00Z`) or a date (midnight UTC)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            _("not an ISO 8601 instant: {value}").format(value=text)) from error
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def register(commands: Any) -> None:
    export = commands.add_parser("export", help=_("export the catalogue"))
    export_sub = export.add_subparsers(dest="export_command", metavar=_("FORMAT"),
                                       required=True, parser_class=type(export))
    fm21 = export_sub.add_parser("fm21", help=_("write an FM21 package (regional exchange)"))
    fm21.add_argument("--out", required=True, type=Path, metavar="DIR",
                      help=_("folder where the package is written"))
    fm21.add_argument("--since", type=instant, metavar="INSTANT",
                      help=_("a delta package: only what changed since this instant"))
    fm21.add_argument("--profile", choices=PROFILES, default="core",
                      help=_("995 holdings subfields for Koha or PMB (default: core)"))
    fm21.set_defaults(handler=run_export)

    importing = commands.add_parser("import", help=_(
        "import an FM21 package, a UNIMARC/MARC21 file, MARC XML or a BnF SRU response"))
    importing.add_argument("file", metavar="FILE", type=Path)
    importing.add_argument("--dry-run", action="store_true",
                           help=_("check the file and report, without importing"))
    importing.add_argument("--reference", action="store_true", help=_(
        "load it as a reference catalogue for ISBN lookup, apart from the holdings"))
    importing.set_defaults(handler=run_import)

    reference = commands.add_parser("reference", help=_("reference catalogues"))
    reference_sub = reference.add_subparsers(dest="reference_command", metavar=_("SUBCOMMAND"),
                                             required=True, parser_class=type(reference))
    listing = reference_sub.add_parser("list", help=_("list the reference catalogues"))
    listing.set_defaults(handler=run_reference_list)
    remove = reference_sub.add_parser("remove", help=_("remove a reference catalogue"))
    remove.add_argument("code", metavar="CODE")
    remove.set_defaults(handler=run_reference_remove)


def run_export(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    with database.read() as session:
        report = export_fm21(
            session, context.actor, args.out, now=context.now, since=args.since,
            profile=args.profile,
            progress=lambda done, total: context.progress(done, total, _("Export")))
    payload = {"path": str(report.path), "records": report.records, "items": report.items,
               "deleted": report.deleted, "oversize": list(report.oversize)}
    text = _("Package written: {path} ({records} records, {items} copies, {deleted} "
             "deleted).").format(path=report.path, records=number(report.records),
                                 items=number(report.items), deleted=number(report.deleted))
    return Outcome(payload, text)


def _issue(issue: Issue) -> dict[str, Any]:
    return {"position": issue.position, "reason": issue.reason, "detail": issue.detail}


def _import_text(report: ImportReport) -> str:
    head = _("Dry run, nothing imported:") if report.dry_run else _("Imported:")
    lines = [head + " " + _("{new} new records, {matched} matched existing records, {copies} "
                            "new copies.").format(new=number(report.records_new),
                                                  matched=number(report.records_matched),
                                                  copies=number(report.copies_new))]
    if report.legacy_charset:
        lines.append(ngettext(
            "{n} record was not UTF-8 and was read in its declared character set.",
            "{n} records were not UTF-8 and were read in their declared character set.",
            len(report.legacy_charset)).format(n=number(len(report.legacy_charset))))
    for title, issues in ((_("Barcode conflicts (copies not added):"), report.conflicts),
                          (_("Repeated inside the file:"), report.duplicates),
                          (_("Rejected:"), report.rejected)):
        if issues:
            lines.append(title + f" {number(len(issues))}")
            for issue in issues[:MAX_LISTED]:
                lines.append("  " + _("record {position}: {reason}").format(
                    position=issue.position, reason=issue.reason)
                    + (f" ({issue.detail})" if issue.detail else ""))
    return "\n".join(lines)


def run_import(args: argparse.Namespace, context: CommandContext) -> Outcome:
    incoming = open_incoming(args.file, reference=args.reference)
    database = context.open().database
    if args.reference and not args.dry_run:
        with database.write() as session:
            summary = load_reference(session, context.actor, incoming, now=context.now)
        payload = {"reference": summary.code, "records": summary.records,
                   "rejected": [_issue(Issue(i.position, i.reason, i.detail))
                                for i in summary.rejected], "dry_run": False}
        return Outcome(payload, _("Reference catalogue {code} loaded: {records} records.")
                       .format(code=summary.code, records=number(summary.records)))
    opened = database.read() if args.dry_run else database.write()
    with opened as session:
        report = import_incoming(
            session, context.actor, incoming, dry_run=args.dry_run, now=context.now,
            progress=lambda done, total: context.progress(done, total, _("Import")))
    payload = {
        "records_new": report.records_new,
        "records_matched": report.records_matched,
        "copies_new": report.copies_new,
        "conflicts": [_issue(issue) for issue in report.conflicts],
        "rejected": [_issue(issue) for issue in report.rejected],
        "duplicates": [_issue(issue) for issue in report.duplicates],
        "deleted": report.deleted,
        "legacy_charset": list(report.legacy_charset),
        "kind": report.kind,
        "flavours": report.flavours,
        "dry_run": report.dry_run,
    }
    return Outcome(payload, _import_text(report))


def run_reference_list(args: argparse.Namespace, context: CommandContext) -> Outcome:
    with context.open().database.read() as session:
        catalogues = list_references(session)
    payload = {"catalogues": [
        {"code": c.code, "name": c.name, "source": c.source,
         "loaded_at": c.loaded_at.isoformat(), "records": c.records} for c in catalogues]}
    lines = [f"{c.code}\t{c.name}\t{number(c.records)}\t{short_day(c.loaded_at.date())}"
             for c in catalogues]
    return Outcome(payload, "\n".join(lines) or _("No reference catalogue."))


def run_reference_remove(args: argparse.Namespace, context: CommandContext) -> Outcome:
    with context.open().database.write() as session:
        remove_reference(session, context.actor, args.code, now=context.now)
    return Outcome({"removed": args.code}, _("Reference catalogue {code} removed.").format(
        code=args.code))

"""Members' privacy: `privacy export-member` (right of access) and `privacy anonymise`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mediatheque.cli.context import CommandContext, Outcome
from mediatheque.i18n import _, ngettext
from mediatheque.privacy import anonymise_old_loans, export_member_data, write_member_data
from mediatheque.privacy.export import FORMATS
from mediatheque.reports.files import suffix_of


def register(commands: Any) -> None:
    privacy = commands.add_parser("privacy", help=_("members' personal data"))
    actions = privacy.add_subparsers(dest="privacy_command", metavar=_("ACTION"),
                                     required=True, parser_class=type(privacy))
    export = actions.add_parser("export-member", help=_(
        "everything the library holds about one member, on their request (.json or .pdf)"))
    export.add_argument("barcode", metavar="BARCODE")
    export.add_argument("--out", required=True, type=Path, metavar="FILE")
    export.set_defaults(handler=run_export_member)

    anonymise = actions.add_parser("anonymise", help=_(
        "forget the member of returned loans older than the configured delay"))
    anonymise.set_defaults(handler=run_anonymise)


def run_export_member(args: argparse.Namespace, context: CommandContext) -> Outcome:
    suffix_of(args.out, FORMATS)  # refuse a wrong extension before anything is read
    database = context.open().database
    actor = context.actor
    with database.write() as session:
        data = export_member_data(session, actor, args.barcode, now=context.now)
        path = write_member_data(data, args.out)
    counts = {"loans": len(data["loans"]), "holds": len(data["holds"]),
              "audit": len(data["audit"])}
    return Outcome({"path": str(path), "barcode": data["member"]["barcode"], **counts},
                   _("Personal data of {barcode} written to {path}.").format(
                       barcode=data["member"]["barcode"], path=path))


def run_anonymise(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    with database.write() as session:
        count = anonymise_old_loans(session, context.now)
    return Outcome({"anonymised": count}, ngettext(
        "{n} returned loan anonymised.", "{n} returned loans anonymised.", count).format(n=count))

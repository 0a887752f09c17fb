"""`copies labels` and `members cards` (CLI.md). The `members` group belongs to
members_commands, which calls `add_member_cards_parser`; `copies` is registered here."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from mediatheque.cli.context import CommandContext, Outcome
from mediatheque.i18n import _, ngettext
from mediatheque.printing.batches import CardSelection, LabelSelection, unique
from mediatheque.printing.cards import CardLayout
from mediatheque.printing.document import PrintResult, PrintWarning
from mediatheque.printing.messages import describe_warning
from mediatheque.printing.service import print_copy_labels, print_member_cards


def register(commands: Any) -> None:
    copies = commands.add_parser("copies", help=_("copies: labels"))
    sub = copies.add_subparsers(dest="copies_command", metavar=_("SUBCOMMAND"), required=True,
                                parser_class=type(copies))
    labels = sub.add_parser("labels", help=_(
        "print copy labels (call number and barcode) on label sheets"))
    labels.add_argument("--out", required=True, type=Path, metavar="FILE.pdf",
                        help=_("the PDF file to write"))
    which = labels.add_mutually_exclusive_group(required=True)
    which.add_argument("--copy", nargs="+", action="extend", dest="copies", metavar="BARCODE",
                       help=_("the copies' barcodes"))
    which.add_argument("--since", type=_date, metavar="DATE",
                       help=_("every copy catalogued since this date (YYYY-MM-DD)"))
    labels.add_argument("--start", type=_position, default=1, metavar="N",
                        help=_("first label position to use on the first sheet (default 1)"))
    labels.set_defaults(handler=run_labels)


def add_member_cards_parser(members_subparsers: Any) -> None:
    """Adds `members cards` to the `members` command group."""
    cards = members_subparsers.add_parser("cards", help=_("print member cards (PDF)"))
    cards.add_argument("--out", required=True, type=Path, metavar="FILE.pdf",
                       help=_("the PDF file to write"))
    cards.add_argument("--layout", choices=[layout.value for layout in CardLayout],
                       help=_("cr80: one card per page for a card printer; a4: sheets of 10 "
                              "cards with crop marks (default: the printing settings')"))
    which = cards.add_mutually_exclusive_group(required=True)
    which.add_argument("--member", nargs="+", action="extend", dest="members",
                       metavar="BARCODE", help=_("the members' card barcodes"))
    which.add_argument("--all", action="store_true", dest="all_members",
                       help=_("every active member"))
    which.add_argument("--new-since", type=_date, metavar="DATE",
                       help=_("the members registered since this date (YYYY-MM-DD)"))
    cards.set_defaults(handler=run_cards)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(_("a date YYYY-MM-DD is expected")) from None


def _position(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("a whole number is expected")) from None


def run_labels(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    selection = LabelSelection(barcodes=unique(args.copies or []),
                               catalogued_since=args.since)
    with database.read() as session:
        result = print_copy_labels(
            session, context.actor, selection, start=args.start,
            progress=lambda done, total: context.progress(done, total, _("Labels")))
    path = result.write(args.out)
    text = ngettext("{count} label written to {path}", "{count} labels written to {path}",
                    result.count).format(count=result.count, path=path)
    text += " " + ngettext("({pages} sheet).", "({pages} sheets).", result.pages).format(
        pages=result.pages)
    return Outcome(_payload(result, path, "labels"), text)


def run_cards(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    selection = CardSelection(barcodes=unique(args.members or []),
                              all_members=args.all_members, registered_since=args.new_since)
    layout = CardLayout(args.layout) if args.layout else None
    with database.read() as session:
        result = print_member_cards(
            session, context.actor, selection, layout=layout,
            progress=lambda done, total: context.progress(done, total, _("Cards")))
    path = result.write(args.out)
    _warn(result.warnings)
    text = ngettext("{count} card written to {path}.", "{count} cards written to {path}.",
                    result.count).format(count=result.count, path=path)
    return Outcome(_payload(result, path, "cards"), text)


def _payload(result: PrintResult, path: Path, key: str) -> dict[str, Any]:
    return {"path": str(path), key: result.count, "pages": result.pages,
            "warnings": [{"code": w.code, "path": w.path} for w in result.warnings]}


def _warn(warnings: tuple[PrintWarning, ...]) -> None:
    for warning in warnings:
        print(describe_warning(warning), file=sys.stderr)

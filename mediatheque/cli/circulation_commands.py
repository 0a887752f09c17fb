"""`loan`, `return`, `renew`, `hold` and `expire-holds` (CLI.md). Each copy is lent,
returned or renewed in its own transaction: a refusal never undoes the others. `--at`
records what happened earlier (loans written on paper during an outage); a time without
offset is read in the library's time zone."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from mediatheque.circulation import (
    check_out,
    expire_holds,
    member_by_barcode,
    place_hold,
    renew_all,
    renew_loan,
    return_copy,
)
from mediatheque.circulation.messages import refusal_sentence
from mediatheque.cli.context import CommandContext, Outcome
from mediatheque.db import Database
from mediatheque.errors import InvalidValue, LoanRefused, UnknownBarcode
from mediatheque.formatting import long_day
from mediatheque.i18n import _, ngettext
from mediatheque.messages import describe_error
from mediatheque.models import Member
from mediatheque.settings import load_library_settings

EXIT_REFUSED = 1


def register(commands: Any) -> None:
    loan = commands.add_parser("loan", help=_("lend copies to a member"))
    loan.add_argument("member", metavar="MEMBER", help=_("the member's card barcode"))
    loan.add_argument("copies", nargs="+", metavar="COPY", help=_("copy barcodes"))
    loan.add_argument("--override", metavar="REASON",
                      help=_("lend despite a refusal that may be overridden, for this reason"))
    _add_at(loan)
    loan.set_defaults(handler=run_loan)

    give_back = commands.add_parser("return", help=_("return copies"))
    give_back.add_argument("copies", nargs="+", metavar="COPY", help=_("copy barcodes"))
    _add_at(give_back)
    give_back.set_defaults(handler=run_return)

    renew = commands.add_parser("renew", help=_("renew loans"))
    renew.add_argument("copies", nargs="*", metavar="COPY", help=_("copy barcodes"))
    renew.add_argument("--member", metavar="MEMBER",
                       help=_("renew every loan of this member (card barcode)"))
    _add_at(renew)
    renew.set_defaults(handler=run_renew)

    hold = commands.add_parser("hold", help=_("place a hold on a record for a member"))
    hold.add_argument("member", metavar="MEMBER", help=_("the member's card barcode"))
    hold.add_argument("record_id", metavar="RECORD_ID", type=_record_id,
                      help=_("the record number"))
    _add_at(hold)
    hold.set_defaults(handler=run_hold)

    expire = commands.add_parser(
        "expire-holds", help=_("close the holds not picked up in time and pass the copies on")
    )
    expire.set_defaults(handler=run_expire_holds)


def _add_at(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--at", type=_instant, metavar="INSTANT", help=_(
        "when it really happened (ISO 8601, e.g. 2026-11-20T15:30; "
        "without offset, in the library's time zone)"))


def _instant(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("an instant like 2026-11-20T15:30 or 2026-11-20T10:30+00:00 is expected")
        ) from None


def _record_id(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(_("a record number is expected"))
    return int(text)


def _at(database: Database, context: CommandContext, value: datetime | None) -> datetime | None:
    """`--at` as an aware instant; refused when it is in the future."""
    if value is None:
        return None
    if value.tzinfo is None:
        with database.read() as session:
            value = value.replace(tzinfo=load_library_settings(session).zone)
    if value > context.now:
        raise InvalidValue("at", value.isoformat())
    return value


def _member_id(database: Database, barcode: str) -> int:
    with database.read() as session:
        return member_by_barcode(session, barcode)


def _refused(copy: str, error: LoanRefused | UnknownBarcode) -> dict[str, Any]:
    reason = error.reason if isinstance(error, LoanRefused) else error.code
    return {"copy": copy, "reason": reason, **{k: v for k, v in error.details().items()
                                                if k not in ("reason", "copy")}}


def _refusal_lines(refused: list[tuple[str, LoanRefused | UnknownBarcode]]) -> list[str]:
    return [
        _("Refused {copy}: {why}").format(
            copy=copy,
            why=refusal_sentence(error) if isinstance(error, LoanRefused)
            else describe_error(error),
        )
        for copy, error in refused
    ]


def _finish(payload: dict[str, Any], lines: list[str], done: int,
            refused: list[tuple[str, LoanRefused | UnknownBarcode]]) -> Outcome:
    """Exit 1 when everything was refused (with the first reason on stderr)."""
    failed = done == 0 and bool(refused)
    if failed:
        print(_refusal_lines(refused[:1])[0], file=sys.stderr)
    return Outcome(payload, "\n".join(lines + _refusal_lines(refused)),
                   EXIT_REFUSED if failed else 0)


def run_loan(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    at = _at(database, context, args.at)
    member_id = _member_id(database, args.member)
    loans: list[dict[str, Any]] = []
    lines: list[str] = []
    refused: list[tuple[str, LoanRefused | UnknownBarcode]] = []
    for copy in args.copies:
        try:
            with database.write() as session:
                done = check_out(session, context.actor, member_id=member_id,
                                 copy_barcode=copy, now=context.now, at=at,
                                 override_reason=args.override)
        except LoanRefused as error:
            refused.append((copy, error))
            continue
        loans.append({"copy": done.copy_barcode, "due": done.due_on.isoformat(),
                      "title": done.title, "loan_id": done.loan_id,
                      "overridden": done.overridden})
        lines.append(_("Lent {copy} “{title}”, due {due}.").format(
            copy=done.copy_barcode, title=done.title, due=long_day(done.due_on)))
    payload = {"loans": loans, "refused": [_refused(c, e) for c, e in refused]}
    return _finish(payload, lines, len(loans), refused)


def run_return(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    at = _at(database, context, args.at)
    returned: list[dict[str, Any]] = []
    lines: list[str] = []
    refused: list[tuple[str, LoanRefused | UnknownBarcode]] = []
    for copy in args.copies:
        try:
            with database.write() as session:
                done = return_copy(session, context.actor, copy_barcode=copy,
                                   now=context.now, at=at)
                member = _barcode_of(session, done.member_id)
                hold_for = _barcode_of(session, done.hold_for.member_id if done.hold_for
                                       else None)
        except UnknownBarcode as error:
            refused.append((copy, error))
            continue
        returned.append({
            "copy": done.copy_barcode, "member": member, "late_days": done.late_days,
            "hold_for": hold_for, "was_on_loan": done.was_on_loan, "title": done.title,
            "pickup_by": done.hold_for.pickup_by.isoformat() if done.hold_for else None,
        })
        if not done.was_on_loan:
            lines.append(_("{copy} “{title}” was not on loan.").format(
                copy=done.copy_barcode, title=done.title))
        elif done.late_days:
            lines.append(ngettext("Returned {copy} “{title}”, {n} day late.",
                                  "Returned {copy} “{title}”, {n} days late.",
                                  done.late_days).format(
                copy=done.copy_barcode, title=done.title, n=done.late_days))
        else:
            lines.append(_("Returned {copy} “{title}”.").format(
                copy=done.copy_barcode, title=done.title))
        if done.hold_for:
            lines.append(_("Put it aside for {name} ({card}) until {date}.").format(
                name=done.hold_for.member_name, card=hold_for,
                date=long_day(done.hold_for.pickup_by)))
    payload = {"returned": returned, "refused": [_refused(c, e) for c, e in refused]}
    return _finish(payload, lines, len(returned), refused)


def _barcode_of(session: Any, member_id: int | None) -> str | None:
    if member_id is None:
        return None
    member = session.get(Member, member_id)
    return member.barcode if member else None


def run_renew(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    at = _at(database, context, args.at)
    if not args.copies and not args.member:
        raise InvalidValue("copies", "")
    renewed: list[dict[str, Any]] = []
    refused: list[tuple[str, LoanRefused | UnknownBarcode]] = []
    if args.member:
        member_id = _member_id(database, args.member)
        with database.write() as session:
            done_all, refusals = renew_all(session, context.actor, member_id=member_id,
                                           now=context.now, at=at)
        done_list = list(done_all)
        refused.extend((error.copy_barcode or "", error) for error in refusals)
    else:
        done_list = []
    for copy in args.copies:
        try:
            with database.write() as session:
                done_list.append(renew_loan(session, context.actor, copy_barcode=copy,
                                            now=context.now, at=at))
        except LoanRefused as error:
            refused.append((copy, error))
    lines = []
    for done in done_list:
        renewed.append({"copy": done.copy_barcode, "due": done.due_on.isoformat(),
                        "title": done.title})
        lines.append(_("Renewed {copy} “{title}” until {due}.").format(
            copy=done.copy_barcode, title=done.title, due=long_day(done.due_on)))
    payload = {"renewed": renewed, "refused": [_refused(c, e) for c, e in refused]}
    return _finish(payload, lines, len(renewed), refused)


def run_hold(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    at = _at(database, context, args.at)
    member_id = _member_id(database, args.member)
    with database.write() as session:
        placed = place_hold(session, context.actor, member_id=member_id,
                            record_id=args.record_id, now=context.now, at=at)
    return Outcome(
        {"hold_id": placed.hold_id, "position": placed.position},
        _("Hold {id} placed: position {position} in the queue.").format(
            id=placed.hold_id, position=placed.position),
    )


def run_expire_holds(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    with database.write() as session:
        count = expire_holds(session, context.actor, now=context.now)
    return Outcome({"expired": count},
                   _("{n} holds expired.").format(n=count))

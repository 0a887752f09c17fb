"""`members add`, `members show`, `members import-csv` (CLI.md), and `members search`,
`members renew`, `members replace-card`, `members delete`.

Other modules add their own `members …` subcommands through MEMBER_SUBCOMMANDS (each is
called with the `members` sub-parsers, like catalogue's register_search)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from mediatheque.catalogue.csv_reading import CsvIssue
from mediatheque.cli.context import CommandContext, Outcome
from mediatheque.cli.printing_commands import add_member_cards_parser
from mediatheque.formatting import long_day, short_day
from mediatheque.i18n import _, ngettext
from mediatheque.members.csv_import import import_members_csv, read_member_csv
from mediatheque.members.deletion import delete_member
from mediatheque.members.editing import MemberInput, register_member
from mediatheque.members.membership import renew_membership, replace_card
from mediatheque.members.messages import csv_reason_text
from mediatheque.members.reading import find_member_by_barcode, member_details
from mediatheque.members.search import search_members
from mediatheque.models.vocabulary import LANGUAGE_PREFERENCES
from mediatheque.settings import load_library_settings

MAX_LISTED = 50
# Functions adding more `members …` subcommands (e.g. `members cards`), called with the
# sub-parsers of `members`.
MEMBER_SUBCOMMANDS: tuple[Callable[[Any], None], ...] = (add_member_cards_parser,)


def register(commands: Any) -> None:
    members = commands.add_parser("members", help=_("library members"))
    sub = members.add_subparsers(dest="members_command", metavar=_("SUBCOMMAND"),
                                 required=True, parser_class=type(members))

    add = sub.add_parser("add", help=_("register a member and give a card barcode"))
    add.add_argument("--first", required=True, metavar="F", help=_("first name"))
    add.add_argument("--last", required=True, metavar="L", help=_("last name"))
    add.add_argument("--category", metavar="C", help=_("category code (default: ADULT)"))
    add.add_argument("--email", metavar="E", help=_("e-mail address"))
    add.add_argument("--phone", metavar="P", help=_("phone number"))
    add.add_argument("--lang", dest="member_lang", choices=LANGUAGE_PREFERENCES,
                     help=_("the member's language (default: the library's)"))
    add.add_argument("--start", type=_date, metavar="DATE",
                     help=_("membership start (default: today)"))
    add.add_argument("--expires", type=_date, metavar="DATE",
                     help=_("membership expiry (default: from the category's duration)"))
    add.add_argument("--barcode", metavar="CODE",
                     help=_("an existing card barcode (default: a new one is generated)"))
    add.add_argument("--address", help=_("postal address"))
    add.add_argument("--notes", help=_("notes"))
    add.add_argument("--refuse-duplicates", action="store_true", help=_(
        "refuse when a member with the same names and phone or e-mail exists"))
    add.set_defaults(handler=run_add)

    show = sub.add_parser("show", help=_("a member with current loans and holds"))
    show.add_argument("barcode", metavar="BARCODE")
    show.set_defaults(handler=run_show)

    import_csv = sub.add_parser("import-csv", help=_("import members from a CSV file"))
    import_csv.add_argument("file", metavar="FILE", type=Path)
    import_csv.add_argument("--dry-run", action="store_true",
                            help=_("check the file and report, without importing"))
    import_csv.set_defaults(handler=run_import_csv)

    search = sub.add_parser("search", help=_("find members by name, barcode, e-mail or phone"))
    search.add_argument("query", metavar="QUERY", nargs="?", default="")
    search.add_argument("--limit", type=int, default=20, metavar="N")
    search.add_argument("--offset", type=int, default=0, metavar="N")
    search.set_defaults(handler=run_search)

    renew = sub.add_parser("renew", help=_("renew a membership for the category's duration"))
    renew.add_argument("barcode", metavar="BARCODE")
    renew.set_defaults(handler=run_renew)

    replace = sub.add_parser("replace-card", help=_(
        "give a new card for a lost one (the old barcode is then refused)"))
    replace.add_argument("barcode", metavar="BARCODE")
    replace.add_argument("--new", metavar="CODE",
                         help=_("the new card's barcode (default: generated)"))
    replace.set_defaults(handler=run_replace_card)

    remove = sub.add_parser("delete", help=_(
        "delete a member and their personal data (loan statistics are kept)"))
    remove.add_argument("barcode", metavar="BARCODE")
    remove.set_defaults(handler=run_delete)

    for extend in MEMBER_SUBCOMMANDS:
        extend(sub)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(_("a date YYYY-MM-DD is expected")) from error


def _today(context: CommandContext, session: Any) -> date:
    return context.now.astimezone(load_library_settings(session).zone).date()


def run_add(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    with database.write() as session:
        language = args.member_lang or load_library_settings(session).language
        data = MemberInput(
            first_name=args.first, last_name=args.last, email=args.email, phone=args.phone,
            address=args.address, preferred_language=language, category_code=args.category,
            membership_start=args.start, membership_expiry=args.expires, notes=args.notes,
            barcode=args.barcode)
        saved = register_member(session, context.actor, data, now=context.now,
                                today=_today(context, session),
                                refuse_duplicates=args.refuse_duplicates)
    payload = {
        "member_id": saved.member_id, "barcode": saved.barcode,
        "membership_expiry": saved.membership_expiry.isoformat(),
        "duplicates": [{"member_id": d.member_id, "barcode": d.barcode}
                       for d in saved.duplicates],
    }
    lines = [_("Member {id} registered, card {barcode}, valid until {expiry}.").format(
        id=saved.member_id, barcode=saved.barcode, expiry=long_day(saved.membership_expiry))]
    for duplicate in saved.duplicates:
        lines.append(_("Warning: member {id} (card {barcode}) has the same names and "
                       "phone or e-mail.").format(id=duplicate.member_id,
                                                  barcode=duplicate.barcode))
    return Outcome(payload, "\n".join(lines))


def run_show(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    with database.read() as session:
        member_id, replaced = find_member_by_barcode(session, args.barcode)
        details = member_details(session, context.actor, member_id,
                                 today=_today(context, session))
    member = {
        "member_id": details.member_id, "barcode": details.barcode,
        "first_name": details.first_name, "last_name": details.last_name,
        "email": details.email, "phone": details.phone, "address": details.address,
        "language": details.preferred_language, "category": details.category_code,
        "category_name": details.category_name,
        "membership_start": details.membership_start.isoformat(),
        "membership_expiry": details.membership_expiry.isoformat(),
        "expired": details.expired, "status": details.status, "notes": details.notes,
        "replaced_cards": list(details.replaced_cards),
    }
    payload = {
        "member": member,
        "card_replaced": replaced,
        "loans": [{"copy": loan.copy_barcode, "title": loan.title,
                   "due": loan.due_on.isoformat(), "overdue": loan.overdue}
                  for loan in details.loans],
        "holds": [{"hold_id": hold.hold_id, "record_id": hold.record_id, "title": hold.title,
                   "status": hold.status,
                   "pickup_by": hold.pickup_by.isoformat() if hold.pickup_by else None}
                  for hold in details.holds],
        "history": {"loans": details.loans_in_all},
    }
    lines = [f"{details.last_name} {details.first_name} — {details.barcode}",
             _("Category: {category}. Member until {expiry}.").format(
                 category=details.category_name,
                 expiry=long_day(details.membership_expiry))]
    if replaced:
        lines.append(_("Warning: {barcode} is a replaced card; the current card is "
                       "{current}.").format(barcode=args.barcode.strip(),
                                            current=details.barcode))
    if details.expired:
        lines.append(_("The membership has expired."))
    contact = ", ".join(c for c in (details.email, details.phone) if c)
    if contact:
        lines.append(contact)
    lines.append(ngettext("{n} loan:", "{n} loans:", len(details.loans)).format(
        n=len(details.loans)))
    for loan in details.loans:
        late = " " + _("(overdue)") if loan.overdue else ""
        lines.append(f"  {loan.copy_barcode}  {short_day(loan.due_on)}  {loan.title}{late}")
    if details.holds:
        lines.append(ngettext("{n} hold:", "{n} holds:", len(details.holds)).format(
            n=len(details.holds)))
        for hold in details.holds:
            lines.append(f"  {hold.title} ({hold.status})")
    lines.append(_("Loans in all: {n}.").format(n=details.loans_in_all))
    return Outcome(payload, "\n".join(lines))


def run_import_csv(args: argparse.Namespace, context: CommandContext) -> Outcome:
    plan = read_member_csv(args.file)
    database = context.open().database
    opened = database.read() if args.dry_run else database.write()
    with opened as session:
        report = import_members_csv(
            session, context.actor, plan, dry_run=args.dry_run, now=context.now,
            today=_today(context, session),
            progress=lambda done, total: context.progress(done, total, _("Import")))
    payload = {
        "members_new": report.members_new,
        "rejected": [_issue(issue) for issue in report.rejected],
        "warnings": [_issue(issue) for issue in report.warnings],
        "dry_run": report.dry_run,
        "member_ids": list(report.member_ids),
        "encoding": plan.encoding,
        "delimiter": plan.delimiter,
        "columns": plan.columns,
        "ignored": list(plan.ignored),
    }
    head = _("Dry run, nothing imported:") if report.dry_run else _("Imported:")
    lines = [head + " " + ngettext("{n} new member.", "{n} new members.",
                                   report.members_new).format(n=report.members_new)]
    for title, issues in ((ngettext("{n} row rejected:", "{n} rows rejected:",
                                    len(report.rejected)), report.rejected),
                          (ngettext("{n} warning:", "{n} warnings:", len(report.warnings)),
                           report.warnings)):
        if issues:
            lines.append(title.format(n=len(issues)))
            for issue in issues[:MAX_LISTED]:
                lines.append("  " + _("line {line}: {reason}").format(
                    line=issue.line, reason=csv_reason_text(issue.reason))
                    + (f" ({issue.detail})" if issue.detail else ""))
            if len(issues) > MAX_LISTED:
                lines.append("  …")
    return Outcome(payload, "\n".join(lines))


def _issue(issue: CsvIssue) -> dict[str, Any]:
    return {"line": issue.line, "reason": issue.reason, "detail": issue.detail}


def run_search(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    with database.read() as session:
        today = _today(context, session)
        page = search_members(session, context.actor, args.query, offset=args.offset,
                              limit=args.limit)
    results = [{
        "member_id": row.member_id, "barcode": row.barcode, "first_name": row.first_name,
        "last_name": row.last_name, "category": row.category_code, "email": row.email,
        "phone": row.phone, "membership_expiry": row.membership_expiry.isoformat(),
        "expired": row.expired(today),
    } for row in page.rows]
    lines = [ngettext("{n} member found.", "{n} members found.", page.total).format(
        n=page.total)]
    lines += [f"  {row.barcode}  {row.last_name} {row.first_name}  "
              f"{short_day(row.membership_expiry)}" for row in page.rows]
    return Outcome({"total": page.total, "results": results}, "\n".join(lines))


def run_renew(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    with database.write() as session:
        member_id, _replaced = find_member_by_barcode(session, args.barcode)
        expiry = renew_membership(session, context.actor, member_id,
                                  today=_today(context, session), now=context.now)
    return Outcome({"member_id": member_id, "membership_expiry": expiry.isoformat()},
                   _("Membership renewed until {expiry}.").format(expiry=long_day(expiry)))


def run_replace_card(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    with database.write() as session:
        member_id, _replaced = find_member_by_barcode(session, args.barcode)
        new = replace_card(session, context.actor, member_id, now=context.now,
                           barcode=args.new)
    return Outcome({"member_id": member_id, "barcode": new},
                   _("New card {barcode}; the old one will be refused at the desk.").format(
                       barcode=new))


def run_delete(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    with database.write() as session:
        member_id, _replaced = find_member_by_barcode(session, args.barcode)
        done = delete_member(session, context.actor, member_id, now=context.now)
    payload = {"member_id": done.member_id, "loans_anonymised": done.loans_anonymised,
               "holds_removed": done.holds_removed}
    return Outcome(payload, _(
        "Member {id} deleted with their personal data; {loans} past loans kept "
        "anonymously for the statistics.").format(id=done.member_id,
                                                  loans=done.loans_anonymised))

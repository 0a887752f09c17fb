"""`catalogue add`, `catalogue import-csv` and `catalogue complete-pending` (CLI.md);
`show` and `search` come from catalogue_search_commands.

`catalogue add ISBN` for an ISBN already held adds no record and answers `existing: true`;
given `--copies N` explicitly, it adds N copies to that record (what a librarian scanning a
second copy wants); without it, nothing changes.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from mediatheque.catalogue.copies import CopyInput, add_copies
from mediatheque.catalogue.csv_columns import FIELDS, language_code, parse_person
from mediatheque.catalogue.csv_import import (
    CsvImportReport,
    CsvIssue,
    import_catalogue_csv,
    read_catalogue_csv,
)
from mediatheque.catalogue.duplicates import find_duplicates
from mediatheque.catalogue.isbn_cataloguing import catalogue_by_isbn, complete_pending
from mediatheque.catalogue.lookup import ProviderHealth
from mediatheque.catalogue.provider_settings import load_provider_settings
from mediatheque.catalogue.records import RecordInput, create_record
from mediatheque.cli.catalogue_search_commands import register_search
from mediatheque.cli.context import CommandContext, Outcome
from mediatheque.db import Database
from mediatheque.errors import InvalidValue
from mediatheque.formatting import number
from mediatheque.i18n import _, ngettext
from mediatheque.models import Record
from mediatheque.models.vocabulary import MediaType, words

MAX_LISTED = 50  # rejected rows listed in the human output (all of them under --json)


def register(commands: Any) -> None:
    catalogue = commands.add_parser("catalogue", help=_("catalogue records and copies"))
    sub = catalogue.add_subparsers(dest="catalogue_command", metavar=_("SUBCOMMAND"),
                                   required=True, parser_class=type(catalogue))

    add = sub.add_parser("add", help=_(
        "catalogue a book by ISBN (looked up, or queued when offline), "
        "or without ISBN with --title"))
    which = add.add_mutually_exclusive_group(required=True)
    which.add_argument("isbn", nargs="?", metavar="ISBN", help=_("the ISBN (10 or 13 digits)"))
    which.add_argument("--title", help=_("catalogue without lookup, with this title"))
    add.add_argument("--author", action="append", default=[], metavar="NAME",
                     help=_("an author, “Victor Hugo” or “Hugo, Victor” (repeatable)"))
    add.add_argument("--year", type=_year, help=_("year of publication"))
    add.add_argument("--publisher", help=_("publisher"))
    add.add_argument("--language", action="append", default=[], metavar="LANG",
                     help=_("language of the text: fre, rus, kaz, fr, русский… (repeatable)"))
    add.add_argument("--media", choices=words(MediaType), default=MediaType.BOOK,
                     help=_("media type (default: book)"))
    add.add_argument("--isbn", dest="isbn_option", metavar="ISBN",
                     help=_("with --title: the ISBN or EAN, not looked up"))
    add.add_argument("--copies", type=_copies, metavar="N", help=_(
        "number of copies (default 1; for an ISBN already held, copies added to it)"))
    add.add_argument("--location", metavar="CODE", help=_("shelving location of the copies"))
    add.add_argument("--offline", action="store_true",
                     help=_("do not look the ISBN up now: save it and queue the lookup"))
    add.set_defaults(handler=run_add)

    register_search(sub)

    import_csv = sub.add_parser("import-csv", help=_("import a spreadsheet catalogue (CSV)"))
    import_csv.add_argument("file", metavar="FILE", type=Path)
    import_csv.add_argument("--dry-run", action="store_true",
                            help=_("check the file and report, without importing"))
    import_csv.add_argument("--map", action="append", default=[], type=_mapping,
                            metavar="COL=FIELD", help=_(
                                "read column COL as FIELD ({fields}, or ignore)"
                            ).format(fields=", ".join(FIELDS)))
    import_csv.add_argument("--copies", type=_non_negative, default=0, metavar="N", help=_(
        "copies to create for rows that give no copies or barcode (default 0)"))
    import_csv.set_defaults(handler=run_import_csv)

    pending = sub.add_parser("complete-pending", help=_("complete the queued ISBN lookups"))
    pending.set_defaults(handler=run_complete_pending)


def _int_in(text: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(_("a whole number from {low} to {high} is expected")
                                         .format(low=low, high=high))
    return value


def _year(text: str) -> int:
    return _int_in(text, 1, 9999)


def _copies(text: str) -> int:
    return _int_in(text, 1, 500)


def _non_negative(text: str) -> int:
    return _int_in(text, 0, 100)


def _mapping(text: str) -> tuple[str, str]:
    column, sep, field = text.partition("=")
    if not sep or not column.strip():
        raise argparse.ArgumentTypeError(_("COL=FIELD is expected, e.g. Titre=title"))
    return column.strip(), field.strip()


def _database(context: CommandContext) -> Database:
    return context.open().database


def _provider_settings(database: Database) -> Any:
    with database.read() as session:
        return load_provider_settings(session, os.environ)


def run_add(args: argparse.Namespace, context: CommandContext) -> Outcome:
    if args.isbn:
        return _add_by_isbn(args, context)
    return _add_manually(args, context)


def _add_by_isbn(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = _database(context)
    template = CopyInput(location_code=args.location)
    result = catalogue_by_isbn(
        database, args.isbn, actor=context.actor,
        copies=1 if args.copies is None else args.copies,
        copy_template=template, offline=args.offline,
        settings=_provider_settings(database), health=ProviderHealth(), now=context.now,
        progress=lambda done, total: context.progress(done, total, _("Lookup")),
    )
    barcodes = list(result.barcodes)
    if result.existing and args.copies:
        with database.write() as session:
            barcodes = add_copies(session, context.actor, result.record_id, template, args.copies,
                                  now=context.now)
    payload = {"record_id": result.record_id, "title": result.title, "copies": barcodes,
               "pending_lookup": result.pending_lookup, "existing": result.existing}
    if result.existing:
        text = _("Already in the catalogue: record {id}, “{title}”.").format(
            id=result.record_id, title=result.title)
        if barcodes:
            text += "\n" + _copies_line(barcodes)
    else:
        text = _("Record {id} catalogued: “{title}”.").format(
            id=result.record_id, title=result.title)
        if barcodes:
            text += "\n" + _copies_line(barcodes)
        if result.pending_lookup:
            text += "\n" + _("Its details will be looked up later "
                             "(mediatheque catalogue complete-pending).")
    return Outcome(payload, text)


def _copies_line(barcodes: list[str]) -> str:
    return ngettext("{n} copy: {barcodes}", "{n} copies: {barcodes}", len(barcodes)).format(
        n=len(barcodes), barcodes=", ".join(barcodes))


def _add_manually(args: argparse.Namespace, context: CommandContext) -> Outcome:
    people = []
    for name in args.author:
        person = parse_person(name)
        if person is None:
            raise InvalidValue("author", name)
        people.append(person)
    languages = []
    for text in args.language:
        code = language_code(text)
        if code is None:
            raise InvalidValue("language", text)
        languages.append(code)
    data = RecordInput(
        title=args.title, contributors=tuple(people), year=args.year,
        publisher=args.publisher, languages=tuple(languages), media_type=args.media,
        isbn=args.isbn_option, metadata_source="manual",
    )
    database = _database(context)
    with database.write() as session:
        record_id = create_record(session, context.actor, data, now=context.now)
        record_ids = {record_id}
        first = people[0].display() if people else None
        stored = session.get(Record, record_id)
        assert stored is not None
        duplicates = [d for d in find_duplicates(
            session, isbn13=stored.isbn13, ean=stored.ean, title=stored.title,
            first_author=first, year=args.year) if d.record_id not in record_ids]
        barcodes = add_copies(session, context.actor, record_id,
                              CopyInput(location_code=args.location), args.copies or 1,
                              now=context.now)
        title = stored.title
    payload = {
        "record_id": record_id, "title": title, "copies": barcodes, "pending_lookup": False,
        "existing": False,
        "duplicates": [{"record_id": d.record_id, "title": d.title, "reason": d.reason}
                       for d in duplicates],
    }
    lines = [_("Record {id} catalogued: “{title}”.").format(id=record_id, title=title),
             _copies_line(barcodes)]
    for duplicate in duplicates:
        lines.append(_("Warning: record {id}, “{title}”, may be the same book.").format(
            id=duplicate.record_id, title=duplicate.title))
    return Outcome(payload, "\n".join(lines))


def run_import_csv(args: argparse.Namespace, context: CommandContext) -> Outcome:
    mapping = dict(args.map)
    plan = read_catalogue_csv(args.file, mapping, default_copies=args.copies,
                              latest_year=context.now.year + 1)
    database = _database(context)
    opened = database.read() if args.dry_run else database.write()
    with opened as session:
        report = import_catalogue_csv(
            session, context.actor, plan, dry_run=args.dry_run, now=context.now,
            progress=lambda done, total: context.progress(done, total, _("Import")),
        )
    payload = {
        "records_new": report.records_new,
        "records_matched": report.records_matched,
        "copies_new": report.copies_new,
        "rejected": [_issue(issue) for issue in report.rejected],
        "warnings": [_issue(issue) for issue in report.warnings],
        "dry_run": report.dry_run,
        "encoding": plan.encoding,
        "delimiter": plan.delimiter,
        "columns": plan.columns,
        "ignored": list(plan.ignored),
    }
    return Outcome(payload, _import_text(report, plan.encoding))


def _issue(issue: CsvIssue) -> dict[str, Any]:
    return {"line": issue.line, "reason": issue.reason, "detail": issue.detail}


def _import_text(report: CsvImportReport, encoding: str) -> str:
    head = _("Dry run, nothing imported:") if report.dry_run else _("Imported:")
    lines = [
        head + " " + _("{new} new records, {matched} rows matched existing records, "
                       "{copies} new copies.").format(new=number(report.records_new),
                                                      matched=number(report.records_matched),
                                                      copies=number(report.copies_new)),
        _("File encoding: {encoding}.").format(encoding=encoding),
    ]
    if report.rejected:
        lines.append(ngettext("{n} row rejected:", "{n} rows rejected:",
                              len(report.rejected)).format(n=number(len(report.rejected))))
        for issue in report.rejected[:MAX_LISTED]:
            lines.append("  " + _("line {line}: {reason}").format(
                line=issue.line, reason=csv_reason_text(issue.reason))
                + (f" ({issue.detail})" if issue.detail else ""))
        if len(report.rejected) > MAX_LISTED:
            lines.append("  …")
    if report.warnings:
        lines.append(ngettext("{n} value left out (the rows were imported without it).",
                              "{n} values left out (the rows were imported without them).",
                              len(report.warnings)).format(n=len(report.warnings)))
    return "\n".join(lines)


def csv_reason_text(reason: str) -> str:
    """People's words for the reason codes of a spreadsheet import."""
    texts = {
        "wrong_column_count": _("not the same number of columns as the header"),
        "missing_title": _("no title"),
        "invalid_barcode": _("the barcode cannot be read"),
        "invalid_copies": _("the number of copies is not a whole number from 0 to 100"),
        "invalid_value": _("a value is too long or not allowed"),
        "duplicate_barcode": _("the barcode is already used"),
        "duplicate_in_file": _("the same book as an earlier row, with no copy to add"),
        "invalid_isbn": _("invalid ISBN, left out"),
        "isbn_mismatch": _("the ISBN-10 and ISBN-13 differ; the ISBN-13 was kept"),
        "invalid_year": _("the year cannot be read"),
        "unknown_language": _("unknown language"),
        "unknown_media_type": _("unknown media type"),
        "unknown_audience": _("unknown audience"),
        "invalid_cefr_level": _("the CEFR level is not A1 to C2"),
        "cefr_not_fle": _("a CEFR level is only for FLE material"),
        "unknown_status": _("unknown copy status"),
        "unknown_acquisition_mode": _("unknown acquisition mode"),
        "invalid_date": _("the date cannot be read"),
        "invalid_price": _("the price cannot be read"),
        "invalid_location": _("the location code cannot be used"),
    }
    return texts.get(reason, reason)


def run_complete_pending(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = _database(context)
    report = complete_pending(
        database, actor=context.actor, settings=_provider_settings(database),
        health=ProviderHealth(), now=context.now,
        progress=lambda done, total: context.progress(done, total, _("Lookups")),
    )
    payload = {"completed": report.completed, "not_found": report.not_found,
               "still_pending": report.still_pending}
    text = _("{completed} records completed, {not_found} not found anywhere, "
             "{pending} still waiting.").format(completed=report.completed,
                                                not_found=report.not_found,
                                                pending=report.still_pending)
    return Outcome(payload, text)

"""`catalogue show RECORD_ID` and `catalogue search QUERY` (CLI.md).

`register_search(catalogue_commands)` adds both to the sub-parsers of the `catalogue`
command, which mediatheque.cli.catalogue_commands creates.
"""

from __future__ import annotations

import argparse
from typing import Any

from mediatheque.catalogue.reading import RecordDetail, detail_json, record_detail
from mediatheque.catalogue.search import SearchFilters, page_json, search_records
from mediatheque.cli.context import CommandContext, Outcome
from mediatheque.formatting import labelled, number
from mediatheque.i18n import _, ngettext
from mediatheque.models.vocabulary import CopyStatus, MediaType, words


def register_search(catalogue_commands: Any) -> None:
    show = catalogue_commands.add_parser(
        "show", help=_("one record with its copies and their status"))
    show.add_argument("record_id", metavar="RECORD_ID", type=_record_id)
    show.set_defaults(handler=run_show)

    search = catalogue_commands.add_parser("search", help=_("search the catalogue"))
    search.add_argument("query", metavar="QUERY",
                        help=_("words of the title, authors, subjects…, or an ISBN"))
    search.add_argument("--limit", type=_limit, default=20, help=_("how many results"))
    search.add_argument("--offset", type=_offset, default=0, help=_("results to skip"))
    search.add_argument("--media", choices=words(MediaType), help=_("only this media type"))
    search.add_argument("--language", metavar="CODE",
                        help=_("only records in this language (ISO 639-2: fre, rus, kaz…)"))
    search.add_argument("--available", action="store_true",
                        help=_("only records with a copy on the shelf now"))
    search.set_defaults(handler=run_search)


def run_show(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    with database.read() as session:
        detail = record_detail(session, args.record_id)
    return Outcome(detail_json(detail), _show_text(detail))


def run_search(args: argparse.Namespace, context: CommandContext) -> Outcome:
    database = context.open().database
    filters = SearchFilters(media_type=args.media, language=args.language,
                            available_only=args.available)
    with database.read() as session:
        page = search_records(session, args.query, filters=filters, offset=args.offset,
                              limit=args.limit)
    found = (ngettext("{n} record found", "{n} records found", page.total)
             if page.total_exact else  # counting stopped there (the count limit)
             ngettext("More than {n} record found", "More than {n} records found",
                      page.total))
    lines = [found.format(n=number(page.total))]
    for hit in page.hits:
        title = f"{hit.title} : {hit.subtitle}" if hit.subtitle else hit.title
        details = " — ".join(str(part) for part in (hit.authors, hit.year) if part)
        lines.append(f"{hit.record_id:>8}  {title}" + (f" — {details}" if details else ""))
        lines.append(" " * 10 + _("{available} of {copies} available").format(
            available=hit.available, copies=hit.copies))
    return Outcome(page_json(page), "\n".join(lines))


def _show_text(detail: RecordDetail) -> str:
    title = f"{detail.title} : {detail.subtitle}" if detail.subtitle else detail.title
    number = _("record {id}").format(id=detail.record_id)
    lines = [f"{title} ({number})"]
    fields = (
        (_("Authors"), " ; ".join(person.display() for person in detail.contributors)),
        (_("Publication"), ", ".join(str(part) for part in
                                   (detail.place, detail.publisher, detail.year) if part)),
        (_("ISBN"), detail.isbn13 or detail.ean),
        (_("Languages"), ", ".join(detail.languages)),
        (_("Series"), " ; ".join(part for part in (detail.series, detail.series_number)
                                 if part)),
        (_("Subjects"), " ; ".join(detail.subjects)),
    )
    lines += ["  " + labelled(label, value) for label, value in fields if value]
    if detail.pending_lookup:
        lines.append("  " + _("Details still to be looked up (ISBN lookup queued)."))
    lines.append(ngettext("{n} copy", "{n} copies", len(detail.copies)).format(
        n=len(detail.copies)))
    for copy in detail.copies:
        if copy.on_loan:
            state = _("on loan, due {date}").format(date=copy.due_on)
        else:
            state = _status_label(copy.status)
        place = " ".join(part for part in (copy.call_number, copy.location_label) if part)
        lines.append(f"  {copy.barcode}  {place}  {state}".rstrip())
    return "\n".join(lines)


def _status_label(status: str) -> str:
    labels: dict[str, str] = {
        CopyStatus.AVAILABLE: _("available"),
        CopyStatus.REFERENCE: _("reference only"),
        CopyStatus.REPAIR: _("being repaired"),
        CopyStatus.LOST: _("lost"),
        CopyStatus.MISSING: _("missing"),
        CopyStatus.WITHDRAWN: _("withdrawn"),
    }
    return labels.get(status, status)


def _record_id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a record number: {value}").format(
            value=value)) from None
    if number < 1:
        raise argparse.ArgumentTypeError(_("not a record number: {value}").format(value=value))
    return number


def _limit(value: str) -> int:
    return _bounded(value, "limit", 1, 1000)


def _offset(value: str) -> int:
    return _bounded(value, "offset", 0, 10**9)


def _bounded(value: str, name: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a whole number: {value}").format(
            value=value)) from None
    if not low <= number <= high:
        raise argparse.ArgumentTypeError(_("{name} must be between {low} and {high}").format(
            name=name, low=low, high=high))
    return number

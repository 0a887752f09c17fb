"""Importing records read from a package or a MARC file into the library's catalogue
(FM21.md §5–6): a dry run that decides everything first, then the same decisions carried
out in the caller's one transaction (the spreadsheet importer's bulk writer is reused).

Matching: by 001 for a package of this very library, else by ISBN/EAN, else by title +
first author + year. A copy whose barcode is used elsewhere (another record's copy, a
member card, an earlier copy of the file) is a *conflict*: never overwritten, not added.
A copy already on the matched record is simply there already. Records announced deleted
(leader/05 `d`) are counted and left alone: deleting holdings is the library's decision.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from mediatheque.audit import record_audit
from mediatheque.bulk_insert import indexes_built_afterwards
from mediatheque.bulk_select import rows_where_in
from mediatheque.bulk_work import bulk_work
from mediatheque.catalogue.copies import CopyInput
from mediatheque.catalogue.csv_import import (
    ImportDecisions,
    texts_of,
    write_decisions,
)
from mediatheque.catalogue.csv_reading import CsvIssue, PlannedRow
from mediatheque.catalogue.duplicates import (
    DuplicateIndex,
    load_duplicate_index,
    person_key,
    title_key,
)
from mediatheque.catalogue.isbn import is_bookland_ean
from mediatheque.catalogue.records import resolve_identifiers, validated_columns
from mediatheque.catalogue.search_index import entries_in_bulk
from mediatheque.errors import ImportCancelled, InvalidIsbn, InvalidValue
from mediatheque.exchange.mapping import IncomingRecord
from mediatheque.exchange.package import PARALLEL_FROM, IncomingFile
from mediatheque.exchange.reading import ReadIssue
from mediatheque.models import (
    Contribution,
    Contributor,
    Copy,
    Location,
    Member,
    Record,
    RecordKeyword,
    RecordLanguage,
    RecordSearch,
    RecordSubject,
)
from mediatheque.permissions import Actor, Permission
from mediatheque.settings import load_library_settings

Progress = Callable[[int, int], None]
BATCH = 5000  # records decided, then written, at a time
# Among the last BATCH records of a file read by a worker process (package.PARALLEL_FROM),
# batches of TAIL: the worker is done first, and only what is left to write then keeps the
# import from ending (a 200,000-record import: 0.7 s for a last batch of 5,000).
TAIL = 1000
PROGRESS_EVERY = 500  # records read between two progress reports inside a batch
BULK_FROM = 10_000  # records in a file from which it is loaded in bulk (_in_bulk)
# The tables an import fills, whose indexes a bulk load builds at the end, but for the one
# it reads: copies by record, for copies added to records already there.
_FILLED: list[Any] = [model.__table__ for model in (
    Record, Copy, Contribution, RecordLanguage, RecordSubject, RecordKeyword, RecordSearch)]
_NEEDED = frozenset({"ix_copy_record_id"})
_RECORDS: Any = Record.__table__
_COPIES: Any = Copy.__table__
_MEMBERS: Any = Member.__table__


@dataclass(frozen=True)
class Issue:
    position: int
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class ImportReport:
    source: str
    kind: str
    records_new: int
    records_matched: int
    copies_new: int
    # Copies not added: duplicate_barcode (detail: the barcode, used elsewhere) or
    # no_barcode (a copy without barcode for a record already in the catalogue).
    conflicts: tuple[Issue, ...]
    rejected: tuple[Issue, ...]
    duplicates: tuple[Issue, ...]    # records repeated inside the file (detail: first one)
    deleted: int                     # records announced deleted (left alone)
    legacy_charset: tuple[int, ...]  # positions decoded from a legacy set (ISO 5426…)
    flavours: dict[str, int]
    dry_run: bool
    record_ids: tuple[int, ...] = ()


@dataclass
class _Plan:
    decisions: ImportDecisions
    created: dict[int, date]          # index in new_rows → creation date from 100$a
    notes: dict[str, str]             # barcode → public note
    conflicts: list[Issue]
    duplicates: list[Issue]
    deleted: int


def _identifiers(record: IncomingRecord) -> tuple[str | None, str | None]:
    isbn, ean = record.record.isbn, record.record.ean
    if ean is None and isbn is not None and is_bookland_ean(isbn):
        return isbn, None  # what the reader gives (an ISBN-13 already checked): as it is
    try:
        return resolve_identifiers(isbn, ean)
    except (InvalidIsbn, InvalidValue):
        try:
            return resolve_identifiers(None, record.record.ean)
        except InvalidValue:
            return None, None


def _with_items(copy: CopyInput, incoming: IncomingFile) -> CopyInput:
    """A copy completed from items.csv (location, status, acquisition, price: the values
    package.py kept, already checked)."""
    item = incoming.items.get(copy.barcode or "")
    if item is None:
        return copy
    location, status, acquired, price = item
    # Made rather than replace()d: twice as fast, for each of a package's copies.
    return CopyInput(
        barcode=copy.barcode, call_number=copy.call_number,
        location_code=copy.location_code or location, status=status or copy.status,
        acquired_on=copy.acquired_on if copy.acquired_on is not None else acquired,
        acquisition_mode=copy.acquisition_mode,
        price=copy.price if copy.price is not None else price,
        public_note=copy.public_note, notes=copy.notes)


def _own_record_id(record: IncomingRecord, own_code: str | None) -> int | None:
    number = record.control_number or ""
    if own_code and number.startswith(own_code + "-"):
        rest = number[len(own_code) + 1:]
        if rest.isdigit():
            return int(rest)
    return None


def _validated(record: IncomingRecord, latest_year: int
               ) -> tuple[PlannedRow, None] | tuple[None, CsvIssue]:
    """The record's row (without copies yet, with its search words), or why it is
    rejected. A value that does not fit (a year to come, a country that is no code) is
    dropped rather than the record."""
    data = record.record
    if not data.title.strip():
        return None, CsvIssue(record.position, "missing_title")
    isbn13, ean = _identifiers(record)
    try:
        # The identifiers given, validated_columns does not look at data.isbn/ean.
        values = validated_columns(data, latest_year=latest_year, identifiers=(isbn13, ean))
    except InvalidValue as error:
        data = replace(data, year=None, country=None, original_language=None)
        try:
            values = validated_columns(replace(data, isbn=None, ean=None),
                                       latest_year=latest_year, identifiers=(isbn13, ean))
        except InvalidValue:
            return None, CsvIssue(record.position, "invalid_value", error.field)
    return PlannedRow(record.position, data, isbn13, ean, (), values,
                      texts_of(data, values)), None


TitleKey = tuple[str, str, int | None]


class Prepared(NamedTuple):
    """What an import works out from a record alone: its row (without copies yet, with its
    search words) and, for a record without ISBN or EAN, its title key; or why it is
    rejected."""

    row: PlannedRow | None
    issue: CsvIssue | None
    key: TitleKey | None


def prepare_record(record: IncomingRecord, latest_year: int) -> Prepared:
    """Run by the stream, in a worker process for a large file (so: no database)."""
    row, issue = _validated(record, latest_year)
    if row is None:
        return Prepared(None, issue, None)
    if row.isbn13 or row.ean:
        return Prepared(row, None, None)  # matched by its number alone (DuplicateIndex)
    data = row.record
    people = data.contributors
    key = title_key(data.title, person_key(people[0].surname, people[0].forenames)
                    if people else "", data.year)
    return Prepared(row, None, key)


class _Decider:
    """Decides, record by record, what the import will do, and (unless a dry run) carries
    it out batch by batch in the caller's transaction, so that a large file is never held
    in memory whole. Every decision of a batch is taken before its first write."""

    def __init__(self, session: Session, incoming: IncomingFile, *, now: datetime,
                 dry_run: bool) -> None:
        self.session, self.incoming, self.now, self.dry_run = session, incoming, now, dry_run
        library_code = load_library_settings(session).code
        self.own = library_code if incoming.kind == "fm21" and \
            incoming.library_code == library_code else None
        self.titles_loaded = False
        self.catalogue = load_duplicate_index(session, titles=False)
        self.in_file = DuplicateIndex()
        self.in_file_numbers: dict[str, int] = {}
        # File position of each new record (global index), and their ids once written:
        # machine integers, as an import may create 200,000 records.
        self.positions = array("q")
        self.written = array("q")
        self.seen: set[str] = set()
        self.rejected: list[Issue] = []
        self.conflicts: list[Issue] = []
        self.duplicates: list[Issue] = []
        self.deleted = self.matched = self.copies = 0
        self._start_batch([])

    def _start_batch(self, records: list[IncomingRecord]) -> None:
        self.offset = len(self.positions)
        self.plan = _Plan(ImportDecisions([], [], 0, 0, []), {}, {}, [], [], 0)
        connection = self.session.connection()
        own_ids = sorted({i for i in (_own_record_id(r, self.own) for r in records)
                          if i is not None})
        self.existing_own: set[int] = {ident for ident, in rows_where_in(
            connection, [_RECORDS.c.id], _RECORDS.c.id, own_ids)}
        barcodes = sorted({c.barcode for r in records for c in r.copies if c.barcode})
        self.copy_owner: dict[str, int] = dict(rows_where_in(
            connection, [_COPIES.c.barcode, _COPIES.c.record_id], _COPIES.c.barcode, barcodes))
        self.cards: set[str] = {code for code, in rows_where_in(
            connection, [_MEMBERS.c.barcode], _MEMBERS.c.barcode, barcodes)}

    def batch(self, records: list[IncomingRecord], check: Callable[[int], None]) -> None:
        self._start_batch(records)
        for record in records:
            self._decide(record)
        decisions = self.plan.decisions
        self.matched += decisions.matched
        self.copies += decisions.copies
        if self.dry_run:
            return
        _create_locations(self.session, self.plan, self.incoming)
        created = {index: datetime.combine(day, time(), tzinfo=UTC)
                   for index, day in self.plan.created.items()}
        ids = write_decisions(self.session, decisions, self.now, check, created)
        _finish(self.session, self.plan)
        self.written.extend(ids)

    def _copies(self, record: IncomingRecord, existing: int | None) -> tuple[CopyInput, ...]:
        copies: list[CopyInput] = []
        for given in record.copies:
            copy = _with_items(given, self.incoming)
            code = copy.barcode
            if not code and existing is not None:
                # Without a barcode it cannot be told from the copies already there.
                self.conflicts.append(Issue(record.position, "no_barcode",
                                            copy.call_number or ""))
                continue
            if code:
                owner = self.copy_owner.get(code)
                if existing is not None and owner == existing:
                    continue  # already there
                if owner is not None or code in self.cards or code in self.seen:
                    self.conflicts.append(Issue(record.position, "duplicate_barcode", code))
                    continue
                self.seen.add(code)
                if copy.public_note:
                    self.plan.notes[code] = copy.public_note
            copies.append(copy)
        return tuple(copies)

    def _match(self, row: PlannedRow, record: IncomingRecord,
               key: TitleKey | None) -> int | None:
        own_id = _own_record_id(record, self.own)
        if own_id in self.existing_own:
            return own_id
        if not row.isbn13 and not row.ean and not self.titles_loaded:
            self.catalogue = load_duplicate_index(self.session, titles=True)
            self.titles_loaded = True
        return self.catalogue.match(row.isbn13, row.ean, key)

    def _decide(self, record: IncomingRecord) -> None:
        prepared = record.prepared  # import_incoming streams with prepare_record
        assert isinstance(prepared, Prepared)
        row, issue, key = prepared
        if row is None:
            assert issue is not None
            self.rejected.append(Issue(issue.line, issue.reason, issue.detail))
            return
        existing = self._match(row, record, key)
        earlier = None
        if existing is None:
            # Two records with their own different 001 are two records of the sender.
            earlier = self.in_file_numbers.get(record.control_number) \
                if record.control_number else self.in_file.match(row.isbn13, row.ean, key)
        # The copies go with the job, not the row (write_decisions reads them there).
        copies = self._copies(record, existing)
        decisions = self.plan.decisions
        if existing is None and earlier is not None:
            self.duplicates.append(Issue(record.position, "duplicate_in_file",
                                         str(self.positions[earlier])))
            if earlier >= self.offset:
                decisions.copy_jobs.append((None, earlier - self.offset, copies))
            elif not self.dry_run:  # a record of an earlier batch, already written
                decisions.copy_jobs.append((self.written[earlier], -1, copies))
        elif existing is not None:
            decisions.matched += 1
            decisions.copy_jobs.append((existing, -1, copies))
        else:
            index = len(decisions.new_rows)
            self.in_file.add(self.offset + index, row.isbn13, row.ean, key)
            if record.control_number:
                self.in_file_numbers.setdefault(record.control_number, self.offset + index)
            self.positions.append(record.position)
            if record.created_on:
                self.plan.created[index] = record.created_on
            decisions.copy_jobs.append((None, index, copies))
            decisions.new_rows.append(row)
        decisions.copies += len(copies)


def _finish(session: Session, plan: _Plan) -> None:
    """What the bulk writer does not carry: contributors' dates, public notes (995$u)."""
    dates = {(p.surname.strip(), (p.forenames or "").strip() or None): p.dates.strip()[:50]
             for row in plan.decisions.new_rows for p in row.record.contributors
             if p.dates and p.dates.strip()}
    if dates:
        people: Any = Contributor.__table__
        session.execute(update(people).where(
            people.c.surname == bindparam("s"),
            func.coalesce(people.c.forenames, "") == bindparam("f"),
            people.c.dates.is_(None)).values(dates=bindparam("d"))
            .execution_options(synchronize_session=False),
            [{"s": s, "f": f or "", "d": d} for (s, f), d in dates.items()])
    if plan.notes:
        copies: Any = Copy.__table__
        session.execute(update(copies).where(copies.c.barcode == bindparam("code"))
                        .values(public_note=bindparam("note"))
                        .execution_options(synchronize_session=False),
                        [{"code": c, "note": n} for c, n in plan.notes.items()])


def _create_locations(session: Session, plan: _Plan, incoming: IncomingFile) -> None:
    codes = incoming.manifest.get("codes")
    labels = codes.get("locations") if isinstance(codes, dict) else None
    if not isinstance(labels, dict):
        return
    wanted = {c.location_code for _e, _i, copies in plan.decisions.copy_jobs for c in copies
              if c.location_code}
    known = set(session.scalars(select(Location.code)))
    for code in sorted(wanted - known):
        label = labels.get(code)
        session.add(Location(code=code, label=str(label)[:200] if label else code))
    session.flush()


def _in_bulk(session: Session, incoming: IncomingFile, dry_run: bool) -> bool:
    """Whether to build the indexes of the tables filled after the import rather than row
    by row: for a large file that at least doubles the catalogue, on SQLite (see
    indexes_built_afterwards for why not PostgreSQL)."""
    if dry_run or incoming.expected < BULK_FROM or \
            session.get_bind().dialect.name != "sqlite":
        return False
    return incoming.expected >= (session.scalar(select(func.count(RecordSearch.record_id)))
                                 or 0)


@bulk_work()
def import_incoming(
    session: Session,
    actor: Actor,
    incoming: IncomingFile,
    *,
    dry_run: bool,
    now: datetime,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Imports into the library's catalogue in the caller's transaction (or, with
    `dry_run`, only reports what would happen). Raises ImportCancelled when cancelled: the
    caller's transaction must then be rolled back."""
    actor.require(Permission.CATALOGUE)
    total = max(1, incoming.expected)
    done = 0

    def check(_written: int = 0) -> None:
        if cancelled is not None and cancelled():
            raise ImportCancelled(done=done, total=incoming.expected)
        if progress is not None:
            progress(min(done, total), total)

    check()
    decider = _Decider(session, incoming, now=now, dry_run=dry_run)
    flavours: dict[str, int] = {}
    legacy: list[int] = []
    batch: list[IncomingRecord] = []
    bulk = _in_bulk(session, incoming, dry_run)
    tail_from = incoming.expected - BATCH if incoming.expected >= PARALLEL_FROM \
        else incoming.expected + 1
    with indexes_built_afterwards(session.connection(), _FILLED, keep=_NEEDED) if bulk \
            else nullcontext(), entries_in_bulk(session) if bulk else nullcontext():
        stream = incoming.stream(flavours, legacy,
                                 prepare=partial(prepare_record, latest_year=now.year + 1))
        for done, item in enumerate(stream, start=1):
            if isinstance(item, ReadIssue):
                decider.rejected.append(Issue(item.position, item.reason, item.detail))
            elif item.deleted:
                decider.deleted += 1
            else:
                batch.append(item)
            if len(batch) >= (TAIL if tail_from <= done else BATCH):
                decider.batch(batch, check)
                batch = []
                check()
            elif done % PROGRESS_EVERY == 0:
                check()  # the bar moves, and Stop answers, while a batch is being read
        decider.batch(batch, check)
    done = total
    check()
    report = ImportReport(
        source=Path(incoming.name).name,
        kind=incoming.kind,
        records_new=len(decider.positions),
        records_matched=decider.matched,
        copies_new=decider.copies,
        conflicts=tuple(decider.conflicts),
        rejected=tuple(sorted(decider.rejected, key=lambda i: i.position)),
        duplicates=tuple(decider.duplicates),
        deleted=decider.deleted,
        legacy_charset=tuple(legacy),
        flavours=flavours,
        dry_run=dry_run,
        record_ids=tuple(decider.written),
    )
    if not dry_run:
        record_audit(session, actor, action="import_marc", entity="catalogue", entity_id=None,
                     now=now, details=report_counts(report))
    return report


def report_counts(report: ImportReport) -> dict[str, Any]:
    return {"source": report.source, "kind": report.kind,
            "records_new": report.records_new, "records_matched": report.records_matched,
            "copies_new": report.copies_new, "conflicts": len(report.conflicts),
            "rejected": len(report.rejected), "duplicates": len(report.duplicates)}

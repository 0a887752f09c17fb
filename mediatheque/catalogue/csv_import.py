"""Importing a spreadsheet catalogue: match the plan (csv_reading) against the catalogue,
then write it in bulk, in the caller's one transaction.

A row whose ISBN/EAN is already in the catalogue — or, for a row without one, whose title,
first author and year are — is *matched*: its copies (if the file gives any) are added to
that record instead of a new one. A row repeating an earlier row of the same file is the
same: one row per copy (FM21 items.csv, most library exports) gives one record with all its
copies; a repeated row with no copy to add is rejected as `duplicate_in_file`. A row whose
barcode is already used (by a copy, a member card, or an earlier row) is rejected as
`duplicate_barcode`.

The dry run computes the very same report and writes nothing: every decision is taken
before the first write, and the writes only carry them out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from mediatheque.audit import record_audit
from mediatheque.bulk_insert import insert_rows
from mediatheque.bulk_select import rows_where_in
from mediatheque.bulk_work import bulk_work
from mediatheque.catalogue.copies import (
    CopyInput,
    generate_copy_barcodes,
    suggest_call_number,
)
from mediatheque.catalogue.csv_reading import CsvIssue, CsvPlan, PlannedRow, read_catalogue_csv
from mediatheque.catalogue.duplicates import (
    DuplicateIndex,
    load_duplicate_index,
    person_key,
    title_key,
)
from mediatheque.catalogue.records import RecordInput, validated_columns
from mediatheque.catalogue.search_index import (
    Entry,
    RecordTexts,
    index_entry,
    index_records,
    person_name,
    record_texts,
    write_entries,
)
from mediatheque.errors import ImportCancelled
from mediatheque.models import (
    Contribution,
    Contributor,
    Copy,
    Keyword,
    Location,
    Member,
    Record,
    RecordKeyword,
    RecordLanguage,
    RecordSubject,
    Subject,
)
from mediatheque.models.vocabulary import CopyStatus, SubjectScheme
from mediatheque.permissions import Actor, Permission

__all__ = ["CsvImportReport", "CsvIssue", "CsvPlan", "import_catalogue_csv",
           "read_catalogue_csv"]

BATCH = 5000
CHUNK = 500  # values in one IN (...) list
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CsvImportReport:
    records_new: int
    records_matched: int
    copies_new: int
    rejected: tuple[CsvIssue, ...]
    warnings: tuple[CsvIssue, ...]
    dry_run: bool
    record_ids: tuple[int, ...] = ()  # the new records, in file order (none in a dry run)
    columns: tuple[tuple[str, str], ...] = ()  # (header, field) of the imported columns
    ignored: tuple[str, ...] = ()  # headers left out


@dataclass
class ImportDecisions:
    """What an import will write: new records, matches, copies, rejected rows."""

    new_rows: list[PlannedRow]
    # (existing record id, or None for a new row) , (index in new_rows), copies to add
    copy_jobs: list[tuple[int | None, int, tuple[CopyInput, ...]]]
    matched: int
    copies: int
    rejected: list[CsvIssue]


@bulk_work()
def import_catalogue_csv(
    session: Session,
    actor: Actor,
    plan: CsvPlan,
    *,
    dry_run: bool,
    now: datetime,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CsvImportReport:
    """Imports the plan in the caller's transaction (or, with `dry_run`, only says what
    would happen). Raises ImportCancelled when `cancelled()` says so: the caller's
    transaction must then be rolled back."""
    actor.require(Permission.CATALOGUE)
    total = max(1, len(plan.rows))
    steps = total if dry_run else 2 * total

    def check(done: int) -> None:
        if cancelled is not None and cancelled():
            raise ImportCancelled(done=done, total=len(plan.rows))
        if progress is not None:
            progress(min(done, steps), steps)

    check(0)
    decisions = _decide(session, plan, check)
    record_ids: list[int] = []
    if not dry_run:
        record_ids = write_decisions(session, decisions, now, lambda done: check(total + done))
    check(steps)
    if not dry_run:
        record_audit(session, actor, action="import_csv", entity="catalogue", entity_id=None,
                     now=now, details={
                         "source": plan.source, "records_new": len(decisions.new_rows),
                         "records_matched": decisions.matched, "copies_new": decisions.copies,
                         "rejected": len(decisions.rejected)})
    return CsvImportReport(
        records_new=len(decisions.new_rows),
        records_matched=decisions.matched,
        copies_new=decisions.copies,
        rejected=tuple(sorted(decisions.rejected, key=lambda issue: issue.line)),
        warnings=plan.warnings,
        dry_run=dry_run,
        record_ids=tuple(record_ids),
        columns=tuple(plan.columns.items()),
        ignored=plan.ignored,
    )


def _first_author_key(row: PlannedRow) -> str:
    people = row.record.contributors
    return person_key(people[0].surname, people[0].forenames) if people else ""


def _decide(session: Session, plan: CsvPlan, check: Callable[[int], None]) -> ImportDecisions:
    titles = any(not row.isbn13 and not row.ean for row in plan.rows)
    catalogue = load_duplicate_index(session, titles=titles)
    in_file = DuplicateIndex()
    lines: list[int] = []
    used = _barcodes_in_use(session, [c.barcode for r in plan.rows for c in r.copies
                                      if c.barcode])
    decisions = ImportDecisions([], [], 0, 0, list(plan.rejected))
    for number, row in enumerate(plan.rows):
        if number % 1000 == 999:
            check(number)
        given = [c.barcode for c in row.copies if c.barcode]
        clash = next((code for code in given if code in used), None)
        if clash is None and len(set(given)) < len(given):
            clash = next(code for code in given if given.count(code) > 1)
        if clash is not None:
            decisions.rejected.append(CsvIssue(row.line, "duplicate_barcode", clash))
            continue
        key = title_key(row.record.title, _first_author_key(row), row.record.year) \
            if titles else None
        existing = catalogue.match(row.isbn13, row.ean, key)
        earlier = in_file.match(row.isbn13, row.ean, key) if existing is None else None
        if existing is not None:
            decisions.matched += 1
            decisions.copy_jobs.append((existing, -1, row.copies))
        elif earlier is not None:
            if not row.copies:
                decisions.rejected.append(
                    CsvIssue(row.line, "duplicate_in_file", str(lines[earlier])))
                continue
            decisions.matched += 1
            decisions.copy_jobs.append((None, earlier, row.copies))
        else:
            in_file.add(len(decisions.new_rows), row.isbn13, row.ean, key)
            lines.append(row.line)
            decisions.copy_jobs.append((None, len(decisions.new_rows), row.copies))
            decisions.new_rows.append(row)
        used.update(given)
        decisions.copies += len(row.copies)
    return decisions


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    """`values` in slices small enough for one SQL statement's parameters."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _barcodes_in_use(session: Session, barcodes: list[str]) -> set[str]:
    unique = sorted(set(barcodes))
    connection = session.connection()
    tables: list[Any] = [Copy.__table__, Member.__table__]
    return {code for table in tables
            for code, in rows_where_in(connection, [table.c.barcode], table.c.barcode, unique)}


# Core inserts on the tables (not the ORM classes): several times faster for thousands of
# rows, and the ORM identity map is not involved.
def _insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    for batch in chunks(rows, BATCH):
        insert_rows(session.connection(), model.__table__, batch)


def _insert_returning_ids(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Inserts the rows with ids reserved beforehand (much faster than RETURNING row by
    row); returns the ids in the order of the rows."""
    ids = _reserve_ids(session, model.__table__, len(rows))
    _insert(session, model, [{**row, "id": ident} for row, ident in zip(rows, ids, strict=True)])
    return ids


def _reserve_ids(session: Session, table: Any, count: int) -> list[int]:
    """`count` unused ids. PostgreSQL: taken from the table's sequence, so another desk
    inserting at the same time gets others. SQLite: the write transaction (BEGIN IMMEDIATE)
    excludes every other writer, so the ids after the largest one are free."""
    if not count:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return [int(value) for value in session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                 "FROM generate_series(1, :count)"),
            {"table": table.name, "count": count})]
    largest = session.scalar(select(func.max(table.c.id))) or 0
    return list(range(largest + 1, largest + 1 + count))


def write_decisions(session: Session, decisions: ImportDecisions, now: datetime,
                    check: Callable[[int], None],
                    created: dict[int, datetime] | None = None) -> list[int]:
    """Writes decided records and copies in batches (the CSV and the MARC importers);
    returns the new records' ids in order. `check(done)` reports progress and may cancel.
    `created`: creation dates other than `now`, by index in `decisions.new_rows` (a MARC
    record's own, from its 100$a)."""
    rows = decisions.new_rows
    people = _contributor_ids(session, rows)
    subjects = _vocabulary_ids(session, Subject, Subject.heading,
                               {s for r in rows for s in r.record.subjects})
    keywords = _vocabulary_ids(session, Keyword, Keyword.word,
                               {k for r in rows for k in r.record.keywords})
    ids = _reserve_ids(session, Record.__table__, len(rows))
    records: list[dict[str, Any]] = []
    created = created or {}
    for index, (row, record_id) in enumerate(zip(rows, ids, strict=True)):
        values = row.values or validated_columns(
            row.record, latest_year=9999, identifiers=(row.isbn13, row.ean))
        records.append({"id": record_id, **values, "created_at": created.get(index, now),
                        "updated_at": now})
    _insert(session, Record, records)
    check(len(rows) // 2)
    languages, contributions, subject_links, keyword_links = [], [], [], []
    texts: list[RecordTexts] = []
    for record_id, row, values in zip(ids, rows, records, strict=True):
        record = row.record
        for position, code in enumerate(record.languages):  # distinct (language_codes)
            languages.append({"record_id": record_id, "position": position, "code": code})
        for position, person in enumerate(record.contributors):
            contributions.append({"record_id": record_id, "position": position,
                                  "role": person.role,
                                  "contributor_id": people[_person(person)]})
        headings, words = _distinct(record.subjects), _distinct(record.keywords)
        for heading in headings:
            subject_links.append({"record_id": record_id, "subject_id": subjects[heading]})
        for word in words:
            keyword_links.append({"record_id": record_id, "keyword_id": keywords[word]})
        texts.append(row.texts or _texts(record, values, headings + words))
    _insert(session, RecordLanguage, languages)
    _insert(session, Contribution, contributions)
    _insert(session, RecordSubject, subject_links)
    _insert(session, RecordKeyword, keyword_links)
    touched, placed = _write_copies(session, decisions, ids, now)
    check(len(rows))
    # The new records' entries from what was just written, without reading it back.
    write_entries(session, [
        _entry(record_id, found, values, row.record.languages, placed.get(record_id, ()))
        for record_id, found, values, row in zip(ids, texts, records, rows, strict=True)])
    index_records(session, touched - set(ids))
    return ids


def _entry(record_id: int, texts: RecordTexts, values: dict[str, Any],
           languages: Sequence[str], copies: Sequence[tuple[str, str | None, str]]) -> Entry:
    return index_entry(record_id, texts, values, languages=languages,
                       copies=[(barcode, location) for barcode, location, _ in copies],
                       available=sum(status == CopyStatus.AVAILABLE for *_, status in copies))


def texts_of(record: RecordInput, values: dict[str, Any]) -> RecordTexts:
    """The record's words for the search index, as it will be written (`values`: its
    validated columns)."""
    return _texts(record, values, [*_distinct(record.subjects), *_distinct(record.keywords)])


def _texts(record: RecordInput, values: dict[str, Any], others: list[str]) -> RecordTexts:
    return record_texts(values, [person_name(*_person(p)) for p in record.contributors],
                        others)


def _distinct(texts: Sequence[str]) -> list[str]:
    """Subject headings or keywords as stored: trimmed, once each."""
    return list(dict.fromkeys(value.strip() for value in texts if value.strip())) if texts \
        else []


def _person(person: Any) -> tuple[str, str | None]:
    return person.surname.strip(), (person.forenames or "").strip() or None


def _contributor_ids(session: Session, rows: list[PlannedRow]) -> dict[tuple[str, str | None], int]:
    """Existing contributors by name (the first of homonyms), new ones created."""
    wanted = {_person(p): p for row in rows for p in row.record.contributors}
    known: dict[tuple[str, str | None], int] = {}
    people: Any = Contributor.__table__
    for contributor_id, surname, forenames in sorted(rows_where_in(
            session.connection(), [people.c.id, people.c.surname, people.c.forenames],
            people.c.surname, sorted({name[0] for name in wanted}))):
        known.setdefault((surname, forenames), contributor_id)
    missing = [name for name in wanted if name not in known]
    new_ids = _insert_returning_ids(session, Contributor, [
        {"surname": s, "forenames": f, "dates": None, "is_corporate": wanted[(s, f)].is_corporate}
        for s, f in missing
    ])
    known.update(zip(missing, new_ids, strict=True))
    return known


def _vocabulary_ids(session: Session, model: Any, column: Any, values: set[str]) -> dict[str, int]:
    wanted = sorted({v.strip() for v in values if v.strip()})
    table = model.__table__
    known: dict[str, int] = {text: ident for ident, text in rows_where_in(
        session.connection(), [table.c.id, table.c[column.key]], table.c[column.key], wanted)}
    missing = [value for value in wanted if value not in known]
    name = column.key
    rows: list[dict[str, Any]] = [{name: value} for value in missing]
    if model is Subject:
        for row in rows:
            row["scheme"] = SubjectScheme.RAMEAU if " -- " in row[name] else SubjectScheme.LOCAL
    known.update(zip(missing, _insert_returning_ids(session, model, rows), strict=True))
    return known


def _write_copies(session: Session, decisions: ImportDecisions, new_ids: list[int],
                  now: datetime) -> tuple[set[int], dict[int, list[tuple[str, str | None, str]]]]:
    """Inserts every copy; returns the existing records that received copies, and the
    copies placed on each record (barcode, location, status), in the order inserted."""
    jobs = [(existing if existing is not None else new_ids[index], index, copies)
            for existing, index, copies in decisions.copy_jobs if copies]
    if not jobs:
        return set(), {}
    existing_ids = sorted({existing for existing, _i, _c in decisions.copy_jobs
                           if existing is not None and _c})
    # A call number is suggested for the copies that have none: existing records' looked
    # up at once, new ones' when needed (a package's copies all have theirs).
    shelving = _existing_shelving(session, sorted(
        {existing for existing, _index, copies in decisions.copy_jobs
         if existing is not None and any(not copy.call_number for copy in copies)}))

    def shelf(record_id: int, index: int) -> str:
        if record_id not in shelving and index >= 0:  # a new record (-1: an existing one)
            record = decisions.new_rows[index].record
            people = record.contributors
            shelving[record_id] = suggest_call_number(
                record.dewey, record.media_type, people[0].surname if people else None,
                record.title, cefr_level=record.cefr_level)
        return shelving[record_id]
    locations = {c.location_code for _r, _i, copies in jobs for c in copies if c.location_code}
    known_locations = set(session.scalars(select(Location.code)))
    _insert(session, Location, [{"code": code, "label": code}
                                for code in sorted(locations - known_locations)])
    generated = iter(generate_copy_barcodes(session, sum(
        1 for _r, _i, copies in jobs for c in copies if not c.barcode)))
    rows: list[dict[str, Any]] = []
    for record_id, index, copies in jobs:
        for copy in copies:
            rows.append({
                "record_id": record_id, "barcode": copy.barcode or next(generated),
                "call_number": (copy.call_number or shelf(record_id, index))[:100] or None,
                "location_code": copy.location_code, "status": copy.status,
                "acquired_on": copy.acquired_on, "acquisition_mode": copy.acquisition_mode,
                "price": copy.price, "public_note": None, "notes": None,
                "created_at": now, "updated_at": now,
            })
    _insert(session, Copy, rows)
    for chunk in chunks(existing_ids):
        session.execute(update(Record).where(Record.id.in_(chunk)).values(updated_at=now)
                        .execution_options(synchronize_session=False))
    placed: dict[int, list[tuple[str, str | None, str]]] = defaultdict(list)
    for placing in rows:
        placed[placing["record_id"]].append((placing["barcode"], placing["location_code"],
                                             placing["status"]))
    return set(existing_ids), placed


def _existing_shelving(session: Session, record_ids: list[int]) -> dict[int, str]:
    """The suggested call number of existing records (to shelve their new copies)."""
    shelving: dict[int, str] = {}
    for chunk in chunks(record_ids):
        first_authors: dict[int, str] = dict(session.execute(
            select(Contribution.record_id, Contributor.surname)
            .join(Contributor, Contributor.id == Contribution.contributor_id)
            .where(Contribution.record_id.in_(chunk), Contribution.position == 0)).all())
        for record_id, dewey, media, title, level in session.execute(
            select(Record.id, Record.dewey, Record.media_type, Record.title, Record.cefr_level)
            .where(Record.id.in_(chunk))
        ):
            shelving[record_id] = suggest_call_number(
                dewey, media, first_authors.get(record_id), title, cefr_level=level)
    return shelving

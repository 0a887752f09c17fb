"""Writing an FM21 package (FM21.md §1–4): the catalogue read in batches and streamed to
`records.mrc`, `records.xml` and `items.csv`, checksummed on the way, then zipped.

Nothing personal is read: records, copies, locations, and for each copy only whether an
open loan exists (its status `on_loan`). Members, loans and staff never enter a package.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Connection, exists, func, or_, select
from sqlalchemy.orm import Session

from mediatheque import __version__
from mediatheque.bulk_work import bulk_work
from mediatheque.db import Database, connect
from mediatheque.errors import ExportCancelled, InvalidValue
from mediatheque.exchange.archive_writer import StreamingArchive
from mediatheque.exchange.marc import MARCXML_HEAD, MARCXML_TAIL, write_records
from mediatheque.exchange.unimarc_writing import (
    MEDIA_CODES,
    PROFILES,
    CopyRow,
    PersonRow,
    RecordRow,
    control_number,
    copy_status,
    deleted_record,
    item_type,
    unimarc_record,
)
from mediatheque.i18n import N_, _
from mediatheque.models import (
    Contribution,
    Contributor,
    Copy,
    Keyword,
    Loan,
    Location,
    Record,
    RecordKeyword,
    RecordLanguage,
    RecordSubject,
    RecordTombstone,
    Subject,
)
from mediatheque.models.vocabulary import MediaType
from mediatheque.parallel import ordered_map
from mediatheque.permissions import Actor, Permission
from mediatheque.settings import LibrarySettings, load_library_settings

BATCH = 1000
# From this many records the formatting goes to worker processes (starting them costs
# about a second; below this the whole export takes about that).
PARALLEL_FROM = 10_000
# Worker processes of a large export. This process only compresses and writes, so one per
# core, up to four (beyond that the disk and the compression thread are the limit).
EXPORT_WORKERS = min(4, os.cpu_count() or 1)
ITEM_COLUMNS = ("barcode", "record_id", "isbn", "title", "authors", "year", "call_number",
                "location", "item_type", "status", "acquired_on", "price")
ITEM_TYPE_LABELS = {
    "LIV": N_("Book"), "BD": N_("Comic"), "FLE": N_("FLE method"), "REV": N_("Periodical"),
    "DVD": N_("DVD"), "CD": N_("Music CD"), "LIVA": N_("Audiobook"), "KIT": N_("Kit"),
    "JEU": N_("Game"), "NUM": N_("Digital resource"),
}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportReport:
    path: Path
    records: int
    items: int
    deleted: int
    oversize: tuple[str, ...] = ()


def guard_cell(value: str) -> str:
    """FM21.md §4: no spreadsheet evaluates a cell of ours."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_RECORD_COLUMNS = tuple(name for name in RecordRow._fields if name not in (
    "languages", "people", "subjects", "keywords", "copies"))


def _record_rows(connection: Connection, records: Sequence[Any]) -> list[RecordRow]:
    """The records (rows of _RECORD_COLUMNS, by id) with what hangs from them. Children are
    read by id range (the records of a delta are a subset of it), through the Core
    connection: plain tuples, no ORM loading."""
    low, high = records[0].id, records[-1].id
    languages: dict[int, list[str]] = {}
    for record_id, code in connection.execute(
        select(RecordLanguage.record_id, RecordLanguage.code)
        .where(RecordLanguage.record_id.between(low, high)).order_by(RecordLanguage.position)
    ).all():
        languages.setdefault(record_id, []).append(code)
    people: dict[int, list[PersonRow]] = {}
    for person in connection.execute(
        select(Contribution.record_id, Contributor.surname, Contributor.forenames,
               Contributor.dates, Contribution.role, Contributor.is_corporate)
        .join(Contributor, Contributor.id == Contribution.contributor_id)
        .where(Contribution.record_id.between(low, high)).order_by(Contribution.position)
    ).all():
        people.setdefault(person[0], []).append(PersonRow._make(person[1:]))
    subjects: dict[int, list[tuple[str, str]]] = {}
    for record_id, heading, scheme in connection.execute(
        select(RecordSubject.record_id, Subject.heading, Subject.scheme)
        .join(Subject, Subject.id == RecordSubject.subject_id)
        .where(RecordSubject.record_id.between(low, high)).order_by(Subject.heading)
    ).all():
        subjects.setdefault(record_id, []).append((heading, scheme))
    keywords: dict[int, list[str]] = {}
    for record_id, word in connection.execute(
        select(RecordKeyword.record_id, Keyword.word)
        .join(Keyword, Keyword.id == RecordKeyword.keyword_id)
        .where(RecordKeyword.record_id.between(low, high)).order_by(Keyword.word)
    ).all():
        keywords.setdefault(record_id, []).append(word)
    open_loan = exists().where(Loan.copy_id == Copy.id, Loan.returned_at.is_(None))
    copies: dict[int, list[CopyRow]] = {}
    for copy in connection.execute(
            select(Copy.record_id, Copy.barcode, Copy.call_number, Copy.location_code,
                   Copy.status, open_loan, Copy.acquired_on, Copy.price, Copy.public_note)
            .where(Copy.record_id.between(low, high)).order_by(Copy.id)).all():
        copies.setdefault(copy[0], []).append(CopyRow._make(copy[1:]))
    empty = ()
    return [RecordRow._make((
        *r, tuple(languages.get(r.id, empty)), tuple(people.get(r.id, empty)),
        tuple(subjects.get(r.id, empty)), tuple(keywords.get(r.id, empty)),
        tuple(copies.get(r.id, empty)),
    )) for r in records]


def _changed(since: datetime | None) -> Any:
    return True if since is None else or_(Record.updated_at > since, Record.created_at > since)


def batch_ranges(session: Session, since: datetime | None) -> Iterator[tuple[int, int]]:
    """The records to export as ranges of ids, BATCH records each (keyset paging)."""
    last = 0
    while True:
        ids = session.scalars(select(Record.id).where(Record.id > last, _changed(since))
                              .order_by(Record.id).limit(BATCH)).all()
        if not ids:
            return
        yield ids[0], ids[-1]
        last = ids[-1]


def read_batch(connection: Connection, low: int, high: int,
               since: datetime | None) -> list[RecordRow]:
    columns = [Record.__table__.c[name] for name in _RECORD_COLUMNS]
    records = connection.execute(
        select(*columns).where(Record.id.between(low, high), _changed(since))
        .order_by(Record.id)).all()
    return _record_rows(connection, records) if records else []


def _item_rows(row: RecordRow, record_id: str) -> list[list[str]]:
    authors = guard_cell(" ; ".join(
        f"{p.surname}, {p.forenames}" if p.forenames else p.surname for p in row.people))
    title = guard_cell(row.title)
    isbn = row.isbn13 or row.ean or ""
    year = str(row.year) if row.year is not None else ""
    kind = item_type(row.media_type)
    return [[
        guard_cell(copy.barcode), record_id, isbn, title, authors, year,
        guard_cell(copy.call_number or ""), guard_cell(copy.location_code or ""), kind,
        copy_status(copy), copy.acquired_on.isoformat() if copy.acquired_on else "",
        f"{copy.price:.2f}" if copy.price is not None else "",
    ] for copy in row.copies]


def package_name(library_code: str, now: datetime) -> str:
    return f"{library_code}_{now.astimezone(UTC).date().isoformat()}.fm21.zip"


class _BatchOutput(NamedTuple):
    """A batch of records as it goes into the package (plain values: it may come from a
    worker process)."""

    records: int
    mrc: bytes
    xml: bytes
    items: bytes
    item_count: int
    item_types: frozenset[str]
    locations: frozenset[str]
    oversize: tuple[str, ...]


@dataclass(frozen=True)
class _Batch:
    """What a worker process needs to export a batch on its own connection."""

    url: str
    low: int
    high: int
    since: datetime | None
    code: str
    country: str
    profile: str


def _formatted(rows: Sequence[RecordRow], batch: _Batch) -> _BatchOutput:
    """The batch's records in UNIMARC (ISO 2709 and MARCXML) and their copies in CSV."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    records = []
    numbers = []
    item_count = 0
    item_types: set[str] = set()
    locations: set[str] = set()
    for row in rows:
        # Everything in a full package is new to its reader; a delta tells.
        status = "n" if batch.since is None or row.created_at > batch.since else "c"
        records.append(unimarc_record(row, library_code=batch.code, country=batch.country,
                                      profile=batch.profile, status=status))
        number = control_number(batch.code, row.id)
        numbers.append(number)
        if row.copies:
            item_types.add(item_type(row.media_type))
            writer.writerows(_item_rows(row, number))
            item_count += len(row.copies)
            locations.update(c.location_code for c in row.copies if c.location_code)
    mrc, xml, oversize = write_records(records)
    return _BatchOutput(len(rows), mrc, xml, buffer.getvalue().encode("utf-8"), item_count,
                        frozenset(item_types), frozenset(locations),
                        tuple(numbers[position] for position in oversize))


_WORKER_DATABASES: dict[str, Database] = {}


@bulk_work()  # a worker process has its own collector settings
def _export_batch(batch: _Batch) -> _BatchOutput:
    """A batch exported in a worker process, read through the worker's own connection
    (opened once per process)."""
    database = _WORKER_DATABASES.get(batch.url)
    if database is None:
        database = _WORKER_DATABASES[batch.url] = connect(batch.url)
    with database.read() as session:
        rows = read_batch(session.connection(), batch.low, batch.high, batch.since)
    return _formatted(rows, batch)


def _shareable_url(session: Session) -> str | None:
    """The database's URL for worker processes, or None when they cannot open it (an
    in-memory SQLite database)."""
    url = session.connection().engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=False)


class _PackageFiles:
    """The three data entries, written a batch of records at a time into the archive."""

    def __init__(self, archive: StreamingArchive, *, code: str, profile: str,
                 since: datetime | None) -> None:
        self.archive = archive
        self.code, self.profile, self.since = code, profile, since
        self.archive.write("records.xml", MARCXML_HEAD.encode("utf-8"))
        self.archive.write("items.csv", ("\ufeff" + ",".join(ITEM_COLUMNS) + "\r\n")
                           .encode("utf-8"))
        self.records = self.item_count = self.deleted = 0
        self.item_types: set[str] = set()
        self.locations: set[str] = set()
        self.oversize: list[str] = []

    def add(self, batch: _BatchOutput) -> None:
        self.archive.write("records.mrc", batch.mrc)
        self.archive.write("records.xml", batch.xml)
        self.archive.write("items.csv", batch.items)
        self.records += batch.records
        self.item_count += batch.item_count
        self.item_types |= batch.item_types
        self.locations |= batch.locations
        self.oversize += batch.oversize

    def add_deleted(self, tombstones: Sequence[Any], country: str) -> None:
        mrc, xml, _oversize = write_records([  # three short fields: never oversize
            deleted_record(record_id, deleted_at, library_code=self.code, country=country)
            for record_id, deleted_at in tombstones])
        self.archive.write("records.mrc", mrc)
        self.archive.write("records.xml", xml)
        self.deleted += len(tombstones)

    def finish(self) -> dict[str, Any]:
        self.archive.write("records.xml", MARCXML_TAIL.encode("utf-8"))
        entries = self.archive.finish()
        return {name: entries[name] for name in ("records.mrc", "records.xml", "items.csv")}


def _manifest(files: _PackageFiles, library: LibrarySettings, locations: dict[str, str],
              entries: dict[str, Any], now: datetime) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "format": "fm21",
        "version": "1.0",
        "generated_at": _iso(now),
        "generator": {"name": "mediatheque", "version": __version__},
        "library": {"code": files.code, "name": library.name, "city": library.city,
                    "country": library.country},
        "scope": "full" if files.since is None else "delta",
        "since": _iso(files.since) if files.since is not None else None,
        "marc": {"flavour": "UNIMARC", "charset": "UTF-8", "profile": files.profile},
        "counts": {"records": files.records, "items": files.item_count,
                   "deleted": files.deleted},
        "codes": {
            "item_types": {c: _(ITEM_TYPE_LABELS[c]) for c in sorted(files.item_types)},
            "locations": {c: locations.get(c, c) for c in sorted(files.locations)},
        },
        "files": entries,
    }
    if files.oversize:
        manifest["oversize"] = files.oversize
    return manifest


@bulk_work()
def export_fm21(
    session: Session,
    actor: Actor,
    out_dir: Path,
    *,
    now: datetime,
    since: datetime | None = None,
    profile: str = "core",
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportReport:
    """Writes `<CODE>_<date>.fm21.zip` into `out_dir` (full, or a delta of what changed
    after `since`). Raises ExportCancelled (no package left behind) when cancelled.
    Memory stays flat: records are read in batches of plain rows, never ORM objects.
    From PARALLEL_FROM records, worker processes read and format the batches, each on its
    own connection: a batch is exported as it stands when it is read, so a record edited
    at the desk during a long export is in the package as it was then or as it is after."""
    actor.require(Permission.EXPORT)
    if profile not in PROFILES:
        raise InvalidValue("profile", profile)
    library = load_library_settings(session)
    if not library.code:
        raise InvalidValue("code", "")
    out_dir.mkdir(parents=True, exist_ok=True)
    total = session.scalar(select(func.count()).select_from(Record).where(_changed(since))) or 0
    tombstones = list(session.execute(
        select(RecordTombstone.record_id, RecordTombstone.deleted_at)
        .where(RecordTombstone.deleted_at > since).order_by(RecordTombstone.record_id)
    )) if since is not None else []
    locations: dict[str, str] = dict(session.execute(select(Location.code, Location.label)).all())
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".fm21-") as work:
        folder = Path(work)
        partial = folder / "package.zip"
        # records.xml, the largest entry, is deflated as it is written.
        archive = StreamingArchive(partial, streamed="records.xml",
                                   spooled=("records.mrc", "items.csv"), spool_dir=folder)
        files = _PackageFiles(archive, code=library.code, profile=profile, since=since)
        try:
            if progress is not None:
                progress(0, total)

            url = _shareable_url(session) if total >= PARALLEL_FROM else None
            batches = (_Batch(url or "", low, high, since, library.code, library.country,
                              profile) for low, high in batch_ranges(session, since))
            connection = session.connection()

            def here(batch: _Batch) -> _BatchOutput:
                return _formatted(read_batch(connection, batch.low, batch.high, since), batch)

            # Workers read and format whole batches: sending them rows to format would
            # cost as much pickling as formatting saves.
            done = ordered_map(_export_batch, batches, workers=EXPORT_WORKERS) \
                if url else map(here, batches)
            for output in done:
                if cancelled is not None and cancelled():
                    raise ExportCancelled(done=files.records, total=total)
                files.add(output)
                if progress is not None:
                    progress(files.records, total)
            if tombstones:
                files.add_deleted(tombstones, library.country)
            entries = files.finish()
            manifest = _manifest(files, library, locations, entries, now)
            archive.add("manifest.json", (json.dumps(manifest, ensure_ascii=False, indent=2)
                                          + "\n").encode("utf-8"))
            if cancelled is not None and cancelled():
                raise ExportCancelled(done=files.records, total=total)
        except BaseException:
            archive.abort()
            raise
        archive.close()
        target = out_dir / package_name(library.code, now)
        os.replace(partial, target)
    return ExportReport(target, files.records, files.item_count, files.deleted,
                        tuple(files.oversize))


assert set(ITEM_TYPE_LABELS) == {codes[2] for codes in MEDIA_CODES.values()}
assert MediaType.BOOK in MEDIA_CODES

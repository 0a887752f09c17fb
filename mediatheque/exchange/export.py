"""Writing an FM21 package (FM21.md §1–4): the catalogue read in batches and streamed to
`records.mrc`, `records.xml` and `items.csv`, checksummed on the way, then zipped.

Nothing personal is read: records, copies, locations, and for each copy only whether an
open loan exists (its status `on_loan`). Members, loans and staff never enter a package.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from mediatheque import __version__
from mediatheque.errors import ExportCancelled, InvalidValue
from mediatheque.exchange.marc import MARCXML_HEAD, MARCXML_TAIL, to_iso2709, to_marcxml
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
from mediatheque.permissions import Actor, Permission
from mediatheque.settings import LibrarySettings, load_library_settings

BATCH = 1000
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


class _HashedFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: BinaryIO = path.open("wb")
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.handle.write(data)
        self.sha.update(data)
        self.size += len(data)

    def close(self) -> dict[str, Any]:
        self.handle.close()
        return {"bytes": self.size, "sha256": self.sha.hexdigest()}


_RECORD_COLUMNS = tuple(f.name for f in fields(RecordRow) if f.name not in (
    "languages", "people", "subjects", "keywords", "copies"))


def _record_rows(session: Session, ids: list[int]) -> list[RecordRow]:
    records = session.execute(select(*[Record.__table__.c[name] for name in _RECORD_COLUMNS])
                              .where(Record.id.in_(ids)).order_by(Record.id)).all()
    languages: dict[int, list[str]] = {}
    for record_id, code in session.execute(
        select(RecordLanguage.record_id, RecordLanguage.code)
        .where(RecordLanguage.record_id.in_(ids)).order_by(RecordLanguage.position)
    ):
        languages.setdefault(record_id, []).append(code)
    people: dict[int, list[PersonRow]] = {}
    for record_id, role, surname, forenames, dates, corporate in session.execute(
        select(Contribution.record_id, Contribution.role, Contributor.surname,
               Contributor.forenames, Contributor.dates, Contributor.is_corporate)
        .join(Contributor, Contributor.id == Contribution.contributor_id)
        .where(Contribution.record_id.in_(ids)).order_by(Contribution.position)
    ):
        people.setdefault(record_id, []).append(
            PersonRow(surname, forenames, dates, role, bool(corporate)))
    subjects: dict[int, list[tuple[str, str]]] = {}
    for record_id, heading, scheme in session.execute(
        select(RecordSubject.record_id, Subject.heading, Subject.scheme)
        .join(Subject, Subject.id == RecordSubject.subject_id)
        .where(RecordSubject.record_id.in_(ids)).order_by(Subject.heading)
    ):
        subjects.setdefault(record_id, []).append((heading, scheme))
    keywords: dict[int, list[str]] = {}
    for record_id, word in session.execute(
        select(RecordKeyword.record_id, Keyword.word)
        .join(Keyword, Keyword.id == RecordKeyword.keyword_id)
        .where(RecordKeyword.record_id.in_(ids)).order_by(Keyword.word)
    ):
        keywords.setdefault(record_id, []).append(word)
    on_loan = set(session.scalars(
        select(Loan.copy_id).join(Copy, Copy.id == Loan.copy_id)
        .where(Copy.record_id.in_(ids), Loan.returned_at.is_(None))))
    copies: dict[int, list[CopyRow]] = {}
    for (copy_id, record_id, barcode, call_number, location, status, acquired, price,
         note) in session.execute(
            select(Copy.id, Copy.record_id, Copy.barcode, Copy.call_number,
                   Copy.location_code, Copy.status, Copy.acquired_on, Copy.price,
                   Copy.public_note).where(Copy.record_id.in_(ids)).order_by(Copy.id)):
        copies.setdefault(record_id, []).append(CopyRow(
            barcode, call_number, location, status, copy_id in on_loan, acquired, price,
            note))
    return [RecordRow(
        **r._asdict(), languages=tuple(languages.get(r.id, ())),
        people=tuple(people.get(r.id, ())), subjects=tuple(subjects.get(r.id, ())),
        keywords=tuple(keywords.get(r.id, ())), copies=tuple(copies.get(r.id, ())),
    ) for r in records]


def _changed(since: datetime | None) -> Any:
    return True if since is None else or_(Record.updated_at > since, Record.created_at > since)


def iter_record_rows(session: Session, since: datetime | None) -> Iterator[list[RecordRow]]:
    """The catalogue's records in batches, by id (keyset paging: constant memory)."""
    last = 0
    while True:
        ids = list(session.scalars(select(Record.id).where(Record.id > last, _changed(since))
                                   .order_by(Record.id).limit(BATCH)))
        if not ids:
            return
        yield _record_rows(session, ids)
        last = ids[-1]


def _item_row(row: RecordRow, copy: CopyRow, record_id: str) -> list[str]:
    authors = " ; ".join(
        f"{p.surname}, {p.forenames}" if p.forenames else p.surname for p in row.people)
    return [guard_cell(value) for value in (
        copy.barcode, record_id, row.isbn13 or row.ean or "", row.title, authors,
        str(row.year) if row.year is not None else "", copy.call_number or "",
        copy.location_code or "", item_type(row.media_type), copy_status(copy),
        copy.acquired_on.isoformat() if copy.acquired_on else "",
        f"{copy.price:.2f}" if copy.price is not None else "",
    )]


def package_name(library_code: str, now: datetime) -> str:
    return f"{library_code}_{now.astimezone(UTC).date().isoformat()}.fm21.zip"


class _PackageFiles:
    """The three data entries written side by side, record after record."""

    def __init__(self, folder: Path, *, code: str, country: str, profile: str,
                 since: datetime | None) -> None:
        self.code, self.country, self.profile, self.since = code, country, profile, since
        self.mrc = _HashedFile(folder / "records.mrc")
        self.xml = _HashedFile(folder / "records.xml")
        self.items = _HashedFile(folder / "items.csv")
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")
        self.records = self.item_count = self.deleted = 0
        self.item_types: set[str] = set()
        self.locations: set[str] = set()
        self.oversize: list[str] = []
        self.xml.write(MARCXML_HEAD.encode("utf-8"))
        self.writer.writerow(ITEM_COLUMNS)
        self._flush_items(bom=True)

    def _flush_items(self, *, bom: bool = False) -> None:
        self.items.write((("\ufeff" if bom else "") + self.buffer.getvalue()).encode("utf-8"))
        self.buffer.seek(0)
        self.buffer.truncate()

    def add(self, row: RecordRow) -> None:
        # Everything in a full package is new to its reader; a delta tells.
        status = "n" if self.since is None or row.created_at > self.since else "c"
        record = unimarc_record(row, library_code=self.code, country=self.country,
                                profile=self.profile, status=status)
        number = control_number(self.code, row.id)
        try:
            self.mrc.write(to_iso2709(record))
        except ValueError:
            self.oversize.append(number)
        self.xml.write(to_marcxml(record).encode("utf-8"))
        if row.copies:
            self.item_types.add(item_type(row.media_type))
        for copy in row.copies:
            if copy.location_code:
                self.locations.add(copy.location_code)
            self.writer.writerow(_item_row(row, copy, number))
            self.item_count += 1
        self.records += 1

    def add_deleted(self, record_id: int, deleted_at: datetime) -> None:
        record = deleted_record(record_id, deleted_at, library_code=self.code,
                                country=self.country)
        self.mrc.write(to_iso2709(record))
        self.xml.write(to_marcxml(record).encode("utf-8"))
        self.deleted += 1

    def finish(self) -> dict[str, Any]:
        self._flush_items()
        self.xml.write(MARCXML_TAIL.encode("utf-8"))
        return {"records.mrc": self.mrc.close(), "records.xml": self.xml.close(),
                "items.csv": self.items.close()}

    def close(self) -> None:
        for entry in (self.mrc, self.xml, self.items):
            entry.handle.close()


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
    Memory stays flat: records are read in batches of plain rows, never ORM objects."""
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
        files = _PackageFiles(folder, code=library.code, country=library.country,
                              profile=profile, since=since)
        try:
            if progress is not None:
                progress(0, total)
            for batch in iter_record_rows(session, since):
                if cancelled is not None and cancelled():
                    raise ExportCancelled(done=files.records, total=total)
                for row in batch:
                    files.add(row)
                if progress is not None:
                    progress(files.records, total)
            for record_id, deleted_at in tombstones:
                files.add_deleted(record_id, deleted_at)
            entries = files.finish()
        finally:
            files.close()
        manifest = _manifest(files, library, locations, entries, now)
        (folder / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if cancelled is not None and cancelled():
            raise ExportCancelled(done=files.records, total=total)
        target = out_dir / package_name(library.code, now)
        partial = folder / "package.zip"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for entry in ("manifest.json", "records.mrc", "records.xml", "items.csv"):
                archive.write(folder / entry, entry)
        os.replace(partial, target)
    return ExportReport(target, files.records, files.item_count, files.deleted,
                        tuple(files.oversize))


assert set(ITEM_TYPE_LABELS) == {codes[2] for codes in MEDIA_CODES.values()}
assert MediaType.BOOK in MEDIA_CODES

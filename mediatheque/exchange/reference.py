"""Reference catalogues (FM21.md §6): another library's package loaded apart from the
holdings. Its records never appear in the catalogue; the ISBN lookup consults them right
after the local catalogue, so that scanning a neighbour's book fills the record offline.

Loading a package of a library already loaded refreshes it: a full package replaces the
catalogue, a delta replaces the records it carries and removes the deleted ones.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from mediatheque.audit import record_audit
from mediatheque.catalogue.metadata import BookMetadata
from mediatheque.errors import UnknownReferenceCatalogue
from mediatheque.exchange.mapping import IncomingRecord
from mediatheque.exchange.package import IncomingFile
from mediatheque.exchange.reading import ReadIssue
from mediatheque.models import ReferenceCatalogue, ReferenceRecord
from mediatheque.permissions import Actor, Permission

BATCH = 2000
SOURCE = "reference"


@dataclass(frozen=True)
class ReferenceSummary:
    id: int
    code: str
    name: str
    source: str
    loaded_at: datetime
    records: int
    rejected: tuple[ReadIssue, ...] = ()  # unreadable records of the file just loaded


def _code_for(incoming: IncomingFile) -> str:
    code = incoming.library_code
    if code:
        return code[:40]
    stem = Path(incoming.name).name.split(".")[0]
    return (stem or "REFERENCE")[:40].upper()


def _generated(incoming: IncomingFile) -> datetime | None:
    raw = incoming.manifest.get("generated_at")
    if not isinstance(raw, str):
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None


def _metadata(record: IncomingRecord) -> BookMetadata:
    """What the source said (open_incoming(..., reference=True)), else the record's own
    fields."""
    if record.metadata is not None:
        return record.metadata
    data = record.record
    isbn = "".join(c for c in (data.isbn or "") if c.isdigit() or c in "Xx")
    return BookMetadata(
        isbn13=isbn if len(isbn) == 13 else None, ean=data.ean, title=data.title,
        subtitle=data.subtitle, responsibility=data.responsibility,
        contributors=data.contributors, publisher=data.publisher, place=data.place,
        year=data.year, edition=data.edition, extent=data.extent, languages=data.languages,
        country=data.country, series=data.series, series_number=data.series_number,
        subjects=data.subjects, dewey=data.dewey, summary=data.summary,
        media_type=data.media_type)


def load_reference(session: Session, actor: Actor, incoming: IncomingFile, *,
                   now: datetime) -> ReferenceSummary:
    """Loads (or refreshes) a reference catalogue from a package or a MARC file."""
    from mediatheque.catalogue.lookup import metadata_to_json  # lookup imports this module

    actor.require(Permission.CATALOGUE)
    code = _code_for(incoming)
    catalogue = session.scalars(
        select(ReferenceCatalogue).where(ReferenceCatalogue.code == code)).first()
    if catalogue is None:
        catalogue = ReferenceCatalogue(code=code, name="", source="", loaded_at=now)
        session.add(catalogue)
    catalogue.name = (incoming.library_name or code)[:300]
    catalogue.source = Path(incoming.name).name[:500]
    catalogue.loaded_at = now
    catalogue.generated_at = _generated(incoming)
    session.flush()
    table: Any = ReferenceRecord.__table__
    if incoming.scope == "delta":
        numbers = sorted({r.control_number for r in incoming.stream()
                          if isinstance(r, IncomingRecord) and r.control_number})
        for start in range(0, len(numbers), 500):
            session.execute(delete(table).where(
                table.c.catalogue_id == catalogue.id,
                table.c.control_number.in_(numbers[start:start + 500])))
    else:
        session.execute(delete(table).where(table.c.catalogue_id == catalogue.id))
    rows: list[dict[str, Any]] = []
    rejected: list[ReadIssue] = []
    for record in incoming.stream():
        if isinstance(record, ReadIssue):
            rejected.append(record)
            continue
        if record.deleted or not record.record.title.strip():
            continue
        data = record.record
        metadata = replace(_metadata(record), sources=(SOURCE,))
        isbn13 = metadata.isbn13
        rows.append({"catalogue_id": catalogue.id,
                     "control_number": (record.control_number or "")[:100] or None,
                     "isbn13": isbn13 if isbn13 and len(isbn13) == 13 else None,
                     "ean": metadata.ean, "title": data.title[:1000],
                     "payload": metadata_to_json(metadata)})
        if len(rows) >= BATCH:
            session.execute(insert(table), rows)
            rows = []
    if rows:
        session.execute(insert(table), rows)
    session.flush()
    summary = replace(_summary(session, catalogue.id), rejected=tuple(rejected))
    record_audit(session, actor, action="reference_load", entity="reference_catalogue",
                 entity_id=catalogue.id, now=now,
                 details={"code": code, "source": summary.source, "records": summary.records})
    return summary


def _summary(session: Session, catalogue_id: int) -> ReferenceSummary:
    for summary in list_references(session, catalogue_id=catalogue_id):
        return summary
    raise UnknownReferenceCatalogue(str(catalogue_id))


def list_references(session: Session, *, catalogue_id: int | None = None
                    ) -> list[ReferenceSummary]:
    counts = (select(ReferenceRecord.catalogue_id, func.count().label("n"))
              .group_by(ReferenceRecord.catalogue_id).subquery())
    query = (select(ReferenceCatalogue.id, ReferenceCatalogue.code, ReferenceCatalogue.name,
                    ReferenceCatalogue.source, ReferenceCatalogue.loaded_at,
                    func.coalesce(counts.c.n, 0))
             .outerjoin(counts, counts.c.catalogue_id == ReferenceCatalogue.id)
             .order_by(ReferenceCatalogue.code))
    if catalogue_id is not None:
        query = query.where(ReferenceCatalogue.id == catalogue_id)
    return [ReferenceSummary(int(i), c, n, s, at, int(count))
            for i, c, n, s, at, count in session.execute(query)]


def remove_reference(session: Session, actor: Actor, code: str, *, now: datetime) -> None:
    """Removes a reference catalogue (by code, or by id given as digits)."""
    actor.require(Permission.CATALOGUE)
    query = select(ReferenceCatalogue).where(ReferenceCatalogue.code == code.strip().upper())
    catalogue = session.scalars(query).first()
    if catalogue is None and code.strip().isdigit():
        catalogue = session.get(ReferenceCatalogue, int(code.strip()))
    if catalogue is None:
        raise UnknownReferenceCatalogue(code)
    catalogue_id = catalogue.id
    session.execute(delete(ReferenceRecord).where(ReferenceRecord.catalogue_id == catalogue_id))
    session.delete(catalogue)
    session.flush()
    record_audit(session, actor, action="reference_remove", entity="reference_catalogue",
                 entity_id=catalogue_id, now=now, details={"code": catalogue.code})


def reference_metadata(session: Session, isbn13: str) -> BookMetadata | None:
    """What the most recently loaded reference catalogue knows of this ISBN (or EAN)."""
    from mediatheque.catalogue.lookup import metadata_from_json

    payload = session.scalar(
        select(ReferenceRecord.payload)
        .join(ReferenceCatalogue, ReferenceCatalogue.id == ReferenceRecord.catalogue_id)
        .where((ReferenceRecord.isbn13 == isbn13) | (ReferenceRecord.ean == isbn13))
        .order_by(ReferenceCatalogue.loaded_at.desc(), ReferenceRecord.id).limit(1))
    if payload is None:
        return None
    try:
        return metadata_from_json(payload)
    except (ValueError, TypeError, KeyError):
        return None

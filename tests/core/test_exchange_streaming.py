"""The importer's streaming and fast paths give what the plain ones give: records.mrc cut
while it is inflated, the UNIMARC reader on MarcRecords as on pymarc Records; items.csv
values checked once; a package changed after it was opened is refused."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest
from pymarc import Field, Indicators, Leader, Subfield
from pymarc import Record as PymarcRecord
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from mediatheque.catalogue.providers.unimarc_reader import UnimarcFields, metadata_from_unimarc
from mediatheque.db import Database, sqlite_url
from mediatheque.errors import ChecksumMismatch, ImportCancelled
from mediatheque.exchange.export import export_fm21
from mediatheque.exchange.importing import Prepared, import_incoming, prepare_record
from mediatheque.exchange.mapping import IncomingRecord
from mediatheque.exchange.marc import MarcField, MarcRecord, split_iso2709, to_iso2709
from mediatheque.exchange.package import ItemDetails, open_incoming
from mediatheque.exchange.reading import ReadRecord, read_iso2709, split_iso2709_chunks
from mediatheque.library import initialise_library
from mediatheque.models import Copy, Record
from mediatheque.models.vocabulary import CopyStatus, words
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.settings import LibrarySettings
from mediatheque.startup import open_database
from tests.conftest import NOW, wait_for_workers_to_exit
from tests.core.exchange_helpers import make_catalogue
from tests.core.search_helpers import assert_indexed_as_a_rebuild_would, index_contents


@pytest.mark.parametrize("size", [1, 7, 100, 4096, 1 << 20])
def test_records_cut_while_inflating_are_the_records_cut_whole(size: int,
                                                               shared_dir: Path) -> None:
    data = (b"\r\n" + (shared_dir / "data" / "unimarc_sciencespo_cotesMEL.mrc").read_bytes()
            + b"\x00\x1a  \n" + b"00026nam  22000241  450 \x1e\x1d" + b"\n\n" + b"truncated")
    chunks = [data[at:at + size] for at in range(0, len(data), size)]
    assert list(split_iso2709_chunks(chunks)) == list(split_iso2709(data))
    assert list(split_iso2709_chunks([])) == list(split_iso2709(b"")) == []


def _to_pymarc(record: MarcRecord) -> PymarcRecord:
    """What the importer did before it read MarcRecords directly."""
    result = PymarcRecord()
    result.leader = Leader(record.leader.ljust(24)[:24])
    for field in record.fields:
        if field.data is not None:
            result.add_field(Field(tag=field.tag, data=field.data))
        else:
            result.add_field(Field(
                tag=field.tag, indicators=Indicators(field.ind1 or " ", field.ind2 or " "),
                subfields=[Subfield(code, value) for code, value in field.subfields]))
    return result


@pytest.mark.parametrize("name", ["unimarc_sciencespo_cotesMEL.mrc",
                                  "unimarc_iccu_pymarc_testunimarc.dat"])
def test_unimarc_reader_reads_marc_records_as_pymarc_records(name: str,
                                                             shared_dir: Path) -> None:
    read = [item for item in read_iso2709((shared_dir / "data" / name).read_bytes())
            if isinstance(item, ReadRecord)]
    assert read
    for item in read:
        expected = metadata_from_unimarc(_to_pymarc(item.record), "x")
        assert metadata_from_unimarc(item.record, "x") == expected
        assert metadata_from_unimarc(UnimarcFields(item.record), "x") == expected


def test_unimarc_reader_on_odd_tags_and_indicators() -> None:
    record = MarcRecord("     nam  22        450 ", (
        MarcField("001", data="x"),
        MarcField("10", ind1="", ind2="", subfields=(("a", "978-2-07-036002-4"),)),
        MarcField("200", data="a control field where a data field should be"),
        MarcField("0200", ind2="", subfields=(("a", "\x88Le \x89Titre :"), ("f", "X"))),
        MarcField("214", ind2="", subfields=(("c", "Gallimard,"), ("d", "1999"))),
        MarcField("214", ind2="3", subfields=(("c", "Imprimeur"),)),
        MarcField("702", subfields=(("a", "Roux"), ("4", " "), ("4", "730"))),
    ))
    assert metadata_from_unimarc(record) == metadata_from_unimarc(_to_pymarc(record))


def _rewrite(path: Path, target: Path, edit: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries.update(edit)
    manifest = json.loads(entries["manifest.json"])
    for name in ("records.mrc", "records.xml", "items.csv"):
        manifest["files"][name] = {"bytes": len(entries[name]),
                                   "sha256": hashlib.sha256(entries[name]).hexdigest()}
    entries["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return target


def _items_edited(path: Path) -> bytes:
    """items.csv with values that cannot be used: an unknown status, a date and prices that
    do not parse or are out of range, a location code too long."""
    with zipfile.ZipFile(path) as archive:
        text = archive.read("items.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    odd = [("status", "lost_in_space"), ("acquired_on", "2025-13-45"), ("price", "NaN"),
           ("location", "X" * 21), ("price", "1e12"), ("price", "-5")]
    for row, (column, value) in zip(rows[1:], odd, strict=False):
        row[header.index(column)] = value
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@pytest.fixture
def package(database: Database, tmp_path: Path) -> Path:
    make_catalogue(database)
    with database.read() as session:
        return export_fm21(session, LOCAL_ADMIN, tmp_path / "out", now=NOW).path


@pytest.fixture
def other(tmp_path: Path) -> Database:
    opened = open_database(sqlite_url(tmp_path / "other.db"), data_dir=tmp_path, now=NOW,
                           busy_timeout=2).database
    with opened.write() as session:
        initialise_library(session, LibrarySettings(name="AF Astana", code="KZ-AST-AF"))
    return opened


def test_unusable_item_values_are_left_out(package: Path, other: Database,
                                           tmp_path: Path) -> None:
    edited = _rewrite(package, tmp_path / "odd.fm21.zip",
                      {"items.csv": _items_edited(package)})
    incoming = open_incoming(edited)
    details = list(incoming.items.values())
    assert all(isinstance(item, ItemDetails) for item in details)
    assert all(item.status is None or item.status in words(CopyStatus) for item in details)
    assert all(item.price is None or Decimal(0) <= item.price < Decimal("1e10")
               for item in details)
    assert all(item.location is None or len(item.location) <= 20 for item in details)
    try:
        with other.write() as session:
            report = import_incoming(session, LOCAL_ADMIN, incoming, dry_run=False, now=NOW)
        assert (report.records_new, report.copies_new, report.rejected) == (6, 6, ())
        with other.read() as session:
            prices = set(session.scalars(select(Copy.price)))
        assert all(price is None or Decimal(0) <= price < Decimal("1e10") for price in prices)
    finally:
        other.dispose()


def test_a_dry_run_then_the_import_read_the_package_twice(package: Path,
                                                          other: Database) -> None:
    incoming = open_incoming(package)
    try:
        with other.read() as session:
            dry = import_incoming(session, LOCAL_ADMIN, incoming, dry_run=True, now=NOW)
        with other.write() as session:
            done = import_incoming(session, LOCAL_ADMIN, incoming, dry_run=False, now=NOW)
        assert (dry.records_new, dry.copies_new) == (done.records_new, done.copies_new) == (6, 6)
        assert len(done.record_ids) == 6
    finally:
        other.dispose()


def test_a_package_changed_after_it_was_opened_is_refused(package: Path, other: Database,
                                                         tmp_path: Path) -> None:
    incoming = open_incoming(package)
    with zipfile.ZipFile(package) as archive:
        records = archive.read("records.mrc")
    changed = MarcRecord("     nam  22        450 ", (
        MarcField("001", data="KZ-ALA-AF-999"),
        MarcField("200", ind1="1", subfields=(("a", "Intrus"),))))
    _rewrite(package, package, {"records.mrc": records + to_iso2709(changed)})
    try:
        with pytest.raises(ChecksumMismatch), other.write() as session:
            import_incoming(session, LOCAL_ADMIN, incoming, dry_run=False, now=NOW)
        with other.read() as session:
            assert session.scalar(select(func.count()).select_from(Record)) == 0
        package.unlink()
        with pytest.raises(ChecksumMismatch), other.write() as session:
            import_incoming(session, LOCAL_ADMIN, incoming, dry_run=False, now=NOW)
    finally:
        other.dispose()


def _dirty_file(tmp_path: Path) -> Path:
    """Good records, one in ISO 5426 (legacy charset), one without title, one truncated."""
    def record(title: str, coded: str = "20200101d2020    m  y0frey50      ba") -> MarcRecord:
        return MarcRecord("00000nam  22000001i 450 ", (
            MarcField("001", data=title), MarcField("100", subfields=(("a", coded),)),
            MarcField("200", ind1="1", subfields=(("a", title),))))

    latin = to_iso2709(record("Deuxième", "20200101d2020    m  y0frey0103    ba"))
    latin = latin.replace("è".encode(), b"\xc1e")
    latin = f"{len(latin) - 1:05d}".encode() + latin[5:]
    untitled = to_iso2709(MarcRecord("00000nam  22000001i 450 ", (
        MarcField("001", data="X"), MarcField("300", subfields=(("a", "no title"),)))))
    path = tmp_path / "dirty.mrc"
    path.write_bytes(b"".join([to_iso2709(record(f"Livre {n}")) for n in range(9)]) + latin
                     + untitled + to_iso2709(record("Fin"))[:-30])
    return path


@pytest.mark.parametrize("kind", ["package", "sciences_po", "dirty"])
def test_a_worker_process_reads_and_maps_what_this_one_would(
        kind: str, package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large ISO 2709 file is parsed and mapped by a worker process while this one
    decides and writes: the same records, issues, flavours and legacy charsets, in order."""
    import multiprocessing

    from mediatheque.exchange import package as opening
    from tests.conftest import SHARED

    if kind == "sciences_po" and not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not there")
    path = {"package": package, "dirty": _dirty_file(tmp_path),
            "sciences_po": SHARED / "data" / "unimarc_sciencespo_cotesMEL.mrc"}[kind]

    def read() -> tuple[list[object], dict[str, int], list[int], int]:
        flavours: dict[str, int] = {}
        legacy: list[int] = []
        items: list[object] = []
        wait_for_workers_to_exit()  # an earlier read's
        children = 0
        prepare = partial(prepare_record, latest_year=2027)
        for item in open_incoming(path).stream(flavours, legacy, prepare=prepare):
            items.append(item)
            children = max(children, len(multiprocessing.active_children()))
        return items, flavours, legacy, children

    def prepared(items: list[object]) -> list[object]:
        """What the records' equality leaves out: their values and search words."""
        rows = [item.prepared.row if isinstance(item, IncomingRecord)
                and isinstance(item.prepared, Prepared) else None for item in items]
        return [(row.values, row.texts) if row else None for row in rows]

    here = read()
    monkeypatch.setattr(opening, "PARALLEL_FROM", 0)
    monkeypatch.setattr(opening, "_JOB", 3)
    elsewhere = read()
    assert elsewhere[:3] == here[:3]
    assert prepared(elsewhere[0]) == prepared(here[0])
    assert sum(1 for row in prepared(here[0]) if row) > 5
    assert len(here[0]) > 5 and here[3] == 0 and elsewhere[3] >= 1
    if kind == "dirty":
        assert here[2] == [10]  # the ISO 5426 record
        assert [(i.position, i.reason) for i in here[0] if not hasattr(i, "record")] == [
            (12, "truncated")]


def test_a_changed_package_is_refused_when_a_worker_reads_it(
        package: Path, other: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from mediatheque.exchange import package as opening

    monkeypatch.setattr(opening, "PARALLEL_FROM", 0)
    monkeypatch.setattr(opening, "_JOB", 2)
    incoming = open_incoming(package)
    with zipfile.ZipFile(package) as archive:
        records = archive.read("records.mrc")
    _rewrite(package, package, {"records.mrc": records + records[:records.index(b"\x1d") + 1]})
    try:
        with pytest.raises(ChecksumMismatch), other.write() as session:
            import_incoming(session, LOCAL_ADMIN, incoming, dry_run=False, now=NOW)
        with other.read() as session:
            assert session.scalar(select(func.count()).select_from(Record)) == 0
    finally:
        other.dispose()


def _indexes(database: Database) -> list[tuple[str, str]]:
    with database.read() as session:
        return [tuple(row) for row in session.connection().exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")]


def _automerge(session: Session) -> object:
    return session.scalar(text("SELECT v FROM record_fts_config WHERE k = 'automerge'"))


def test_a_large_import_builds_the_indexes_at_the_end(
        package: Path, other: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that at least doubles the catalogue has the indexes of the tables it fills
    built once at the end: the same indexes, the same search index as a rebuild gives;
    cancelled, nothing changes."""
    from mediatheque.exchange import importing

    indexes = _indexes(other)
    assert len(indexes) > 20
    monkeypatch.setattr(importing, "BULK_FROM", 0)
    incoming = open_incoming(package)
    try:
        with other.read() as session:
            assert importing._in_bulk(session, incoming, dry_run=False)
            assert not importing._in_bulk(session, incoming, dry_run=True)
        with pytest.raises(ImportCancelled), other.write() as session:
            import_incoming(session, LOCAL_ADMIN, incoming, dry_run=False, now=NOW,
                            progress=lambda done, total: None,
                            cancelled=lambda: session.scalar(
                                select(func.count()).select_from(Record)) > 0)
        assert index_contents(other) == ([], []) and _indexes(other) == indexes
        merging: list[object] = []  # FTS5 merges less often during the load
        with other.write() as session:
            report = import_incoming(session, LOCAL_ADMIN, incoming, dry_run=False, now=NOW,
                                     progress=lambda done, total: merging.append(
                                         _automerge(session)))
        assert report.records_new == 6
        assert _indexes(other) == indexes
        assert 16 in merging
        with other.read() as session:
            assert _automerge(session) == 4  # FTS5's default again
        search, keys = assert_indexed_as_a_rebuild_would(other)
        assert len(search) == len(keys) == 6
        with other.read() as session:
            monkeypatch.setattr(importing, "BULK_FROM", 7)  # the package has 6 records
            assert not importing._in_bulk(session, incoming, dry_run=False)
    finally:
        other.dispose()

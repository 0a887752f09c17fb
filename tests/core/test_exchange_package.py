"""Hostile and broken FM21 packages (FM21.md §1–2): each refused with its reason code or
reported, the database untouched. And reference catalogues (§6): kept apart from the
holdings, consulted by the ISBN lookup offline, listed, refreshed and removed."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mediatheque.catalogue.isbn_cataloguing import catalogue_by_isbn
from mediatheque.catalogue.lookup import ProviderHealth
from mediatheque.catalogue.provider_settings import ProviderSettings
from mediatheque.db import Database
from mediatheque.errors import (
    BadPackage,
    ChecksumMismatch,
    MediathequeError,
    UnknownReferenceCatalogue,
    UnsafePath,
)
from mediatheque.exchange.export import export_fm21
from mediatheque.exchange.importing import import_incoming
from mediatheque.exchange.package import open_incoming
from mediatheque.exchange.reference import (
    list_references,
    load_reference,
    reference_metadata,
    remove_reference,
)
from mediatheque.library import initialise_library
from mediatheque.messages import describe_error
from mediatheque.models import Copy, Record, ReferenceRecord
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.settings import LibrarySettings
from tests.conftest import NOW
from tests.core.exchange_helpers import make_catalogue


@pytest.fixture
def package(database: Database, tmp_path: Path) -> Path:
    make_catalogue(database)
    with database.read() as session:
        return export_fm21(session, LOCAL_ADMIN, tmp_path / "out", now=NOW).path


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write(path: Path, entries: dict[str, bytes], *, fix_manifest: bool = True) -> Path:
    if fix_manifest and "manifest.json" in entries:
        manifest = json.loads(entries["manifest.json"])
        for name in ("records.mrc", "records.xml", "items.csv"):
            if name in entries and name in manifest["files"]:
                manifest["files"][name] = {"bytes": len(entries[name]),
                                           "sha256": hashlib.sha256(entries[name]).hexdigest()}
        entries = {**entries, "manifest.json": json.dumps(manifest).encode()}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _manifest(change: Callable[[dict[str, object]], None]) -> Callable[[dict[str, bytes]], None]:
    def edit(entries: dict[str, bytes]) -> None:
        manifest = json.loads(entries["manifest.json"])
        change(manifest)
        entries["manifest.json"] = json.dumps(manifest).encode()
    return edit


CASES: dict[str, tuple[Callable[[dict[str, bytes]], None], type[MediathequeError], str, bool]] = {
    # name: (edit of the entries, error, problem, recompute the checksums)
    "zip_slip": (lambda e: e.update({"../../evil.sh": b"rm -rf /"}), UnsafePath, "", True),
    "absolute": (lambda e: e.update({"/etc/passwd": b"x"}), UnsafePath, "", True),
    "backslash": (lambda e: e.update({"..\\evil": b"x"}), UnsafePath, "", True),
    "too_many": (lambda e: e.update({f"extra{i}.txt": b"x" for i in range(13)}),
                 BadPackage, "too_many_entries", True),
    "bomb": (lambda e: e.update({"padding.bin": b"\0" * (20 * 1024 * 1024)}),
             BadPackage, "too_large", True),
    "missing": (lambda e: e.pop("items.csv"), BadPackage, "missing_entry", True),
    "checksum": (lambda e: e.update({"items.csv": e["items.csv"] + b"x,y\r\n"}),
                 ChecksumMismatch, "", False),
    "major_version": (_manifest(lambda m: m.update(version="2.0")), BadPackage,
                      "unsupported_version", True),
    "not_fm21": (_manifest(lambda m: m.update(format="marc")), BadPackage, "not_fm21", True),
    "bad_manifest": (lambda e: e.update({"manifest.json": b"{not json"}), BadPackage,
                     "bad_manifest", False),
    "lying_counts": (_manifest(lambda m: m["counts"].update(records=5000)),  # type: ignore[index]
                     BadPackage, "counts", True),
    "personal_data": (lambda e: e.update({"items.csv": e["items.csv"].replace(
        b"price\r\n", b"price,borrower_email\r\n", 1)}), BadPackage, "personal_data", True),
    "items_not_utf8": (lambda e: e.update({"items.csv": e["items.csv"] + b"\xe9t\xe9,x\r\n"}),
                       BadPackage, "bad_items", True),
    # items.csv is parsed while the checksums are checked: their verdict still comes first
    "checksum_and_personal_data": (lambda e: e.update({"items.csv": e["items.csv"].replace(
        b"price\r\n", b"price,borrower_email\r\n", 1)}), ChecksumMismatch, "", False),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_packages_are_refused(database: Database, package: Path, tmp_path: Path,
                                      case: str) -> None:
    edit, error, problem, fix = CASES[case]
    entries = _entries(package)
    edit(entries)
    hostile = _write(tmp_path / f"{case}.fm21.zip", entries, fix_manifest=fix)
    with database.read() as session:
        before = (session.scalar(select(func.count()).select_from(Record)),
                  session.scalar(select(func.count()).select_from(Copy)))
    with pytest.raises(error) as caught:
        open_incoming(hostile)
    if problem:
        assert caught.value.problem == problem  # type: ignore[attr-defined]
    assert describe_error(caught.value)
    with database.read() as session:
        after = (session.scalar(select(func.count()).select_from(Record)),
                 session.scalar(select(func.count()).select_from(Copy)))
    assert before == after
    assert not (tmp_path.parent / "evil.sh").exists()


def test_a_newer_minor_version_is_read(package: Path, tmp_path: Path) -> None:
    entries = _entries(package)
    _manifest(lambda m: m.update(version="1.7", future_key={"x": 1}))(entries)
    incoming = open_incoming(_write(tmp_path / "minor.fm21.zip", entries))
    assert len(incoming.records) == 6


def test_a_truncated_record_is_reported(database: Database, package: Path,
                                        tmp_path: Path) -> None:
    entries = _entries(package)
    entries["records.mrc"] = entries["records.mrc"][:-100]
    incoming = open_incoming(_write(tmp_path / "cut.fm21.zip", entries))
    with database.read() as session:  # a dry run in the library itself
        report = import_incoming(session, LOCAL_ADMIN, incoming, dry_run=True, now=NOW)
    assert [(i.position, i.reason) for i in report.rejected] == [(6, "truncated")]
    assert report.records_matched == 5


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "fake.fm21.zip"
    path.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(BadPackage) as caught:
        open_incoming(path)
    assert caught.value.problem == "not_a_zip"


def test_reference_catalogue(database: Database, package: Path, tmp_path: Path) -> None:
    # A second library loads the first one's package as a reference catalogue.
    from mediatheque.db import sqlite_url
    from mediatheque.startup import open_database
    other = open_database(sqlite_url(tmp_path / "astana.db"), data_dir=tmp_path, now=NOW,
                          busy_timeout=2).database
    try:
        with other.write() as session:
            initialise_library(session, LibrarySettings(name="AF Astana", code="KZ-AST-AF"))
            summary = load_reference(session, LOCAL_ADMIN,
                                     open_incoming(package, reference=True), now=NOW)
        assert (summary.code, summary.records) == ("KZ-ALA-AF", 6)
        with other.read() as session:
            assert session.scalar(select(func.count()).select_from(Record)) == 0
            found = reference_metadata(session, "9782070360024")
            assert found is not None and found.title == "L'Étranger"
            assert found.contributors[0].surname == "Camus"
        # Offline scan: the record is filled from the neighbour's catalogue.
        scanned = catalogue_by_isbn(other, "2-07-036002-4", actor=LOCAL_ADMIN, offline=True,
                                    settings=ProviderSettings(), health=ProviderHealth(),
                                    now=NOW)
        assert scanned.title == "L'Étranger" and not scanned.pending_lookup
        with other.read() as session:
            record = session.get(Record, scanned.record_id)
            assert record is not None and record.publisher == "Gallimard"
        # Refreshing replaces; removing removes.
        with other.write() as session:
            load_reference(session, LOCAL_ADMIN, open_incoming(package), now=NOW)
            assert [c.records for c in list_references(session)] == [6]
            remove_reference(session, LOCAL_ADMIN, "kz-ala-af", now=NOW)
            assert list_references(session) == []
            assert session.scalar(select(func.count()).select_from(ReferenceRecord)) == 0
            with pytest.raises(UnknownReferenceCatalogue):
                remove_reference(session, LOCAL_ADMIN, "nothing", now=NOW)
    finally:
        other.dispose()


def test_reimporting_a_package_into_its_own_library(database: Database, package: Path) -> None:
    with database.write() as session:
        report = import_incoming(session, LOCAL_ADMIN, open_incoming(package), dry_run=False,
                                 now=NOW)
    assert (report.records_new, report.records_matched, report.copies_new) == (0, 6, 0)
    assert report.conflicts == ()

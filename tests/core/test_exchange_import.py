"""Importing MARC (FM21.md §5–6): the real files of ../shared/data with their counts,
flavour by content, legacy character sets, dirt, dry run then one transaction, matching,
conflicts, and the round trip export → import → export."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediatheque.catalogue.copies import CopyInput, add_copies
from mediatheque.catalogue.records import RecordInput, create_record
from mediatheque.catalogue.search import search_records
from mediatheque.db import Database
from mediatheque.errors import ImportCancelled, PermissionDenied, UnreadableMarc
from mediatheque.exchange.export import export_fm21
from mediatheque.exchange.importing import ImportReport, import_incoming
from mediatheque.exchange.iso5426 import decode_iso5426
from mediatheque.exchange.marc import MarcField, MarcRecord, to_iso2709
from mediatheque.exchange.package import IncomingFile, open_incoming
from mediatheque.exchange.reading import MARC21, UNIMARC, flavour_of
from mediatheque.library import initialise_library
from mediatheque.models import AuditEntry, Contributor, Copy, Member, MemberCategory, Record
from mediatheque.permissions import LOCAL_ADMIN, Actor
from mediatheque.settings import LibrarySettings
from tests.conftest import NOW
from tests.core.exchange_helpers import make_catalogue, open_package
from tests.core.search_helpers import assert_indexed_as_a_rebuild_would


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _setup(database: Database, code: str = "KZ-AST-AF") -> None:
    with database.write() as session:
        initialise_library(session, LibrarySettings(name="AF Astana", code=code))


def run(database: Database, incoming: IncomingFile, *, dry_run: bool = False) -> ImportReport:
    opened = database.read() if dry_run else database.write()
    with opened as session:
        return import_incoming(session, LOCAL_ADMIN, incoming, dry_run=dry_run, now=NOW)


def test_sciences_po_unimarc(database: Database, shared_dir: Path) -> None:
    _setup(database)
    incoming = open_incoming(shared_dir / "data" / "unimarc_sciencespo_cotesMEL.mrc")
    assert incoming.kind == "iso2709" and incoming.flavours == {UNIMARC: 109}
    assert incoming.legacy_charset == []  # declared 0103 but valid UTF-8: read as UTF-8
    dry = run(database, incoming, dry_run=True)
    assert (dry.records_new, dry.copies_new, dry.rejected, dry.dry_run) == (109, 132, (), True)
    with database.read() as session:
        assert count(session, Record) == 0
    report = run(database, incoming)
    assert (report.records_new, report.records_matched, report.copies_new) == (109, 0, 132)
    with database.read() as session:
        assert count(session, Record) == 109 and count(session, Copy) == 132
        assert session.scalar(select(Copy.call_number).where(
            Copy.barcode == "00000001390392")) == "MEL8°071(05)"  # double encoding repaired
        title = session.scalar(select(Record.title).where(Record.id == report.record_ids[0]))
        assert title == "Les Intérêts français en Bohême"
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "import_marc")).one()
        assert '"records_new": 109' in (entry.details or "") or entry.details
    again = run(database, incoming, dry_run=True)
    assert (again.records_new, again.records_matched, again.copies_new) == (0, 109, 0)
    assert {(i.position, i.reason) for i in again.conflicts} == {
        (21, "no_barcode"), (47, "no_barcode")}  # 995s without $f: not added twice


def test_bnf_sru_response(database: Database, shared_dir: Path) -> None:
    _setup(database)
    incoming = open_incoming(shared_dir / "data" / "unimarc_bnf_sru_verne.xml")
    assert incoming.kind == "marcxml" and incoming.flavours == {UNIMARC: 50}
    report = run(database, incoming)
    assert report.records_new + len(report.duplicates) == 50 and report.rejected == ()
    with database.read() as session:
        publishers = set(session.scalars(select(Record.publisher)))
        assert publishers - {None}


def test_iccu_non_sorting_marks(database: Database, shared_dir: Path) -> None:
    _setup(database)
    incoming = open_incoming(shared_dir / "data" / "unimarc_iccu_pymarc_testunimarc.dat")
    assert incoming.flavours == {UNIMARC: 1} and incoming.rejected == []  # stray newline ok
    report = run(database, incoming)
    assert report.records_new == 1
    with database.read() as session:
        title = session.scalar(select(Record.title))
        assert title == "L'altra faccia della spirale"
        assert "\x88" not in title and "\x89" not in title
        found = search_records(session, "altra faccia")
        assert found.total == 1 if hasattr(found, "total") else found


def test_yaz_marc21_is_recognised(database: Database, shared_dir: Path) -> None:
    _setup(database)
    incoming = open_incoming(shared_dir / "data" / "marc21_yaz_marccol1.u8.marc")
    assert incoming.flavours == {MARC21: 19}
    report = run(database, incoming)
    assert report.records_new + len(report.duplicates) == 19 and report.rejected == ()
    with database.read() as session:
        assert "Handa shishi" in set(session.scalars(select(Record.title)))


def test_other_files_are_refused(shared_dir: Path, tmp_path: Path) -> None:
    for name in ("goodreads_books.csv", "README.md"):
        with pytest.raises(UnreadableMarc) as caught:
            open_incoming(shared_dir / "data" / name)
        assert caught.value.problem == "not_marc"
    (tmp_path / "empty.mrc").write_bytes(b"")
    with pytest.raises(UnreadableMarc):
        open_incoming(tmp_path / "empty.mrc")
    with pytest.raises(UnreadableMarc):
        open_incoming(tmp_path / "missing.mrc")
    (tmp_path / "bad.xml").write_bytes(b"<collection><record><leader>")
    with pytest.raises(UnreadableMarc) as caught:
        open_incoming(tmp_path / "bad.xml")
    assert caught.value.problem == "bad_xml"


def _record(title: str, *, coded: str = "20200101d2020    m  y0frey50      ba",
            extra: tuple[MarcField, ...] = ()) -> MarcRecord:
    return MarcRecord("00000nam  22000001i 450 ", (
        MarcField("001", data=title[:5]),
        MarcField("100", subfields=(("a", coded),)),
        MarcField("200", ind1="1", subfields=(("a", title),)),
        *extra,
    ))


def test_dirty_records_are_skipped_and_reported(database: Database, tmp_path: Path) -> None:
    _setup(database)
    good = to_iso2709(_record("Premier"))
    declared_5426 = "20200101d2020    m  y0frey0103    ba"
    latin = to_iso2709(_record("Deuxième", coded=declared_5426))
    latin = latin.replace("è".encode(), b"\xc1e")  # ISO 5426: the grave accent first
    latin = f"{len(latin) - 1:05d}".encode() + latin[5:]  # one byte shorter
    untitled = to_iso2709(MarcRecord("00000nam  22000001i 450 ", (
        MarcField("001", data="X"), MarcField("300", subfields=(("a", "no title"),)))))
    truncated = to_iso2709(_record("Troisième"))[:-30]
    path = tmp_path / "dirty.mrc"
    path.write_bytes(good + b"\n" + latin + untitled + good + truncated)
    incoming = open_incoming(path)
    assert incoming.legacy_charset == [2]
    report = run(database, incoming)
    assert report.records_new == 2
    assert [(i.position, i.reason) for i in report.rejected] == [
        (3, "missing_title"), (5, "truncated")]
    assert [(i.position, i.reason, i.detail) for i in report.duplicates] == [
        (4, "duplicate_in_file", "1")]
    with database.read() as session:
        assert set(session.scalars(select(Record.title))) == {"Premier", "Deuxième"}


def test_a_value_that_does_not_fit_is_dropped_not_the_record(database: Database,
                                                             tmp_path: Path) -> None:
    _setup(database)
    author = MarcField("700", ind2="1", subfields=(("a", "Hugo"), ("b", "Victor"),
                                                   ("4", "070")))
    later = _record("Les Misérables", coded="20200101d2031    m  y0frey50      ba",
                    extra=(author, MarcField("606", subfields=(("a", "Roman"),))))
    path = tmp_path / "later.mrc"
    path.write_bytes(to_iso2709(later))
    report = run(database, open_incoming(path))  # NOW is in 2026: 2031 is to come
    assert (report.records_new, report.rejected) == (1, ())
    with database.read() as session:
        record = session.scalars(select(Record)).one()
        assert record.title == "Les Misérables" and record.year is None
        assert [c.contributor.surname for c in record.contributions] == ["Hugo"]
        assert [s.heading for s in record.subjects] == ["Roman"]


def test_iso5426() -> None:
    assert decode_iso5426(b"\xc2ecole \xc8a \xd0c \xe9") == "école ä ç Ø"
    assert decode_iso5426(b"\x88Le \x89monde") == "\x88Le \x89monde"


def test_flavour_by_content() -> None:
    unimarc = _record("Titre")
    assert flavour_of(unimarc) == UNIMARC
    marc21 = MarcRecord("00000cam a2200000 a 4500", (
        MarcField("008", data="800108s1979    xx            000 0 eng d"),
        MarcField("245", subfields=(("a", "Title"),))))
    assert flavour_of(marc21) == MARC21
    short_100 = MarcRecord(" " * 24, (MarcField("100", subfields=(
        ("a", "20200101d2020    m  y0frey50"),)),))
    assert flavour_of(short_100) == UNIMARC  # PMB writes 30 characters


def test_matching_and_conflicts(database: Database, tmp_path: Path) -> None:
    _setup(database)
    with database.write() as session:
        existing = create_record(session, LOCAL_ADMIN, RecordInput(
            title="L'Étranger", isbn="9782070360024"), now=NOW)
        add_copies(session, LOCAL_ADMIN, existing, CopyInput(barcode="B-1"), 1, now=NOW)
        category = session.scalars(select(MemberCategory)).first()
        assert category is not None
        from datetime import date
        session.add(Member(barcode="CARD-1", first_name="A", last_name="B",
                           category_id=category.id, membership_start=date(2026, 1, 1),
                           membership_expiry=date(2027, 1, 1), created_at=NOW,
                           updated_at=NOW))
    isbn = MarcField("010", subfields=(("a", "2-07-036002-4"),))
    records = [
        _record("L'Étranger", extra=(isbn, MarcField("995", subfields=(("f", "B-1"),)),
                                     MarcField("995", subfields=(("f", "B-2"),)))),
        _record("Autre", extra=(MarcField("995", subfields=(("f", "CARD-1"),)),
                                MarcField("995", subfields=(("f", "B-2"),)),
                                MarcField("995", subfields=(("f", "B-3"), ("k", "843 X"),
                                                            ("u", "Fragile"))))),
    ]
    path = tmp_path / "match.mrc"
    path.write_bytes(b"".join(to_iso2709(r) for r in records))
    report = run(database, open_incoming(path))
    assert (report.records_new, report.records_matched, report.copies_new) == (1, 1, 2)
    assert [(c.position, c.detail) for c in report.conflicts] == [(2, "CARD-1"), (2, "B-2")]
    with database.read() as session:
        owners = dict(session.execute(select(Copy.barcode, Copy.record_id)).all())
        assert owners["B-1"] == existing and owners["B-2"] == existing
        assert session.scalar(select(Copy.public_note).where(Copy.barcode == "B-3")) == "Fragile"
        assert session.scalar(select(Copy.call_number).where(Copy.barcode == "B-3")) == "843 X"
    assert_indexed_as_a_rebuild_would(database)


def test_import_is_one_transaction(database: Database, shared_dir: Path) -> None:
    _setup(database)
    incoming = open_incoming(shared_dir / "data" / "unimarc_sciencespo_cotesMEL.mrc")
    calls = iter(range(10_000))
    with pytest.raises(ImportCancelled), database.write() as session:
        import_incoming(session, LOCAL_ADMIN, incoming, dry_run=False, now=NOW,
                        progress=lambda done, total: None,
                        cancelled=lambda: next(calls) > 2)
    with database.read() as session:
        assert count(session, Record) == 0 and count(session, Copy) == 0
    with pytest.raises(PermissionDenied), database.write() as session:
        import_incoming(session, Actor("x", "director"), incoming, dry_run=True, now=NOW)


def test_progress_moves_while_a_batch_is_read(database: Database, shared_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from mediatheque.exchange import importing

    _setup(database)
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 20)
    seen: list[tuple[int, int]] = []
    incoming = open_incoming(shared_dir / "data" / "unimarc_sciencespo_cotesMEL.mrc")
    with database.write() as session:
        import_incoming(session, LOCAL_ADMIN, incoming, dry_run=False, now=NOW,
                        progress=lambda done, total: seen.append((done, total)))
    # One batch (109 records < BATCH): without reports while reading, the bar would
    # stay at 0 until it is written.
    assert [done for done, _ in seen][:6] == [0, 20, 40, 60, 80, 100]
    assert seen[-1] == (109, 109)


def _comparable(records: list[MarcRecord]) -> list[tuple[str, tuple[MarcField, ...]]]:
    return [(r.leader[5:], tuple(f for f in r.fields if f.tag != "005")) for r in records]


def test_round_trip(database: Database, tmp_path: Path, db_url: object) -> None:
    make_catalogue(database)
    with database.read() as session:
        first = export_fm21(session, LOCAL_ADMIN, tmp_path / "one", now=NOW)
    original = open_package(first.path, tmp_path / "a")
    # A fresh database of the same library (a restore, a migration).
    from mediatheque.db import sqlite_url
    from mediatheque.startup import open_database
    other = open_database(sqlite_url(tmp_path / "other.db"), data_dir=tmp_path, now=NOW,
                          busy_timeout=2).database
    try:
        with other.write() as session:
            initialise_library(session, LibrarySettings(
                name="Alliance Française d'Almaty", code="KZ-ALA-AF", city="Almaty"))
        report = run(other, open_incoming(first.path))
        assert (report.records_new, report.copies_new, report.rejected) == (6, 6, ())
        with other.read() as session:
            second = export_fm21(session, LOCAL_ADMIN, tmp_path / "two", now=NOW)
            assert session.scalar(select(Contributor.dates).where(
                Contributor.surname == "Camus")) == "1913-1960"
        again = open_package(second.path, tmp_path / "b")
        assert _comparable(again.records) == _comparable(original.records)
        assert again.items.replace(b"on_loan", b"available") == \
            original.items.replace(b"on_loan", b"available")
        # Importing the same package again matches every record by its 001.
        report = run(other, open_incoming(first.path), dry_run=True)
        assert (report.records_new, report.records_matched, report.copies_new,
                report.conflicts) == (0, 6, 0, ())
    finally:
        other.dispose()


@pytest.mark.parametrize("name", [
    "unimarc_sciencespo_cotesMEL.mrc", "unimarc_bnf_sru_verne.xml",
    "unimarc_iccu_pymarc_testunimarc.dat", "marc21_yaz_marccol1.u8.marc"])
def test_imported_records_are_indexed_as_a_rebuild_indexes_them(
        database: Database, shared_dir: Path, name: str) -> None:
    """The importer builds the new records' index entries from what it wrote, without
    reading them back: the same entries as a rebuild from the rows."""
    _setup(database)
    report = run(database, open_incoming(shared_dir / "data" / name))
    assert report.records_new > 0
    search, keys = assert_indexed_as_a_rebuild_would(database)
    assert len(search) == len(keys) == report.records_new


def test_items_csv_completes_a_copy_and_keeps_the_rest_of_it() -> None:
    """items.csv fills what the 995 left empty; every other value of the copy is kept."""
    from dataclasses import fields, replace
    from datetime import date
    from decimal import Decimal

    from mediatheque.exchange.importing import _with_items
    from mediatheque.exchange.package import ItemDetails

    given = CopyInput(barcode="B1", call_number="843 HUG", location_code=None,
                      status="repair", acquired_on=None, acquisition_mode="gift",
                      price=None, public_note="Abîmé", notes="note")
    assert all(getattr(given, f.name) != f.default or f.name in (
        "location_code", "acquired_on", "price") for f in fields(CopyInput))
    incoming = IncomingFile(name="p.fm21.zip", kind="fm21", items={
        "B1": ItemDetails("ADU", "lost", date(2020, 5, 1), Decimal("12.50"))})
    assert _with_items(given, incoming) == replace(
        given, location_code="ADU", status="lost", acquired_on=date(2020, 5, 1),
        price=Decimal("12.50"))
    kept = replace(given, location_code="JEU", acquired_on=date(2019, 1, 2),
                   price=Decimal("3"))
    assert _with_items(kept, incoming) == replace(kept, status="lost")
    assert _with_items(replace(given, barcode="B2"), incoming) == replace(given, barcode="B2")

"""FM21 export (FM21.md §1–4): the bytes of the UNIMARC records, checked by yaz-marcdump,
xmllint and field by field; MARCXML identical in content; items.csv; no personal data."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from mediatheque.catalogue.records import delete_record
from mediatheque.db import Database
from mediatheque.errors import ExportCancelled, InvalidValue, PermissionDenied
from mediatheque.exchange.export import export_fm21, guard_cell
from mediatheque.exchange.marc import MarcField, MarcRecord, to_iso2709
from mediatheque.exchange.unimarc_writing import field_100, leader
from mediatheque.models.vocabulary import StaffRole
from mediatheque.permissions import LOCAL_ADMIN, Actor
from tests.conftest import NOW
from tests.core.exchange_helpers import CODE, MEMBER_NAMES, make_catalogue, open_package


def _export(database: Database, out: Path, **options: object):  # type: ignore[no-untyped-def]
    with database.read() as session:
        return export_fm21(session, LOCAL_ADMIN, out, now=NOW, **options)  # type: ignore[arg-type]


def _by_number(records: list[MarcRecord]) -> dict[str, MarcRecord]:
    return {r.control("001") or "": r for r in records}


def test_a_full_package_is_exactly_fm21(database: Database, tmp_path: Path) -> None:
    ids = make_catalogue(database)
    report = _export(database, tmp_path / "out")
    assert report.path.name == f"{CODE}_2026-11-21.fm21.zip"
    assert (report.records, report.items, report.deleted) == (6, 6, 0)
    package = open_package(report.path, tmp_path)
    manifest = package.manifest
    assert manifest["scope"] == "full" and manifest["since"] is None
    assert manifest["marc"] == {"flavour": "UNIMARC", "charset": "UTF-8", "profile": "core"}
    assert manifest["counts"] == {"records": 6, "items": 6, "deleted": 0}
    assert manifest["library"]["code"] == CODE  # type: ignore[index]
    assert set(manifest["codes"]["item_types"]) == {"LIV", "BD", "DVD", "FLE"}  # type: ignore[index]
    assert set(manifest["codes"]["locations"]) == {"ADU", "JEU", "FLE"}  # type: ignore[index]
    records = _by_number(package.records)
    camus = records[f"{CODE}-{ids[0]}"]
    assert camus.leader[5:8] == "nam"
    assert camus.first("010", "a") == "978-2-07-036002-4"
    assert camus.first("100", "a") == "20261121d1942    m  y0frey50      ba"
    assert camus.first("200", "a") == "L'Étranger"
    assert [f.subfields for f in camus.get("700")] == [
        (("a", "Camus"), ("b", "Albert"), ("f", "1913-1960"), ("4", "070"))]
    assert camus.get("606")[0].subfields == (
        ("a", "Littérature française"), ("x", "20e siècle"), ("2", "rameau"))
    assert camus.first("610", "a") == "absurde"
    assert camus.first("676", "a") == "843.914"
    assert camus.first("225", "v") == "2"
    holdings = camus.get("995")
    assert [h.first("f") for h in holdings] == ["100200000017", "100200000025"]
    assert holdings[0].subfields[:2] == (("b", CODE), ("c", CODE))
    assert holdings[0].first("r") == "LIV" and holdings[0].first("k")
    assert holdings[0].first("p") is None  # core profile: no price
    abai = records[f"{CODE}-{ids[1]}"]
    assert abai.first("100", "a").endswith("ca")  # type: ignore[union-attr]
    assert abai.get("101")[0].ind1 == "1" and abai.first("101", "c") == "kaz"
    assert abai.first("200", "f") == "Мұхтар Әуезов"
    assert abai.first("200", "g") == "аударған Қайрат Ахметов"
    assert abai.first("702", "4") == "730"
    asterix = records[f"{CODE}-{ids[2]}"]
    assert asterix.first("995", "r") == "BD" and asterix.first("702", "4") == "440"
    assert asterix.first("100", "a")[17:20] == "d  "  # type: ignore[index]
    dvd = records[f"{CODE}-{ids[3]}"]
    assert dvd.leader[6:8] == "gm" and dvd.first("073", "a") == "3344428012342"
    assert dvd.first("995", "r") == "DVD" and not dvd.get("010")
    fle = records[f"{CODE}-{ids[4]}"]
    assert fle.first("686", "a") == "A1" and fle.first("686", "2") == "cecrl"
    assert fle.first("710", "a") == "Hachette FLE" and fle.first("995", "r") == "FLE"
    assert not records[f"{CODE}-{ids[5]}"].get("995")
    items = package.items.decode("utf-8-sig")
    assert "'=SUM(A1:A9)" not in items  # the note is not an items.csv column
    assert "Мұхтар" not in items or "Әуезов, Мұхтар" in items
    assert ",on_loan," in items and ",reference," in items and ",lost," in items


def test_no_personal_data_ever(database: Database, tmp_path: Path) -> None:
    make_catalogue(database)
    report = _export(database, tmp_path / "out", profile="koha")
    with zipfile.ZipFile(report.path) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
    for value in (*MEMBER_NAMES, "100100000018"):
        assert value.encode("utf-8") not in everything


@pytest.mark.parametrize("profile", ["koha", "pmb"])
def test_profiles_add_their_995_subfields(database: Database, tmp_path: Path,
                                          profile: str) -> None:
    ids = make_catalogue(database)
    package = open_package(_export(database, tmp_path / "out", profile=profile).path, tmp_path)
    assert package.manifest["marc"]["profile"] == profile  # type: ignore[index]
    records = _by_number(package.records)
    camus = records[f"{CODE}-{ids[0]}"].get("995")
    lost = records[f"{CODE}-{ids[3]}"].get("995")[0]
    if profile == "koha":
        assert camus[0].first("e") == "ADU" and camus[0].first("p") == "2500.00"
        assert camus[1].first("o") == "1" and lost.first("2") == "1"
        assert records[f"{CODE}-{ids[1]}"].first("995", "5") == "2025-03-01"
    else:
        assert camus[0].first("j") == "ADU" and camus[1].first("o") == "reference"
        assert lost.first("o") == "lost" and camus[0].first("p") is None
    allowed = set("bcfkru") | (set("e5po2") if profile == "koha" else set("jo"))
    for record in package.records:
        for holding in record.get("995"):
            assert {code for code, _v in holding.subfields} <= allowed


def test_a_delta_has_the_changes_and_the_deletions(database: Database, tmp_path: Path) -> None:
    ids = make_catalogue(database)
    later = NOW + timedelta(days=2)
    with database.write() as session:
        delete_record(session, LOCAL_ADMIN, ids[5], now=later)
        from mediatheque.catalogue.copies import CopyInput, add_copies
        add_copies(session, LOCAL_ADMIN, ids[3], CopyInput(barcode="100200000074"), 1,
                   now=later)
    with database.read() as session:
        report = export_fm21(session, LOCAL_ADMIN, tmp_path / "delta", now=later + timedelta(1),
                             since=NOW + timedelta(days=1))
    package = open_package(report.path, tmp_path)
    assert package.manifest["scope"] == "delta"
    assert package.manifest["since"] == "2026-11-22T09:30:00Z"
    assert package.manifest["counts"] == {"records": 1, "items": 2, "deleted": 1}
    changed, deleted = package.records
    assert changed.control("001") == f"{CODE}-{ids[3]}" and changed.leader[5] == "c"
    assert deleted.control("001") == f"{CODE}-{ids[5]}" and deleted.leader[5] == "d"


def test_export_needs_the_permission_and_a_code(database: Database, tmp_path: Path) -> None:
    with database.read() as session, pytest.raises(InvalidValue):
        export_fm21(session, LOCAL_ADMIN, tmp_path, now=NOW)
    make_catalogue(database)
    with database.read() as session:
        with pytest.raises(PermissionDenied):
            export_fm21(session, Actor("x", "nobody"), tmp_path, now=NOW)
        with pytest.raises(InvalidValue):
            export_fm21(session, LOCAL_ADMIN, tmp_path, now=NOW, profile="aleph")
    assert Actor("d", StaffRole.DIRECTOR).can  # directors may export (permissions.py)


def test_a_cancelled_export_leaves_nothing(database: Database, tmp_path: Path) -> None:
    make_catalogue(database)
    out = tmp_path / "out"
    with database.read() as session, pytest.raises(ExportCancelled):
        export_fm21(session, LOCAL_ADMIN, out, now=NOW, cancelled=lambda: True)
    assert list(out.iterdir()) == []


def test_batches_make_the_same_package_and_stopping_midway_leaves_nothing(
        database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mediatheque.exchange import export

    make_catalogue(database)
    whole = open_package(_export(database, tmp_path / "whole").path, tmp_path / "w")
    monkeypatch.setattr(export, "BATCH", 2)
    batched = _export(database, tmp_path / "batched")
    same = open_package(batched.path, tmp_path / "b")
    assert (same.mrc, same.xml, same.items) == (whole.mrc, whole.xml, whole.items)
    out = tmp_path / "stopped"
    assert _stopped_after_two_batches(database, out)[:3] == [0, 2, 4]
    assert list(out.iterdir()) == []


def _stopped_after_two_batches(database: Database, out: Path) -> list[int]:
    """Stop pressed once two batches are written: the progress reported until then."""
    seen: list[int] = []
    with database.read() as session, pytest.raises(ExportCancelled):
        export_fm21(session, LOCAL_ADMIN, out, now=NOW,
                    progress=lambda done, _total: seen.append(done),
                    cancelled=lambda: len(seen) > 2)
    return seen


def test_worker_processes_make_the_same_packages(
        database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large catalogue is read and formatted by worker processes, each on its own
    connection: the packages, full and delta, are those made in this process."""
    import multiprocessing

    from mediatheque.exchange import export

    ids = make_catalogue(database)
    with database.write() as session:
        delete_record(session, LOCAL_ADMIN, ids[-1], now=NOW + timedelta(days=2))
    since = NOW + timedelta(days=1)
    here = [open_package(_export(database, tmp_path / f"here{n}", **options).path,
                         tmp_path / f"h{n}") for n, options in enumerate([{}, {"since": since}])]
    monkeypatch.setattr(export, "PARALLEL_FROM", 0)
    monkeypatch.setattr(export, "BATCH", 2)
    workers: list[int] = []
    for number, options in enumerate([{}, {"since": since}]):
        report = _export(database, tmp_path / f"workers{number}", **options,
                         progress=lambda _d, _t: workers.append(
                             len(multiprocessing.active_children())))
        same = open_package(report.path, tmp_path / f"w{number}")
        expected = here[number]
        assert (same.mrc, same.xml, same.items) == (expected.mrc, expected.xml, expected.items)
        assert same.manifest["counts"] == expected.manifest["counts"]
        assert same.manifest["codes"] == expected.manifest["codes"]
    assert max(workers) >= 1  # the batches were really done elsewhere
    assert here[1].manifest["counts"]["deleted"] == 1


def test_stopping_an_export_done_by_workers_leaves_nothing(
        database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    from mediatheque.exchange import export

    make_catalogue(database)
    monkeypatch.setattr(export, "PARALLEL_FROM", 0)
    monkeypatch.setattr(export, "BATCH", 1)
    out = tmp_path / "stopped"
    assert _stopped_after_two_batches(database, out)[:3] == [0, 1, 2]
    assert list(out.iterdir()) == []
    assert multiprocessing.active_children() == []


def test_the_label_and_100_are_written_byte_by_byte() -> None:
    assert leader("n", "book") == "00000nam0 22000001i 450 "
    assert leader("d", "dvd")[5:8] == "dgm"
    assert len(leader("c", "game")) == 24
    assert field_100(NOW.date(), None, "unknown", "Title") == \
        "20261121d        u  y0frey50      ba"
    record = MarcRecord(leader("n", "book"), (
        MarcField("001", data="X-1"),
        MarcField("200", ind1="1", subfields=(("a", "Ça\x07 va"),)),
    ))
    data = to_iso2709(record)
    assert data == (b"00065nam0 22000491i 450 " b"001000400000" b"200001100004" b"\x1e"
                    b"X-1\x1e" b"1 \x1fa" + "Ça va".encode() + b"\x1e\x1d")


def test_delimiters_and_markup_inside_values_are_cleaned_or_escaped() -> None:
    from mediatheque.exchange.marc import parse_iso2709, write_record

    fields = [("001", None, None, "X-\x1e2"),
              ("200", "1", " ", (("a", "Tom\x1f & <Jerry>"), ("e", 'dit "bonjour"\x1d'))),
              ("300", " ", " ", (("a", "Ça\tva\n"),))]
    iso, xml = write_record("00000nam0 22000001i 450 ", fields)
    assert iso is not None
    assert iso.count(b"\x1f") == 3 and iso.count(b"\x1e") == 4 and iso.count(b"\x1d") == 1
    record = parse_iso2709(iso, bytes.decode)
    assert record.control("001") == "X-2"
    assert record.get("200")[0].subfields == (("a", "Tom & <Jerry>"), ("e", 'dit "bonjour"'))
    assert record.first("300", "a") == "Ça\tva\n"
    assert '<subfield code="a">Tom &amp; &lt;Jerry&gt;</subfield>' in xml
    assert "dit &quot;bonjour&quot;" in xml and "X-2</controlfield>" in xml


def test_formula_guard() -> None:
    assert guard_cell("=1+1") == "'=1+1" and guard_cell("-x") == "'-x"
    assert guard_cell("@A") == "'@A" and guard_cell("+7") == "'+7"
    assert guard_cell("843 HUG") == "843 HUG" and guard_cell("") == ""


def test_an_oversize_record_goes_to_marcxml_only(database: Database, tmp_path: Path) -> None:
    from mediatheque.catalogue.records import RecordInput, create_record
    from mediatheque.exchange.importing import import_incoming
    from mediatheque.exchange.package import open_incoming

    ids = make_catalogue(database)
    with database.write() as session:
        big = create_record(session, LOCAL_ADMIN, RecordInput(
            title="Encyclopédie", summary="Résumé très long. " * 6000), now=NOW)
    report = _export(database, tmp_path / "out")
    number = f"{CODE}-{big}"
    assert report.oversize == (number,) and report.records == len(ids) + 1
    with zipfile.ZipFile(report.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["oversize"] == [number]
        assert number.encode() not in archive.read("records.mrc")
        assert number.encode() in archive.read("records.xml")
    incoming = open_incoming(report.path)
    assert number in {r.control_number for r in incoming.records}
    with database.read() as session:  # the library's own package: everything matched
        result = import_incoming(session, LOCAL_ADMIN, incoming, dry_run=True, now=NOW)
    assert (result.records_new, result.records_matched) == (0, len(ids) + 1)

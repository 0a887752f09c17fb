"""A small catalogue with everything FM21 writes (translations, Cyrillic, a comic, a DVD
with its EAN, an FLE method with its CEFR level, subjects, keywords, notes), members and
loans beside it, and the independent checks every exported package must pass."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from mediatheque.catalogue.copies import CopyInput, add_copies
from mediatheque.catalogue.metadata import Person
from mediatheque.catalogue.records import RecordInput, create_record
from mediatheque.db import Database
from mediatheque.exchange.marc import MarcRecord
from mediatheque.exchange.reading import read_iso2709, read_marcxml
from mediatheque.library import initialise_library
from mediatheque.models import Loan, Member, MemberCategory
from mediatheque.models.vocabulary import ContributorRole, CopyStatus, MediaType
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.settings import LibrarySettings
from tests.conftest import NOW

CODE = "KZ-ALA-AF"
MEMBER_NAMES = ("Айгерім", "Сәрсенова", "aigerim@example.kz", "+7 701 555 12 34")
RELATORS = {"070", "730", "440", "340", "080", "000"}

RECORDS = [
    (RecordInput(
        title="L'Étranger", contributors=(Person("Camus", "Albert", "1913-1960"),),
        publisher="Gallimard", place="Paris", year=1942, isbn="978-2-07-036002-4",
        languages=("fre",), country="FR", audience="adults", dewey="843.914",
        series="Folio", series_number="2", extent="186 p.", dimensions="18 cm",
        subjects=("Littérature française -- 20e siècle",), keywords=("absurde",),
        summary="Meursault…", note="Édition de poche"),
     [CopyInput(barcode="100200000017", location_code="ADU", price=Decimal("2500")),
      CopyInput(barcode="100200000025", status=CopyStatus.REFERENCE,
                public_note="=SUM(A1:A9)")]),
    (RecordInput(
        title="Абай жолы", subtitle="роман-эпопея",
        contributors=(Person("Әуезов", "Мұхтар"), Person("Ахметов", "Қайрат",
                                                         role=ContributorRole.TRANSLATOR)),
        responsibility="Мұхтар Әуезов ; аударған Қайрат Ахметов",
        year=2019, languages=("rus",), original_language="kaz", country="KZ",
        audience="adults"),
     [CopyInput(barcode="100200000033", location_code="ADU", acquired_on=date(2025, 3, 1))]),
    (RecordInput(title="Astérix le Gaulois", media_type=MediaType.COMIC,
                 contributors=(Person("Goscinny", "René"), Person("Uderzo", "Albert",
                                                                  role="440")),
                 year=1961, languages=("fre",), audience="ages_9_14", part_number="1"),
     [CopyInput(barcode="100200000041", location_code="JEU")]),
    (RecordInput(title="Amélie", media_type=MediaType.DVD, ean="3344428012342",
                 year=2001, languages=("fre",)),
     [CopyInput(barcode="100200000058", status=CopyStatus.LOST)]),
    (RecordInput(title="Alter ego + A1", media_type=MediaType.FLE_METHOD, cefr_level="A1",
                 contributors=(Person("Hachette FLE", is_corporate=True),),
                 year=2012, languages=("fre",), accompanying_material="1 CD audio"),
     [CopyInput(barcode="100200000066", location_code="FLE")]),
    (RecordInput(title="Sans exemplaire", year=2020), []),
]


def make_catalogue(database: Database) -> list[int]:
    """The records above, and a member with a loan (personal data that must stay home)."""
    ids = []
    with database.write() as session:
        initialise_library(session, LibrarySettings(
            name="Alliance Française d'Almaty", code=CODE, city="Almaty", country="KZ"))
        for data, copies in RECORDS:
            record_id = create_record(session, LOCAL_ADMIN, data, now=NOW)
            for copy in copies:
                add_copies(session, LOCAL_ADMIN, record_id, copy, 1, now=NOW)
            ids.append(record_id)
        category = session.query(MemberCategory).first()
        assert category is not None
        first, last, email, phone = MEMBER_NAMES
        member = Member(barcode="100100000018", first_name=first, last_name=last, email=email,
                        phone=phone, category_id=category.id,
                        membership_start=date(2026, 1, 1), membership_expiry=date(2027, 1, 1),
                        created_at=NOW, updated_at=NOW)
        session.add(member)
        session.flush()
        from mediatheque.models import Copy
        copy_id = session.query(Copy.id).filter(Copy.barcode == "100200000033").scalar()
        session.add(Loan(copy_id=copy_id, member_id=member.id, media_type="book",
                         loaned_at=NOW - timedelta(days=3), due_on=date(2026, 12, 12),
                         recorded_at=NOW, returned_at=None, renewals=0))
    return ids


@dataclass
class Package:
    manifest: dict[str, object]
    mrc: bytes
    xml: bytes
    items: bytes
    records: list[MarcRecord]


def _require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is missing (.ci/run installs it)")
        pytest.skip(f"{name} is not installed (apt-get install yaz libxml2-utils)")
    return path


def check_with_tools(folder: Path) -> None:
    """yaz-marcdump -n: any output or a non-zero exit is a failure; xmllint --noout."""
    yaz = _require_tool("yaz-marcdump")
    result = subprocess.run([yaz, "-n", str(folder / "records.mrc")], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0 and result.stdout == "", result.stdout
    xmllint = _require_tool("xmllint")
    result = subprocess.run([xmllint, "--noout", str(folder / "records.xml")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and not result.stdout and not result.stderr, result.stderr


def open_package(path: Path, tmp_path: Path) -> Package:
    """Unzips, runs the tools and checks everything FM21.md §1–4 says, field by field."""
    folder = tmp_path / ("unzipped-" + path.stem)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == sorted(
            ["manifest.json", "records.mrc", "records.xml", "items.csv"])
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist())
        archive.extractall(folder)
    check_with_tools(folder)
    package = Package(json.loads((folder / "manifest.json").read_text("utf-8")),
                      (folder / "records.mrc").read_bytes(),
                      (folder / "records.xml").read_bytes(),
                      (folder / "items.csv").read_bytes(), [])
    items = list(read_iso2709(package.mrc))
    package.records = [r.record for r in items]  # type: ignore[union-attr]
    check_records(package)
    return package


def check_records(package: Package) -> None:
    import hashlib

    manifest = package.manifest
    assert manifest["format"] == "fm21" and manifest["version"] == "1.0"
    files = manifest["files"]
    assert isinstance(files, dict)
    for name, data in (("records.mrc", package.mrc), ("records.xml", package.xml),
                       ("items.csv", package.items)):
        assert files[name] == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    # ISO 2709 bytes, read without pymarc: the label and 0x1D with no newline.
    assert package.mrc.endswith(b"\x1d") and b"\x1d\n" not in package.mrc
    numbers: list[str] = []
    barcodes: list[str] = []
    offset = 0
    for record in package.records:
        raw_leader = package.mrc[offset:offset + 24].decode("ascii")
        length = int(raw_leader[:5])
        assert package.mrc[offset + length - 1:offset + length] == b"\x1d"
        offset += length
        assert raw_leader[9] == " " and raw_leader[10:12] == "22"
        assert raw_leader[20:24] == "450 " and raw_leader[8] == "0"
        assert raw_leader[17:19] == "1i" and raw_leader[5] in "ncd"
        tags = [field.tag for field in record.fields]
        assert tags == sorted(tags)
        number = record.control("001")
        assert number and number.startswith(CODE + "-")
        numbers.append(number)
        assert len(record.control("005") or "") == 16
        if raw_leader[5] == "d":
            continue
        coded = record.first("100", "a") or ""
        assert len(coded) == 36 and coded[26:28] == "50" and coded[8] == "d"
        assert coded[34:36] in ("ba", "ca")
        assert record.first("200", "a") and record.get("200")[0].ind1 == "1"
        origin = record.get("801")
        assert origin and origin[0].ind2 == "0" and origin[0].first("b") == CODE
        for field in record.fields:
            if field.tag[:2] == "70" or field.tag[:2] == "71":
                assert field.first("4") in RELATORS
        for tag in ("090", "099", "942"):
            assert not record.get(tag)
        for holding in record.get("995"):
            for code in "bcfr":
                assert holding.first(code), (code, holding)
            assert holding.first("b") == CODE and not holding.first("9")
            barcodes.append(holding.first("f") or "")
    assert len(numbers) == len(set(numbers))
    assert len(barcodes) == len(set(barcodes))
    # MARCXML: the same records in the same order.
    assert package.xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert b'<collection xmlns="http://www.loc.gov/MARC21/slim">' in package.xml
    from xml.etree import ElementTree
    root = ElementTree.fromstring(package.xml)
    from_xml = [r.record for r in read_marcxml(root)]  # type: ignore[union-attr]
    assert [r.fields for r in from_xml] == [r.fields for r in package.records]
    # items.csv: BOM, CRLF, header, one row per 995.
    assert package.items.startswith(b"\xef\xbb\xbf")
    text = package.items.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["barcode", "record_id", "isbn", "title", "authors", "year",
                       "call_number", "location", "item_type", "status", "acquired_on",
                       "price"]
    assert sorted(r[0] for r in rows[1:]) == sorted(barcodes)
    for row in rows[1:]:
        assert all(not cell or cell[0] not in "=+-@" for cell in row)
    counts = manifest["counts"]
    assert isinstance(counts, dict)
    assert counts["items"] == len(rows) - 1
    assert counts["records"] + counts["deleted"] == len(package.records)

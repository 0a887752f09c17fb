"""Opening a file to import: an FM21 package checked as FM21.md §1–2 demands (safe entry
names, sizes and ratios, required entries, manifest version, checksums, counts), or a
bare MARC file (ISO 2709 or XML). Everything is checked before anything is written."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from mediatheque.errors import BadPackage, ChecksumMismatch, UnreadableMarc, UnsafePath
from mediatheque.exchange.export import ITEM_COLUMNS
from mediatheque.exchange.mapping import IncomingRecord, incoming_record
from mediatheque.exchange.marc import split_iso2709
from mediatheque.exchange.reading import (
    UTF8,
    ReadIssue,
    ReadRecord,
    looks_like_iso2709,
    looks_like_xml,
    marc_elements,
    read_iso2709,
    read_marcxml,
)

REQUIRED = ("manifest.json", "records.mrc", "records.xml", "items.csv")
MAX_ENTRIES = 16
MAX_ENTRY_BYTES = 2 * 1024 ** 3
MAX_RATIO = 200
PERSONAL = re.compile(r"member|borrow|patron|reader|lecteur|adh[eé]rent|e-?mail|phone|"
                      r"t[eé]l[eé]phone|address|adresse|birth|naissance|loan|pr[eê]t",
                      re.IGNORECASE)
FM21, ISO2709, MARCXML = "fm21", "iso2709", "marcxml"


@dataclass(frozen=True, slots=True)
class ItemDetails:
    """What items.csv adds to a 995 (FM21.md §4)."""

    location: str | None
    status: str | None
    acquired_on: str | None
    price: str | None


Source = Callable[[], Iterator[ReadRecord | ReadIssue]]


@dataclass
class IncomingFile:
    """A file opened and checked, ready for a dry run or an import. Its records are read
    on demand (`stream`), so that a large file never sits in memory as objects; `records`,
    `rejected`, `flavours` and `legacy_charset` read the whole file once when asked."""

    name: str
    kind: str  # fm21, iso2709 or marcxml
    manifest: dict[str, Any] = field(default_factory=dict)
    items: dict[str, ItemDetails] = field(default_factory=dict)
    reference: bool = False
    expected: int = 0  # records in the file, as far as a quick look can tell
    sources: list[tuple[Source, frozenset[str] | None]] = field(default_factory=list)
    _scan: tuple[list[IncomingRecord], list[ReadIssue], dict[str, int], list[int]] | None = \
        None

    @property
    def library_code(self) -> str | None:
        library = self.manifest.get("library")
        code = library.get("code") if isinstance(library, dict) else None
        return code if isinstance(code, str) and code else None

    @property
    def library_name(self) -> str | None:
        library = self.manifest.get("library")
        name = library.get("name") if isinstance(library, dict) else None
        return name if isinstance(name, str) and name else None

    @property
    def scope(self) -> str:
        return str(self.manifest.get("scope") or "full")

    def stream(self, flavours: dict[str, int] | None = None,
               legacy: list[int] | None = None) -> Iterator[IncomingRecord | ReadIssue]:
        """Every record (mapped) and every unreadable one (its issue), in file order;
        `flavours` and `legacy` are filled on the way."""
        source = {FM21: "fm21", ISO2709: "iso2709"}.get(self.kind, "marcxml")
        for read, only in self.sources:
            for item in read():
                if isinstance(item, ReadIssue):
                    if only is None:
                        yield item
                    continue
                mapped = incoming_record(item, source, keep_metadata=self.reference)
                if only is not None and mapped.control_number not in only:
                    continue
                if flavours is not None:
                    flavours[item.flavour] = flavours.get(item.flavour, 0) + 1
                if legacy is not None and item.charset != UTF8:
                    legacy.append(item.position)
                yield mapped

    def _scanned(self) -> tuple[list[IncomingRecord], list[ReadIssue], dict[str, int],
                                list[int]]:
        if self._scan is None:
            flavours: dict[str, int] = {}
            legacy: list[int] = []
            records: list[IncomingRecord] = []
            issues: list[ReadIssue] = []
            for item in self.stream(flavours, legacy):
                if isinstance(item, ReadIssue):
                    issues.append(item)
                else:
                    records.append(item)
            self._scan = (records, issues, flavours, legacy)
        return self._scan

    @property
    def records(self) -> list[IncomingRecord]:
        return self._scanned()[0]

    @property
    def rejected(self) -> list[ReadIssue]:
        return self._scanned()[1]

    @property
    def flavours(self) -> dict[str, int]:
        return self._scanned()[2]

    @property
    def legacy_charset(self) -> list[int]:
        return self._scanned()[3]

    @property
    def total(self) -> int:
        return len(self.records) + len(self.rejected)


def open_incoming(path: Path, *, reference: bool = False) -> IncomingFile:
    """Opens and checks the file; raises UnreadableMarc, BadPackage, UnsafePath or
    ChecksumMismatch for a file that cannot be imported at all. `reference`: keep what a
    reference catalogue stores (BookMetadata) with each record."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except FileNotFoundError as error:
        raise UnreadableMarc(name, "missing") from error
    except IsADirectoryError as error:
        raise UnreadableMarc(name, "not_marc") from error
    if head.startswith(b"PK"):
        return _open_package(path, reference)
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableMarc(name, "empty")
    if looks_like_xml(data):
        try:
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError as error:
            raise UnreadableMarc(name, "bad_xml", str(error)[:200]) from error
        if next(marc_elements(root), None) is None:
            raise UnreadableMarc(name, "not_marc")
        return IncomingFile(name=name, kind=MARCXML, reference=reference,
                            expected=sum(1 for _element in marc_elements(root)),
                            sources=[(lambda: read_marcxml(root), None)])
    if not looks_like_iso2709(data):
        raise UnreadableMarc(name, "not_marc")
    return IncomingFile(name=name, kind=ISO2709, reference=reference,
                        expected=sum(1 for _raw in split_iso2709(data)),
                        sources=[(lambda: read_iso2709(data), None)])


def _safe(entry: str) -> bool:
    return not (not entry or "/" in entry or "\\" in entry or ".." in entry
                or entry.startswith(("/", "~")) or ":" in entry or "\x00" in entry)


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, *,
                keep: bool = True) -> tuple[bytes, str, int]:
    """(bytes, SHA-256, size) of the entry, hashed while inflating; the bytes only when
    `keep`. Refuses to inflate more than the header declares (a lying header is how a ZIP
    bomb hides)."""
    limit = min(MAX_ENTRY_BYTES, info.file_size)
    chunks: list[bytes] = []
    digest = hashlib.sha256()
    size = 0
    with archive.open(info) as handle:
        while True:
            chunk = handle.read(1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise BadPackage(name, "too_large", info.filename)
            digest.update(chunk)
            if keep:
                chunks.append(chunk)
    return b"".join(chunks), digest.hexdigest(), size


def _check_entries(archive: zipfile.ZipFile, name: str) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    for info in infos:
        if not _safe(info.filename):
            raise UnsafePath(name, info.filename)
    if len(infos) > MAX_ENTRIES:
        raise BadPackage(name, "too_many_entries", str(len(infos)))
    for info in infos:
        if info.file_size > MAX_ENTRY_BYTES or (
                info.file_size > 1024 * 1024
                and info.file_size > MAX_RATIO * max(1, info.compress_size)):
            raise BadPackage(name, "too_large", info.filename)
    entries = {info.filename: info for info in infos}
    for required in REQUIRED:
        if required not in entries:
            raise BadPackage(name, "missing_entry", required)
    return entries


def _manifest(data: bytes, name: str) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BadPackage(name, "bad_manifest") from error
    if not isinstance(manifest, dict) or manifest.get("format") != "fm21":
        raise BadPackage(name, "not_fm21")
    version = str(manifest.get("version", ""))
    if not re.fullmatch(r"\d+\.\d+", version) or version.split(".", maxsplit=1)[0] != "1":
        raise BadPackage(name, "unsupported_version", version[:20])
    if not isinstance(manifest.get("files"), dict) or not isinstance(
            manifest.get("counts"), dict):
        raise BadPackage(name, "bad_manifest")
    return manifest


def _items(data: bytes, name: str) -> tuple[dict[str, ItemDetails], int]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadPackage(name, "bad_items") from error
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    for column in header:
        if column not in ITEM_COLUMNS and PERSONAL.search(column):
            raise BadPackage(name, "personal_data", column[:40])
    index = {column: i for i, column in enumerate(header)}
    if "barcode" not in index:
        raise BadPackage(name, "bad_items")

    def cell(row: list[str], column: str) -> str | None:
        at = index.get(column)
        value = row[at].strip() if at is not None and at < len(row) else ""
        return value.removeprefix("'") or None

    items: dict[str, ItemDetails] = {}
    rows = 0
    for row in reader:
        if not any(row):
            continue
        rows += 1
        barcode = cell(row, "barcode")
        if barcode:
            items[barcode] = ItemDetails(cell(row, "location"), cell(row, "status"),
                                         cell(row, "acquired_on"), cell(row, "price"))
    return items, rows


def _open_package(path: Path, reference: bool) -> IncomingFile:
    name = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise BadPackage(name, "not_a_zip") from error
    with archive:
        entries = _check_entries(archive, name)
        manifest = _manifest(_read_entry(archive, entries["manifest.json"], name)[0], name)
        oversize = manifest.get("oversize")
        wanted = {str(n) for n in oversize} if isinstance(oversize, list) else set()
        contents: dict[str, bytes] = {}
        for entry in REQUIRED[1:]:
            declared = manifest["files"].get(entry)
            if not isinstance(declared, dict):
                raise BadPackage(name, "bad_manifest", entry)
            # The MARCXML copy is only checked, unless records too long for ISO 2709 are there.
            keep = entry != "records.xml" or bool(wanted)
            try:
                data, digest, size = _read_entry(archive, entries[entry], name, keep=keep)
            except zipfile.BadZipFile as error:  # CRC error: the bytes were changed
                raise ChecksumMismatch(name, entry) from error
            if digest != declared.get("sha256") or size != declared.get("bytes"):
                raise ChecksumMismatch(name, entry)
            contents[entry] = data
    records = contents.pop("records.mrc")
    sources: list[tuple[Source, frozenset[str] | None]] = [
        (lambda: read_iso2709(records), None)]
    if wanted:
        xml_root = _parse_xml(contents.pop("records.xml"), name)
        sources.append((lambda: read_marcxml(xml_root), frozenset(wanted)))
    items, item_rows = _items(contents.pop("items.csv"), name)
    incoming = IncomingFile(name=name, kind=FM21, manifest=manifest, items=items,
                            reference=reference, sources=sources)
    counts = manifest["counts"]
    pieces = deleted = 0
    for raw in split_iso2709(records):
        pieces += 1
        deleted += raw.data[5:6] == b"d"
    declared_counts = (counts.get("records"), counts.get("items"), counts.get("deleted", 0))
    actual = (pieces - deleted + len(wanted), item_rows, deleted)
    if declared_counts != actual:
        raise BadPackage(name, "counts", "manifest {}/{}/{}, package {}/{}/{}".format(
            *declared_counts, *actual))
    incoming.expected = pieces + len(wanted)
    return incoming


def _parse_xml(data: bytes, name: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise BadPackage(name, "bad_records", "records.xml") from error

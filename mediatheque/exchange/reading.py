"""Reading MARC that came from anywhere (FM21.md §5): ISO 2709 or MARC XML (plain MARCXML,
MarcXchange, a BnF SRU response), UNIMARC or MARC21 told apart by content, strict UTF-8
first and the declared legacy set only when that fails. A record that cannot be read is
reported with its position and a reason, and the reading goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from xml.etree import ElementTree

from pymarc.marc8 import marc8_to_unicode

from mediatheque.exchange.iso5426 import decode_iso5426
from mediatheque.exchange.marc import (
    RECORD_END,
    BrokenRecord,
    MarcField,
    MarcRecord,
    RawRecord,
    parse_iso2709,
    split_iso2709,
)
from mediatheque.frozen import quick_init

UNIMARC, MARC21 = "UNIMARC", "MARC21"
UTF8, ISO5426, MARC8, LATIN1 = "UTF-8", "ISO 5426", "MARC-8", "ISO 8859-1"
# What split_iso2709 skips between records (a piece of only these is no record).
_BLANKS, _LEADING = b" \r\n\t\x00\x1a", b" \r\n\t\x00"


@quick_init
@dataclass(frozen=True)
class ReadRecord:
    position: int
    record: MarcRecord
    flavour: str
    charset: str  # how the bytes were decoded (UTF-8 unless a legacy set was needed)


@dataclass(frozen=True)
class ReadIssue:
    position: int
    reason: str
    detail: str = ""


def flavour_of(record: MarcRecord) -> str:
    """UNIMARC or MARC21 from the content: title in 200 or 245, a 36-character coded 100$a,
    a MARC21 008; leader/09 `a` only as a last hint."""
    tags = {field.tag for field in record.fields}
    if "200" in tags and "245" not in tags:
        return UNIMARC
    if "245" in tags and "200" not in tags:
        return MARC21
    coded = record.first("100", "a") or ""
    if len(coded) >= 26 and coded[:8].isdigit():
        return UNIMARC
    if "008" in tags or record.leader[9:10] == "a":
        return MARC21
    return UNIMARC


def _marc8(data: bytes) -> str:
    try:
        return str(marc8_to_unicode(data, hide_utf8_warnings=True))
    except Exception:
        return data.decode("latin-1")


_latin1 = partial(bytes.decode, encoding="latin-1")


def _legacy_set(record: MarcRecord) -> str:
    """The set a record declares: 100$a/26-27 in UNIMARC, MARC-8 for MARC21."""
    if flavour_of(record) == MARC21:
        return MARC8
    coded = record.first("100", "a") or ""
    return ISO5426 if coded[26:28] in ("01", "03") else LATIN1


_DECODERS: dict[str, Callable[[bytes], str]] = {
    ISO5426: decode_iso5426, MARC8: _marc8, LATIN1: _latin1}


def split_iso2709_chunks(chunks: Iterable[bytes]) -> Iterator[RawRecord]:
    """`split_iso2709` over a file read piece by piece (a large package is never held in
    memory whole): the same records, at the same positions."""
    position = 0
    pending = b""
    for chunk in chunks:
        data = pending + chunk if pending else chunk
        start = 0
        while True:
            end = data.find(RECORD_END, start)
            if end < 0:
                break
            piece = data[start:end + 1]
            start = end + 1
            if piece.strip(_BLANKS):
                position += 1
                yield RawRecord(position, piece.lstrip(_LEADING))
        pending = data[start:]
    if pending.strip(_BLANKS):
        yield RawRecord(position + 1, pending.lstrip(_LEADING))


def read_iso2709(data: bytes | Iterable[RawRecord]) -> Iterator[ReadRecord | ReadIssue]:
    """Every record of the file (its bytes, or its records as `split_iso2709` cuts them)."""
    pieces = split_iso2709(data) if isinstance(data, bytes) else data
    for raw in pieces:
        try:
            try:
                record, charset = parse_iso2709(raw.data, bytes.decode), UTF8
            except UnicodeDecodeError:
                charset = _legacy_set(parse_iso2709(raw.data, _latin1))
                record = parse_iso2709(raw.data, _DECODERS[charset])
        except BrokenRecord as broken:
            yield ReadIssue(raw.position, broken.reason)
            continue
        yield _checked(raw.position, record, charset)


def _checked(position: int, record: MarcRecord, charset: str) -> ReadRecord | ReadIssue:
    if not record.fields:
        return ReadIssue(position, "empty_record")
    return ReadRecord(position, record, flavour_of(record), charset)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _from_element(element: ElementTree.Element) -> MarcRecord:
    leader = ""
    fields: list[MarcField] = []
    for child in element:
        name = _local(child.tag)
        if name == "leader":
            leader = child.text or ""
        elif name == "controlfield":
            fields.append(MarcField(child.get("tag", ""), data=child.text or ""))
        elif name == "datafield":
            subfields = tuple((sub.get("code", ""), sub.text or "") for sub in child
                              if _local(sub.tag) == "subfield")
            fields.append(MarcField(child.get("tag", ""), ind1=child.get("ind1", " "),
                                    ind2=child.get("ind2", " "), subfields=subfields))
    return MarcRecord(leader.ljust(24)[:24], tuple(fields))


def marc_elements(root: ElementTree.Element) -> Iterator[ElementTree.Element]:
    """Every element named `record` that holds a leader or fields (MARCXML, MarcXchange,
    or records wrapped in an SRU envelope)."""
    for element in root.iter():
        if _local(element.tag) != "record":
            continue
        names = {_local(child.tag) for child in element}
        if names & {"leader", "controlfield", "datafield"}:
            yield element


def read_marcxml(root: ElementTree.Element) -> Iterator[ReadRecord | ReadIssue]:
    for position, element in enumerate(marc_elements(root), start=1):
        yield _checked(position, _from_element(element), UTF8)


def looks_like_xml(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


def looks_like_iso2709(data: bytes) -> bool:
    head = data[:24]
    return (len(data) >= 26 and b"\x1e" in data[:100_000] and b"\x1d" in data[:100_000]
            and head[10:12].isdigit() and head[20:22].isdigit())

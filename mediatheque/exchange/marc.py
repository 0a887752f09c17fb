"""MARC records as plain values, and their two serialisations, written byte by byte.

pymarc imposes MARC21 habits on the record label (leader/09 `a`, `4500`), so FM21 records
are written here directly: ISO 2709 with the exact UNIMARC label (FM21.md §3.1, §3.4) and
MARCXML with the same content. Reading (`parse_iso2709`) is tolerant of the dirt of real
files (FM21.md §5): a label without length or base address, trailing bytes, a record that
does not decode as UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

FIELD_END = b"\x1e"
RECORD_END = b"\x1d"
SUBFIELD = b"\x1f"
MAX_ISO_LENGTH = 99_999
MARCXML_NS = "http://www.loc.gov/MARC21/slim"
# Control characters other than tab, LF and CR are removed from every value (§3.2); the
# ISO 2709 delimiters 0x1D-0x1F are among them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Turns the bytes of one value into text (in the record's set: UTF-8, ISO 5426, …).
DecodeFn = Callable[[bytes], str]


def clean_value(text: str) -> str:
    return _CONTROL.sub("", text)


_new_field = tuple.__new__


class MarcField(NamedTuple):
    """A control field (tag < 010: `data`) or a data field (indicators and subfields).
    A tuple rather than a frozen dataclass: an import makes millions of them, and a
    frozen dataclass costs a setattr call per attribute."""

    tag: str
    data: str | None = None
    ind1: str = " "
    ind2: str = " "
    subfields: tuple[tuple[str, str], ...] = ()

    @property
    def is_control(self) -> bool:
        return self.data is not None

    def values(self, code: str) -> list[str]:
        return [value for sub, value in self.subfields if sub == code]

    def first(self, code: str) -> str | None:
        found = self.values(code)
        return found[0] if found else None


@dataclass(frozen=True)
class MarcRecord:
    leader: str
    fields: tuple[MarcField, ...]

    def get(self, tag: str) -> list[MarcField]:
        return [field for field in self.fields if field.tag == tag]

    def control(self, tag: str) -> str | None:
        for field in self.fields:
            if field.tag == tag and field.data is not None:
                return field.data
        return None

    def first(self, tag: str, code: str) -> str | None:
        for field in self.get(tag):
            value = field.first(code)
            if value is not None:
                return value
        return None


# A field as the writers take it: (tag, None, None, data) for a control field,
# (tag, ind1, ind2, ((code, value), ...)) for a data field. Plain tuples, because the
# export writes hundreds of thousands of them.
RawField = tuple[str, str | None, str | None, "str | Sequence[tuple[str, str]]"]
# What a value may not hold as it is: control characters (removed) and the characters
# MARCXML escapes (0x1E, 0x1F: counted apart). Almost no record has any, so a record
# is checked once, whole.
_NEEDS_CARE_BETWEEN = re.compile(r'[\x00-\x08\x0b\x0c\x0e-\x1d\x7f&<>"]')
_SUB = "\x1f"
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _xml(text: str) -> str:
    return clean_value(text).translate(_ESCAPES)


def raw_fields(record: MarcRecord) -> list[RawField]:
    return [(f.tag[:3].rjust(3, "0"), None, None, f.data) if f.data is not None
            else (f.tag[:3].rjust(3, "0"), (f.ind1 or " ")[:1], (f.ind2 or " ")[:1],
                  f.subfields)
            for f in record.fields]


def _transformed(fields: Sequence[RawField], change: Callable[[str], str]) -> list[RawField]:
    return [(tag, ind1, ind2, change(content) if isinstance(content, str) else
             tuple((code, change(value)) for code, value in content))
            for tag, ind1, ind2, content in fields]


def _bodies(fields: Sequence[RawField]) -> list[str]:
    return [content + "\x1e" if isinstance(content, str) else
            f"{ind1}{ind2}{''.join([_SUB + code + value for code, value in content])}\x1e"
            for _tag, ind1, ind2, content in fields]


def _iso2709(leader: str, fields: Sequence[RawField], bodies: list[str],
             ascii_only: bool) -> bytes | None:
    encoded = [body.encode() for body in bodies] if not ascii_only else None
    sizes = [len(body) for body in (encoded or bodies)]
    if sizes and max(sizes) > 9999:
        return None
    directory = []
    offset = 0
    for (tag, *_rest), size in zip(fields, sizes, strict=True):
        directory.append(f"{tag}{size:04d}{offset:05d}")
        offset += size
    base = 24 + 12 * len(fields) + 1
    length = base + offset + 1
    if length > MAX_ISO_LENGTH:
        return None
    head = f"{length:05d}{leader[5:12]}{base:05d}{leader[17:24]}{''.join(directory)}\x1e"
    if encoded is None:
        return f"{head}{''.join(bodies)}\x1d".encode()
    return head.encode() + b"".join(encoded) + RECORD_END


def _marcxml(leader: str, fields: Sequence[RawField]) -> str:
    lines = ["<record>", f"<leader>{leader}</leader>"]
    for tag, ind1, ind2, content in fields:
        if isinstance(content, str):
            lines.append(f'<controlfield tag="{tag}">{content}</controlfield>')
            continue
        lines.append(f'<datafield tag="{tag}" ind1="{ind1}" ind2="{ind2}">')
        lines += [f'<subfield code="{code}">{value}</subfield>' for code, value in content]
        lines.append("</datafield>")
    lines.append("</record>\n")
    return "\n".join(lines)


def write_record(leader: str, fields: Sequence[RawField]) -> tuple[bytes | None, str]:
    """The record in ISO 2709 (UTF-8) and as one MARCXML `<record>` element (no namespace
    prefix: the collection declares it), from the same values: control characters removed
    (FM21.md §3.2). The label's length and base address are computed, every other label
    position is written as given. ISO 2709 is None beyond 99,999 bytes or for a field
    beyond 9,999 (FM21.md §3.4: such a record goes into MARCXML only). Tags and
    indicators are trusted (three characters, one character)."""
    label = leader.ljust(24)[:24]
    bodies = _bodies(fields)
    text = "".join(bodies)
    # Checked on the formatted record: what needs care besides the delimiters written
    # here, and no delimiter inside a value (then the counts would not match).
    subfields = sum([len(c) for _t, _i1, _i2, c in fields if not isinstance(c, str)])
    if _NEEDS_CARE_BETWEEN.search(text) or text.count("\x1f") != subfields \
            or text.count("\x1e") != len(fields):
        clean = _transformed(fields, clean_value)
        return (_iso2709(label, clean, _bodies(clean), False),
                _marcxml(label, _transformed(fields, _xml)))
    return _iso2709(label, fields, bodies, text.isascii()), _marcxml(label, fields)


def write_records(records: Sequence[tuple[str, Sequence[RawField]]]
                  ) -> tuple[bytes, bytes, tuple[int, ...]]:
    """A batch through `write_record`: the ISO 2709 records joined, the MARCXML records
    joined (UTF-8), and the positions in the batch of the records too long for ISO 2709
    (those are in the MARCXML only). Made to run in a worker process: plain values in,
    bytes out."""
    iso_parts: list[bytes] = []
    xml_parts: list[str] = []
    oversize: list[int] = []
    for position, (label, fields) in enumerate(records):
        iso, xml = write_record(label, fields)
        if iso is None:
            oversize.append(position)
        else:
            iso_parts.append(iso)
        xml_parts.append(xml)
    return b"".join(iso_parts), "".join(xml_parts).encode("utf-8"), tuple(oversize)


def to_iso2709(record: MarcRecord) -> bytes:
    """The record in ISO 2709 (see write_record). Raises ValueError beyond 99,999 bytes."""
    data, _xml_text = write_record(record.leader, raw_fields(record))
    if data is None:
        raise ValueError("record too long for ISO 2709")
    return data


def to_marcxml(record: MarcRecord) -> str:
    """One `<record>` element (see write_record)."""
    return write_record(record.leader, raw_fields(record))[1]


MARCXML_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="{MARCXML_NS}">\n'
MARCXML_TAIL = "</collection>\n"


# ---------------------------------------------------------------------------------------
# Reading ISO 2709

@dataclass(frozen=True)
class RawRecord:
    """One record cut out of a file: its position (1-based) and its bytes."""

    position: int
    data: bytes


class BrokenRecord(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def split_iso2709(data: bytes) -> Iterator[RawRecord]:
    """Cuts the file at record terminators, never trusting the declared lengths (some
    writers get them wrong). Blank bytes between and after records are skipped; a last
    piece without terminator is returned as it is (it is truncated)."""
    position = 0
    start = 0
    size = len(data)
    while start < size:
        end = data.find(RECORD_END, start)
        piece = data[start:] if end < 0 else data[start:end + 1]
        start = size if end < 0 else end + 1
        if not piece.strip(b" \r\n\t\x00\x1a"):
            continue
        position += 1
        yield RawRecord(position, piece.lstrip(b" \r\n\t\x00"))


def parse_iso2709(raw: bytes, decode: DecodeFn) -> MarcRecord:
    """Parses one record; raises BrokenRecord(reason) for what cannot be read. `decode`
    turns the bytes of a value into text (`bytes.decode` for strict UTF-8: a method of C,
    called some fifty times per record, where a function of Python cost a tenth of the
    parsing)."""
    leader, directory, base = _leader_and_directory(raw)
    fields: list[MarcField] = []
    for at in range(0, len(directory), 12):
        entry = directory[at:at + 12]
        try:
            tag = entry[:3].decode("ascii")
            length, start = int(entry[3:7]), int(entry[7:12])
        except (UnicodeDecodeError, ValueError) as error:
            raise BrokenRecord("bad_directory") from error
        body = raw[base + start:base + start + length]
        if len(body) != length or not body.endswith(FIELD_END):
            raise BrokenRecord("bad_field_length")
        body = body[:-1]
        # Fields made with tuple.__new__: MarcField(...) runs a Python __new__ (millions
        # of fields in a large import).
        if tag < "010" and tag.isdigit():
            fields.append(_new_field(MarcField, (tag, decode(body), " ", " ", ())))
            continue
        if len(body) < 2:
            continue
        subfields = []
        for part in body[2:].split(SUBFIELD)[1:]:
            if part:
                subfields.append((chr(part[0]), decode(part[1:])))
        fields.append(_new_field(MarcField, (tag, None, chr(body[0]), chr(body[1]),
                                             tuple(subfields))))
    return MarcRecord(leader, tuple(fields))


def _leader_and_directory(raw: bytes) -> tuple[str, bytes, int]:
    """The record's label, its directory, and where its data begins."""
    if not raw.endswith(RECORD_END):
        raise BrokenRecord("truncated")
    if len(raw) < 26:
        raise BrokenRecord("too_short")
    try:
        leader = raw[:24].decode("ascii")
    except UnicodeDecodeError as error:
        raise BrokenRecord("bad_leader") from error
    directory_end = raw.find(FIELD_END, 24)
    if directory_end < 0:
        raise BrokenRecord("bad_directory")
    # The directory's own end is the truth: BnF labels carry no base address at all.
    base = directory_end + 1
    directory = raw[24:directory_end]
    if len(directory) % 12:
        raise BrokenRecord("bad_directory")
    return leader, directory, base



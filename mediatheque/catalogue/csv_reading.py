"""Reading a catalogue spreadsheet (CSV) into a plan: one `PlannedRow` per good row, and the
rows that cannot be imported with their physical line number and a reason code.

No database here: `csv_import.import_catalogue_csv` matches the plan against the catalogue.

What is refused and what is only reported:
- a row is **rejected** (not imported) for `wrong_column_count` (an unquoted comma shifted
  its cells), `missing_title`, `invalid_barcode`, `invalid_copies` or `invalid_value` (a
  cell too long for its field);
- a bad value in an optional cell is a **warning**: the book is kept without it —
  `invalid_isbn` (the ISBN is dropped, the book kept), `isbn_mismatch` (the ISBN-13 column
  wins), `invalid_year`, `unknown_language`, `unknown_media_type`, `unknown_audience`,
  `invalid_cefr_level`, `cefr_not_fle`, `unknown_status`, `unknown_acquisition_mode`,
  `invalid_date`, `invalid_price`, `invalid_location`.
A 13-digit code with a valid EAN check digit that does not start 978/979 (a UPC/EAN on a
book, a DVD's EAN) is kept as the record's EAN, not as an ISBN.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from mediatheque.catalogue import csv_columns as columns
from mediatheque.catalogue.copies import CopyInput, clean_barcode
from mediatheque.catalogue.isbn import is_bookland_ean, is_valid_ean13, parse_isbn
from mediatheque.catalogue.records import RecordInput, is_fle, validated_columns
from mediatheque.catalogue.search_index import RecordTexts
from mediatheque.errors import InvalidIsbn, InvalidValue, UnreadableCsv
from mediatheque.frozen import quick_init
from mediatheque.models.vocabulary import CefrLevel, words

DELIMITERS = (",", ";", "\t", "|")
MAX_COPIES_PER_ROW = 100
IGNORE = ("ignore", "-", "")
ISBN_COLUMNS = ("isbn13", "isbn", "isbn10")


@dataclass(frozen=True)
class CsvIssue:
    line: int
    reason: str
    detail: str = ""


@quick_init
@dataclass(frozen=True)
class PlannedRow:
    line: int
    record: RecordInput
    isbn13: str | None
    ean: str | None
    copies: tuple[CopyInput, ...]
    values: dict[str, Any] = field(default_factory=dict, compare=False)  # validated columns
    texts: RecordTexts | None = field(default=None, compare=False)  # found ahead (worker)


@dataclass(frozen=True)
class CsvPlan:
    source: str
    encoding: str
    delimiter: str
    columns: dict[str, str]          # header → field
    ignored: tuple[str, ...]         # headers not imported
    rows: tuple[PlannedRow, ...]
    rejected: tuple[CsvIssue, ...]
    warnings: tuple[CsvIssue, ...]

    @property
    def total_rows(self) -> int:
        return len(self.rows) + len(self.rejected)


def decode(data: bytes, source: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1251 or
    Windows-1252, whichever reads as words of one script."""
    if not data.strip():
        raise UnreadableCsv(source, "empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise UnreadableCsv(source, "binary") from error
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:65536]:
        raise UnreadableCsv(source, "binary", "zip" if data.startswith(b"PK") else "")
    try:
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        text = data.decode(encoding)
        encoding = "utf-8"
    except UnicodeDecodeError:
        text, encoding = _decode_single_byte(data)
    controls = sum(1 for c in text[:65536] if ord(c) < 32 and c not in "\t\r\n")
    if controls > max(2, len(text[:65536]) // 200):
        raise UnreadableCsv(source, "binary")
    return text, encoding


def _decode_single_byte(data: bytes) -> tuple[str, str]:
    candidates = []
    for encoding in ("cp1251", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_mixed_words(text), encoding, text))
    if not candidates:
        return data.decode("latin-1"), "latin-1"
    _score, encoding, text = min(candidates, key=lambda c: c[0])  # cp1251 first on a tie
    return text, encoding


_WORD = re.compile(r"[^\W\d_]{2,}")


def _mixed_words(text: str) -> int:
    """Words mixing Latin and Cyrillic letters: what a wrong code page produces
    ('cafй' is café read as cp1251)."""
    mixed = 0
    for word in _WORD.findall(text[:200_000]):
        latin = any("a" <= c.lower() <= "z" or "\u00c0" <= c <= "\u024f" for c in word)
        cyrillic = any("\u0400" <= c <= "\u04ff" for c in word)
        mixed += latin and cyrillic
    return mixed


def read_text(source: Path | str | bytes) -> tuple[str, str, str]:
    """(name, text, encoding) of a spreadsheet given as a file, its bytes or its text;
    UnreadableCsv when it is missing, a folder, empty or not text."""
    if isinstance(source, Path):
        name = str(source)
        try:
            data = source.read_bytes()
        except FileNotFoundError as error:
            raise UnreadableCsv(name, "missing") from error
        except IsADirectoryError as error:
            raise UnreadableCsv(name, "binary") from error
        return (name, *decode(data, name))
    if isinstance(source, bytes):
        return ("<bytes>", *decode(source, "<bytes>"))
    text = source.removeprefix("\ufeff")
    if not text.strip():
        raise UnreadableCsv("<text>", "empty")
    return "<text>", text, "text"


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def map_columns(headers: list[str], overrides: dict[str, str] | None,
                source: str) -> tuple[dict[int, str], dict[str, str], list[str]]:
    """Field of each column index, the same by header, and the ignored headers."""
    by_index: dict[int, str] = {}
    forced: dict[int, str] = {}
    folded = [columns.fold_header(h) for h in headers]
    for column, target in (overrides or {}).items():
        wanted = columns.fold_header(column)
        if wanted not in folded:
            raise InvalidValue("map", column)
        if target not in columns.FIELDS and target not in IGNORE:
            raise InvalidValue("map", target)
        forced[folded.index(wanted)] = target
    taken = {f for f in forced.values() if f not in IGNORE}
    for index, header in enumerate(headers):
        found = forced.get(index) or columns.field_for_header(header)
        if found is None or found in IGNORE or (index not in forced and found in taken):
            continue
        by_index[index] = found
        taken.add(found)
    if "title" not in by_index.values():
        raise UnreadableCsv(source, "no_title_column", " | ".join(h.strip() for h in headers))
    named = {headers[i].strip(): f for i, f in by_index.items()}
    ignored = [headers[i].strip() for i in range(len(headers)) if i not in by_index]
    return by_index, named, ignored


def read_catalogue_csv(
    source: Path | str | bytes,
    mapping: dict[str, str] | None = None,
    *,
    default_copies: int = 0,
    latest_year: int = 9999,
) -> CsvPlan:
    """Reads a spreadsheet catalogue into a plan (nothing is written). `source` is a file,
    the text itself, or its bytes. `mapping` forces COLUMN → FIELD ('ignore' drops a
    column). Rows without a copies or barcode cell get `default_copies` copies."""
    name, text, encoding = read_text(source)
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    planner: _RowPlanner | None = None
    last_line = 0
    for cells in reader:
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if headers is None:
            headers = cells
            by_index, named, ignored = map_columns(headers, mapping, name)
            planner = _RowPlanner(len(headers), by_index, default_copies, latest_year)
            continue
        assert planner is not None
        planner.plan(line, cells)
    if headers is None or planner is None:
        raise UnreadableCsv(name, "empty")
    return CsvPlan(name, encoding, delimiter, named, tuple(ignored), tuple(planner.rows),
                   tuple(planner.rejected), tuple(planner.warnings))


class _RowPlanner:
    def __init__(self, width: int, by_index: dict[int, str], default_copies: int,
                 latest_year: int) -> None:
        self.width = width
        self.by_index = by_index
        self.default_copies = default_copies
        self.latest_year = latest_year
        self.rows: list[PlannedRow] = []
        self.rejected: list[CsvIssue] = []
        self.warnings: list[CsvIssue] = []

    def warn(self, line: int, reason: str, detail: str = "") -> None:
        self.warnings.append(CsvIssue(line, reason, detail[:80]))

    def plan(self, line: int, cells: list[str]) -> None:
        # Trailing empty cells (a spreadsheet's stray separators) are harmless.
        if len(cells) < self.width or any(c.strip() for c in cells[self.width:]):
            self.rejected.append(CsvIssue(line, "wrong_column_count",
                                          f"{len(cells)}/{self.width}"))
            return
        cell = {field: cells[index].strip() for index, field in self.by_index.items()}
        try:
            row = self._row(line, cell)
        except _Rejected as rejected:
            self.rejected.append(CsvIssue(line, rejected.reason, rejected.detail))
            return
        self.rows.append(row)

    def _row(self, line: int, cell: dict[str, str]) -> PlannedRow:
        title = cell.get("title", "")
        if not title:
            raise _Rejected("missing_title")
        isbn13, ean = self._identifiers(line, cell)
        get = cell.get
        media = self._word(line, get("media_type", ""), columns.media_type,
                           "unknown_media_type") or "book"
        subjects = columns.split_list(get("subjects", ""))
        keywords = columns.split_list(get("keywords", ""))
        record = RecordInput(
            title=title, subtitle=get("subtitle") or None,
            contributors=tuple(columns.split_people(get("authors", ""))),
            publisher=get("publisher") or None, place=get("place") or None,
            year=self._year(line, get("year", "")), edition=get("edition") or None,
            isbn=isbn13, ean=ean, languages=self._languages(line, get("language", "")),
            media_type=media, cefr_level=self._cefr(line, media, subjects, keywords,
                                                    get("cefr_level", "")),
            audience=self._word(line, get("audience", ""), columns.audience,
                                "unknown_audience") or "unknown",
            dewey=get("dewey") or None, series=get("series") or None,
            series_number=get("series_number") or None,
            extent=self._extent(get("pages", ""), get("extent", "")),
            summary=get("summary") or None, note=get("note") or None,
            subjects=subjects, keywords=keywords, metadata_source="csv",
        )
        try:
            values = validated_columns(record, latest_year=self.latest_year,
                                       identifiers=(isbn13, ean))
        except InvalidValue as error:
            raise _Rejected("invalid_value", error.field) from error
        return PlannedRow(line, record, isbn13, ean, self._copies(line, cell), values)

    def _identifiers(self, line: int, cell: dict[str, str]) -> tuple[str | None, str | None]:
        isbns: list[str] = []
        eans: list[str] = []
        values = [cell[name] for name in ("ean", *ISBN_COLUMNS) if cell.get(name)]
        for value in values:
            compact = value.replace("-", "").replace(" ", "")
            fast = _fast_isbn13(compact)
            if fast is not None:
                isbns.append(fast)
                continue
            if len(compact) in (12, 13) and compact.isascii() and is_valid_ean13(compact) \
                    and not is_bookland_ean(compact.zfill(13)):
                eans.append(compact.zfill(13))
                continue
            try:
                isbns.append(parse_isbn(value).isbn13)
            except InvalidIsbn:
                self.warn(line, "invalid_isbn", value)
        if len(set(isbns)) > 1:
            self.warn(line, "isbn_mismatch", " ".join(dict.fromkeys(isbns)))
        return (isbns[0] if isbns else None), (eans[0] if eans else None)

    def _year(self, line: int, text: str) -> int | None:
        if not text:
            return None
        year = columns.parse_year(text, latest=self.latest_year)
        if year is None:
            self.warn(line, "invalid_year", text)
        return year

    def _languages(self, line: int, text: str) -> tuple[str, ...]:
        codes, unknown = columns.language_codes(text) if text else ((), ())
        for part in unknown:
            self.warn(line, "unknown_language", part)
        return codes

    def _word(self, line: int, text: str, read: Callable[[str], str | None],
              reason: str) -> str | None:
        if not text:
            return None
        value = read(text)
        if value is None:
            self.warn(line, reason, text)
        return value

    @staticmethod
    def _extent(pages: str, extent: str) -> str | None:
        if extent:
            return extent
        if pages.isascii() and pages.isdigit():
            return f"{int(pages)} p." if int(pages) else None
        return pages or None

    def _cefr(self, line: int, media: str, subjects: tuple[str, ...],
              keywords: tuple[str, ...], text: str) -> str | None:
        if not text:
            return None
        level = text.upper()
        if level not in words(CefrLevel):
            self.warn(line, "invalid_cefr_level", text)
            return None
        if not is_fle(media, subjects, keywords):
            self.warn(line, "cefr_not_fle", text)
            return None
        return level

    def _copies(self, line: int, cell: dict[str, str]) -> tuple[CopyInput, ...]:
        barcodes = list(columns.split_list(cell.get("barcode", "")))
        try:
            barcodes = [clean_barcode(code) for code in barcodes]
        except InvalidValue as error:
            raise _Rejected("invalid_barcode", error.value) from error
        if cell.get("copies"):
            count = columns.parse_count(cell["copies"], most=MAX_COPIES_PER_ROW)
            if count is None:
                raise _Rejected("invalid_copies", cell["copies"])
            count = max(count, len(barcodes))
        else:
            count = len(barcodes) if barcodes else self.default_copies
        if not count:
            return ()
        template = CopyInput(
            call_number=cell.get("call_number") or None,
            location_code=self._location(line, cell.get("location", "")),
            status=self._word(line, cell.get("status", ""), columns.copy_status,
                              "unknown_status") or "available",
            acquired_on=self._date(line, cell.get("acquired_on", "")),
            acquisition_mode=self._word(line, cell.get("acquisition_mode", ""),
                                        columns.acquisition_mode,
                                        "unknown_acquisition_mode") or "purchase",
            price=self._price(line, cell.get("price", "")),
        )
        given = [replace(template, barcode=code) for code in barcodes]
        return tuple(given + [template] * (count - len(given)))

    def _location(self, line: int, text: str) -> str | None:
        if text and (len(text) > 20 or any(c.isspace() for c in text)):
            self.warn(line, "invalid_location", text)
            return None
        return text or None

    def _date(self, line: int, text: str) -> date | None:
        if not text:
            return None
        found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", text) or None
        parts: tuple[int, int, int] | None = None
        if found:
            parts = (int(found[1]), int(found[2]), int(found[3]))
        else:
            dotted = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", text)
            if dotted:  # day first, as written in France and in Kazakhstan
                parts = (int(dotted[3]), int(dotted[2]), int(dotted[1]))
        try:
            if parts:
                return date(*parts)
        except ValueError:
            pass
        self.warn(line, "invalid_date", text)
        return None

    def _price(self, line: int, text: str) -> Decimal | None:
        if not text:
            return None
        price = columns.parse_price(text)
        if price is None:
            self.warn(line, "invalid_price", text)
        return price


def _ean_ok(code: str) -> bool:
    odd = sum(map(int, code[0:12:2]))
    even = sum(map(int, code[1:12:2]))
    return (10 - (odd + 3 * even) % 10) % 10 == int(code[12])


def _fast_isbn13(compact: str) -> str | None:
    """The common well-formed cases without the general parser (the import reads thousands
    of rows a second): 13 digits 978/979 with a good check digit, or a good ISBN-10."""
    if len(compact) == 13 and compact.isascii() and compact.isdigit():
        return compact if compact[:3] in ("978", "979") and _ean_ok(compact) else None
    if len(compact) == 10 and compact[:9].isascii() and compact[:9].isdigit():
        total = sum((10 - i) * int(d) for i, d in enumerate(compact[:9]))
        check = (11 - total % 11) % 11
        if compact[9] != ("X" if check == 10 else str(check)) and not (
            check == 10 and compact[9] == "x"
        ):
            return None
        body = "978" + compact[:9]
        odd, even = sum(map(int, body[0::2])), sum(map(int, body[1::2]))
        return body + str((10 - (odd + 3 * even) % 10) % 10)
    return None


class _Rejected(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail[:80]

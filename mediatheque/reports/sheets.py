"""Spreadsheet manners shared by the reports: text never read as a formula, bold header
rows, frozen panes, autofilter, column widths; and the CSV formula guard."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F3B63")
TITLE_FONT = Font(bold=True, size=14, color="1F3B63")
NOTE_FONT = Font(italic=True, color="666666")
INVALID_SHEET_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def sheet_title(text: str) -> str:
    """A valid sheet name (31 characters, none of []:*?/\\)."""
    return text.translate(INVALID_SHEET_CHARS).strip()[:31]


def put(sheet: Worksheet, row: int, column: int, value: Any, number_format: str = "") -> Any:
    """Writes one cell; text stays text (data type 's') even when it starts with '='."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def write_table(
    sheet: Worksheet,
    *,
    top: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: Sequence[str] = (),
    widths: Sequence[float] = (),
    freeze: bool = True,
) -> tuple[int, int]:
    """A header row at `top` and the rows under it, with autofilter and frozen header;
    returns (first data row, last data row) — last < first when there are no rows."""
    for column, header in enumerate(headers, start=1):
        cell = put(sheet, top, column, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            number_format = formats[column - 1] if column - 1 < len(formats) else ""
            put(sheet, top + offset, column, value, number_format)
    last = top + len(rows)
    last_column = get_column_letter(len(headers))
    sheet.auto_filter.ref = f"A{top}:{last_column}{max(last, top)}"
    if freeze:
        sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    # Printed (or saved as PDF) on A4 in landscape: the tables are wider than tall.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    return top + 1, last


def csv_safe(value: object) -> str:
    """Text of a CSV cell; a cell that would start a formula gets a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text

"""The overdue list as a spreadsheet (xlsx) or CSV (UTF-8 with BOM, for Excel). These files
hold personal data: their default name and their first sheet say so."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from mediatheque.formatting import long_day, sheet_day_format
from mediatheque.i18n import _
from mediatheque.reports.files import atomic_output, suffix_of
from mediatheque.reports.labels import media_type_label
from mediatheque.reports.overdue import OverdueMember
from mediatheque.reports.sheets import (
    NOTE_FONT,
    TITLE_FONT,
    csv_safe,
    put,
    sheet_title,
    write_table,
)

SPREADSHEET_FORMATS = (".xlsx", ".csv")
OVERDUE_FORMATS = (".xlsx", ".csv", ".pdf")


def default_overdue_name(today: date, suffix: str) -> str:
    """E.g. "overdue-2026-11-22-personal-data.xlsx" (translated)."""
    return _("overdue-{date}-personal-data").format(date=today.isoformat()) + suffix


def _headers() -> list[str]:
    return [
        _("Member"), _("Card"), _("Category"), _("E-mail"), _("Telephone"), _("Language"),
        _("Title"), _("Copy"), _("Media type"), _("Due on"), _("Days late"),
        _("Notice level reached"), _("Last notice sent"),
    ]


def _rows(members: Sequence[OverdueMember]) -> list[list[object]]:
    rows: list[list[object]] = []
    for member in members:
        for loan in member.loans:
            rows.append([
                f"{member.last_name}, {member.first_name}", member.barcode,
                member.category_name, member.email or "", member.phone or "",
                member.language, loan.title, loan.copy_barcode,
                media_type_label(loan.media_type), loan.due_on, loan.days_late,
                loan.level_reached, loan.level_sent or None,
            ])
    return rows


def export_overdue(path: Path, members: Sequence[OverdueMember], *, today: date) -> int:
    """Writes the list (one row per loan, grouped by member) as .xlsx or .csv; returns the
    number of rows."""
    suffix = suffix_of(path, SPREADSHEET_FORMATS)
    rows = _rows(members)
    with atomic_output(path) as temporary:
        if suffix == ".csv":
            with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(_headers())
                for row in rows:
                    writer.writerow([
                        value.isoformat() if isinstance(value, date) else csv_safe(value)
                        for value in row
                    ])
        else:
            _write_xlsx(temporary, rows, today)
    return len(rows)


def _write_xlsx(path: Path, rows: list[list[object]], today: date) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_title(_("Overdue (personal data)"))
    put(sheet, 1, 1, _("Overdue loans on {date}").format(date=long_day(today))).font = (
        TITLE_FONT)
    put(sheet, 2, 1, _("This file contains personal data of members: keep it safe, do not "
                       "forward it, and delete it once the follow-up is done.")).font = NOTE_FONT
    formats = ["", "@", "", "", "@", "", "", "@", "", sheet_day_format(), "0", "0", "0"]
    widths = [28, 16, 16, 28, 16, 9, 48, 16, 18, 12, 10, 12, 12]
    write_table(sheet, top=4, headers=_headers(), rows=rows, formats=formats, widths=widths)
    sheet.row_dimensions[4].height = 32
    sheet.print_title_rows = "4:4"
    workbook.properties.title = sheet.title
    workbook.save(path)

"""The director's monthly workbook (openpyxl): a summary with the previous month and the
same month a year earlier, then one sheet per table, with charts. Headers in the director's
language. No formula anywhere: every figure is a value computed by the core, every text a
string (a title starting with '=' stays text)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from mediatheque.formatting import month_year, sheet_day_format, sheet_money_format
from mediatheque.i18n import _, language, ngettext
from mediatheque.reports.files import atomic_output, suffix_of
from mediatheque.reports.labels import acquisition_label, language_label, media_type_label
from mediatheque.reports.monthly import SUMMARY_KEYS, MonthlyReport, shift_month
from mediatheque.reports.rules import LATE_BANDS
from mediatheque.reports.sheets import NOTE_FONT, TITLE_FONT, put, sheet_title, write_table

INT = "#,##0"
CHANGE = "+#,##0;-#,##0;0"
PERCENT = "+0.0%;-0.0%;0.0%"


def month_name(month: date) -> str:
    """"novembre 2026", "Қараша 2026"… in the current language."""
    return month_year(month)


def summary_label(key: str) -> str:
    return {
        "loans": _("Loans"),
        "returns": _("Returns"),
        "renewals": _("Renewals"),
        "active_members": _("Active borrowers"),
        "new_members": _("New members"),
        "new_copies": _("New copies"),
        "overdue": _("Overdue at month end"),
    }[key]


def band_label(index: int) -> str:
    low, high = LATE_BANDS[index]
    if high is None:
        return ngettext("{low} day and more", "{low} days and more", low).format(low=low)
    return _("{low}–{high} days").format(low=low, high=high)


def write_monthly_workbook(
    path: Path,
    report: MonthlyReport,
    *,
    director_language: str,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Writes the workbook to `path` (.xlsx), whole or not at all."""
    suffix_of(path, (".xlsx",))
    with language(director_language):
        workbook = Workbook()
        builders: list[Callable[[Workbook, MonthlyReport], None]] = [
            _summary, _by_type_category, _per_day, _top_titles, _by_language, _fle,
            _acquisitions, _members, _overdue,
        ]
        for index, build in enumerate(builders, start=1):
            build(workbook, report)
            if progress is not None:
                progress(index, len(builders) + 1)
        workbook.properties.title = _("Monthly report {month}").format(
            month=month_name(report.month))
        workbook.properties.creator = "Médiathèque"
        with atomic_output(path) as temporary:
            workbook.save(temporary)
    if progress is not None:
        progress(len(builders) + 1, len(builders) + 1)


def _sheet(workbook: Workbook, title: str, report: MonthlyReport, first: bool = False) -> Worksheet:
    if first:
        sheet = workbook.active
        assert sheet is not None
        sheet.title = sheet_title(title)
    else:
        sheet = workbook.create_sheet(sheet_title(title))
    put(sheet, 1, 1, title).font = TITLE_FONT
    put(sheet, 2, 1, f"{report.library_name} — {month_name(report.month)}").font = NOTE_FONT
    return sheet


def _empty_note(sheet: Worksheet, row: int, text: str) -> None:
    put(sheet, row, 1, text).font = NOTE_FONT


def _change(now: int, before: int) -> tuple[int, float | None]:
    return now - before, ((now - before) / before if before else None)


def _summary(workbook: Workbook, report: MonthlyReport) -> None:
    sheet = _sheet(workbook, _("Summary"), report, first=True)
    previous_month = report.previous
    month = report.month
    headers = [
        _("Figure"), month_name(month),
        month_name(shift_month(month, -1)),
        _("Change"), _("Change %"),
        month_name(shift_month(month, -12)), _("Change"), _("Change %"),
    ]
    rows = []
    for key in SUMMARY_KEYS:
        now = getattr(report.summary, key)
        before = getattr(previous_month, key)
        year = getattr(report.year_before, key)
        rows.append([summary_label(key), now, before, *_change(now, before), year,
                     *_change(now, year)])
    first, last = write_table(
        sheet, top=4, headers=headers, rows=rows,
        formats=["", INT, INT, CHANGE, PERCENT, INT, CHANGE, PERCENT],
        widths=[28, 16, 16, 11, 11, 16, 11, 11],
    )
    sheet.row_dimensions[4].height = 30
    note_row = last + 2
    _empty_note(sheet, note_row, _(
        "Loans are counted on the day they were made, in the library's time zone; active "
        "borrowers are the members who borrowed at least once in the month; overdue at month "
        "end counts the loans still out and past their due date on the last day."))
    if report.is_empty:
        _empty_note(sheet, note_row + 1, _("No activity was recorded this month."))
    chart = BarChart()
    chart.type = "col"
    chart.title = _("This month, previous month and a year earlier")
    chart.y_axis.title = _("Number")
    data = Reference(sheet, min_col=2, max_col=3, min_row=4, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.add_data(Reference(sheet, min_col=6, max_col=6, min_row=4, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    chart.height, chart.width = 9, 22
    sheet.add_chart(chart, f"A{note_row + 3}")


def _bar_chart(
    sheet: Worksheet, *, title: str, data_cols: tuple[int, int], first: int, last: int,
    header_row: int, anchor: str, horizontal: bool = False, stacked: bool = False,
) -> None:
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = title
    if stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    chart.add_data(Reference(sheet, min_col=data_cols[0], max_col=data_cols[1],
                             min_row=header_row, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    chart.height, chart.width = (12 if horizontal else 9), 22
    if data_cols[0] == data_cols[1]:
        chart.legend = None
    sheet.add_chart(chart, anchor)


def _by_type_category(workbook: Workbook, report: MonthlyReport) -> None:
    sheet = _sheet(workbook, _("Loans by type and category"), report)
    categories = [name or _("Unknown category") for name in report.categories]
    headers = [_("Media type"), *categories, _("Total")]
    rows: list[list[Any]] = [
        [media_type_label(media), *counts, sum(counts)]
        for media, counts in zip(report.media_types, report.loans_by_type_category, strict=True)
    ]
    if rows:
        totals = [sum(row[i] for row in rows) for i in range(1, len(headers))]
        data_rows = list(rows)
        rows.append([_("Total"), *totals])
    else:
        data_rows = []
    first, last = write_table(sheet, top=4, headers=headers, rows=rows,
                              formats=["", *[INT] * (len(headers) - 1)],
                              widths=[24, *[14] * (len(headers) - 1)])
    if not data_rows:
        _empty_note(sheet, 6, _("No loans this month."))
        return
    put(sheet, last, 1, rows[-1][0]).font = Font(bold=True)
    _bar_chart(sheet, title=_("Loans by media type and category"),
               data_cols=(2, len(headers) - 1), first=first, last=last - 1, header_row=4,
               anchor=f"A{last + 3}", stacked=True)


def _per_day(workbook: Workbook, report: MonthlyReport) -> None:
    sheet = _sheet(workbook, _("Loans per day"), report)
    rows = [[day, count] for day, count in report.loans_per_day]
    first, last = write_table(sheet, top=4, headers=[_("Day"), _("Loans")], rows=rows,
                              formats=[sheet_day_format(), INT], widths=[14, 10])
    chart = LineChart()
    chart.title = _("Loans per day")
    chart.y_axis.title = _("Loans")
    chart.add_data(Reference(sheet, min_col=2, min_row=4, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    chart.x_axis.number_format = "dd"
    chart.legend = None
    chart.height, chart.width = 9, 24
    sheet.add_chart(chart, "D4")


def _top_titles(workbook: Workbook, report: MonthlyReport) -> None:
    sheet = _sheet(workbook, _("Top 20 titles"), report)
    rows = [[title, author, count] for title, author, count in report.top_titles]
    first, last = write_table(sheet, top=4, headers=[_("Title"), _("Authors"), _("Loans")],
                              rows=rows, formats=["", "", INT], widths=[56, 30, 10])
    if not rows:
        _empty_note(sheet, 6, _("No loans this month."))
        return
    _bar_chart(sheet, title=_("Top 20 titles"), data_cols=(3, 3), first=first, last=last,
               header_row=4, anchor="E4", horizontal=True)


def _by_language(workbook: Workbook, report: MonthlyReport) -> None:
    sheet = _sheet(workbook, _("Loans by language"), report)
    rows = [[language_label(code), code or "", count]
            for code, count in report.loans_by_language]
    first, last = write_table(sheet, top=4,
                              headers=[_("Language of the document"), _("Code"), _("Loans")],
                              rows=rows, formats=["", "", INT], widths=[26, 8, 10])
    if not rows:
        _empty_note(sheet, 6, _("No loans this month."))
        return
    _bar_chart(sheet, title=_("Loans by language of the document"), data_cols=(3, 3),
               first=first, last=last, header_row=4, anchor="E4")


def _fle(workbook: Workbook, report: MonthlyReport) -> None:
    sheet = _sheet(workbook, _("FLE by CEFR level"), report)
    rows = [[level or _("No level"), loans, copies] for level, loans, copies in report.fle_by_level]
    first, last = write_table(
        sheet, top=4, headers=[_("CEFR level"), _("Loans"), _("Copies held")], rows=rows,
        formats=["", INT, INT], widths=[14, 10, 14])
    if not rows:
        _empty_note(sheet, 6, _("No French course material."))
        return
    _bar_chart(sheet, title=_("FLE material by CEFR level"), data_cols=(2, 3), first=first,
               last=last, header_row=4, anchor="E4")


def _acquisitions(workbook: Workbook, report: MonthlyReport) -> None:
    sheet = _sheet(workbook, _("New acquisitions"), report)
    rows = [[copy.acquired_on, copy.title, media_type_label(copy.media_type), copy.barcode,
             acquisition_label(copy.acquisition_mode), copy.price, copy.location]
            for copy in report.acquisitions]
    write_table(sheet, top=4, headers=[
        _("Acquired on"), _("Title"), _("Media type"), _("Copy"), _("Acquisition"),
        _("Price"), _("Location")], rows=rows,
        formats=[sheet_day_format(), "", "", "@", "",
                 sheet_money_format(report.currency), ""], widths=[13, 56, 20, 16, 18, 12, 14])
    if not rows:
        _empty_note(sheet, 6, _("No new copies this month."))


def _members(workbook: Workbook, report: MonthlyReport) -> None:
    sheet = _sheet(workbook, _("Members by category"), report)
    rows = [[c.category, c.members, c.new_members, c.active_borrowers, c.loans]
            for c in report.members_by_category]
    first, last = write_table(sheet, top=4, headers=[
        _("Category"), _("Members"), _("New members"), _("Active borrowers"), _("Loans")],
        rows=rows, formats=["", INT, INT, INT, INT], widths=[24, 12, 14, 16, 10])
    sheet.row_dimensions[4].height = 30
    if not rows:
        _empty_note(sheet, 6, _("No member categories."))
        return
    _bar_chart(sheet, title=_("Members by category"), data_cols=(2, 4), first=first,
               last=last, header_row=4, anchor="G4")


def _overdue(workbook: Workbook, report: MonthlyReport) -> None:
    sheet = _sheet(workbook, _("Overdue at month end"), report)
    rows: Sequence[list[Any]] = [[band_label(index), count]
                                 for index, count in enumerate(report.overdue_bands)]
    first, last = write_table(sheet, top=4, headers=[_("Days late"), _("Loans")], rows=rows,
                              formats=["", INT], widths=[20, 10])
    put(sheet, last + 2, 1, _("Counts only: the names of members are never in this "
                              "workbook.")).font = NOTE_FONT
    _bar_chart(sheet, title=_("Overdue at month end by days late"), data_cols=(2, 2),
               first=first, last=last, header_row=4, anchor="D4")

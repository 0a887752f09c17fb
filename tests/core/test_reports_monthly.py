"""The director's monthly workbook: every figure checked against counts computed here,
independently, from a hand-built history (month boundaries in Almaty time, UTC+5;
renewals; returns on a closed day; a deleted member; a copy withdrawn in the month)."""

from __future__ import annotations

import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, LineChart
from python_calamine import CalamineWorkbook

from mediatheque.db import Database
from mediatheque.errors import MonthInFuture, OutputUnwritable, UnsupportedReportFormat
from mediatheque.i18n import _, language
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.reports.monthly import MonthlyReport, month_span, monthly_report
from mediatheque.reports.workbook import write_monthly_workbook
from mediatheque.settings import LibrarySettings, save_library_settings
from tests.core.reports_world import World

ALMATY = ZoneInfo("Asia/Almaty")
MONTH = date(2026, 10, 1)
TODAY = date(2026, 11, 21)
EVIL = "=HYPERLINK(\"http://evil.example\",\"clic\")"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class LoanSpec:
    title: str
    member: str | None  # key of MEMBERS; None = a member since deleted
    at: datetime
    due: date  # before any renewal
    returned: datetime | None = None
    media: str = "book"
    language: str = "fre"
    renewed: tuple[tuple[datetime, date], ...] = ()  # (when, new due date)


# Member key → (category, created at).
MEMBERS = {
    "old": ("adult", utc("2024-03-01 10:00")),
    "student": ("student", utc("2026-10-15 10:00")),
    "first_minute": ("adult", utc("2026-09-30 19:30")),  # 1 Oct 00:30 in Almaty: October
    "next_month": ("student", utc("2026-10-31 19:30")),  # 1 Nov 00:30 in Almaty: November
    "year_ago": ("adult", utc("2025-10-05 08:00")),
}
LOANS = [
    # 1 Oct 00:10 in Almaty (still 30 Sep in UTC): an October loan.
    LoanSpec("Les Misérables", "old", utc("2026-09-30 19:10"), date(2026, 10, 22),
             returned=utc("2026-10-18 06:00")),
    # 31 Oct 23:59 in Almaty: October.
    LoanSpec("Абай жолы", "student", utc("2026-10-31 18:59"), date(2026, 11, 21),
             language="kaz"),
    # 1 Nov 00:00 in Almaty: November, not October.
    LoanSpec("Война и мир", "student", utc("2026-10-31 19:00"), date(2026, 11, 22),
             language="rus"),
    # 30 Sep 23:59 in Almaty: September; returned on Sunday 4 October (a closed day).
    LoanSpec("Candide", "old", utc("2026-09-30 18:59"), date(2026, 10, 21),
             returned=utc("2026-10-04 05:00")),
    # By a member deleted since: counted as a loan, not as an active borrower.
    LoanSpec("Le Petit Prince", None, utc("2026-10-12 09:00"), date(2026, 11, 2),
             returned=utc("2026-10-30 09:00"), media="comic"),
    # Renewed in October, then renewed again on 1 Nov 00:30 (Almaty) while late: late at
    # the end of October with the due date then in force (20 Oct), 11 days.
    LoanSpec("Alter ego+ A1", "first_minute", utc("2026-09-20 06:00"), date(2026, 10, 5),
             media="fle_method",
             renewed=((utc("2026-10-03 06:00"), date(2026, 10, 20)),
                      (utc("2026-10-31 19:30"), date(2026, 11, 15)))),
    LoanSpec("Édito B1", "student", utc("2026-10-08 06:00"), date(2026, 10, 29),
             returned=utc("2026-10-28 06:00"), media="fle_method"),
    LoanSpec(EVIL, "old", utc("2026-10-20 06:00"), date(2026, 11, 10), media="dvd"),
    LoanSpec(EVIL, "first_minute", utc("2026-10-21 06:00"), date(2026, 11, 11), media="dvd"),
    # Late since September and still out: 51 days at the end of October.
    LoanSpec("Le Rouge et le Noir", "old", utc("2026-08-20 06:00"), date(2026, 9, 10)),
    # Due 1 Oct, returned 2 Nov: out and 30 days late at the end of October.
    LoanSpec("Bel-Ami", "first_minute", utc("2026-09-10 06:00"), date(2026, 10, 1),
             returned=utc("2026-11-02 06:00")),
    # Due on the last day: not late at the end of the month.
    LoanSpec("Nana", "old", utc("2026-10-10 06:00"), date(2026, 10, 31)),
    # A year earlier (October 2025) and the previous month (September 2026).
    LoanSpec("Germinal", "year_ago", utc("2025-10-10 06:00"), date(2025, 10, 31),
             returned=utc("2025-10-25 06:00")),
    LoanSpec("Germinal", "year_ago", utc("2025-10-31 18:30"), date(2025, 11, 21),
             returned=utc("2025-11-05 06:00")),
    LoanSpec("Madame Bovary", "old", utc("2026-09-15 06:00"), date(2026, 10, 6),
             returned=utc("2026-09-25 06:00"), renewed=((utc("2026-09-20 06:00"),
                                                         date(2026, 10, 6)),)),
]
# Copies beyond those of the loans: (title, created at, acquired on, status).
COPIES = [
    ("Acquired in October", utc("2026-11-05 06:00"), date(2026, 10, 3), "available"),
    ("Withdrawn the same month", utc("2026-10-12 06:00"), date(2026, 10, 12), "withdrawn"),
    ("No date, entered 1 Oct 00:30", utc("2026-09-30 19:30"), None, "available"),
    ("No date, entered 1 Nov 00:30", utc("2026-10-31 19:30"), None, "available"),
    ("Acquired in September", utc("2026-10-02 06:00"), date(2026, 9, 28), "available"),
    ("Acquired in October 2025", utc("2025-10-02 06:00"), date(2025, 10, 2), "available"),
]


def _build(database: Database, *, director_language: str = "fr") -> dict[str, int]:
    with database.write() as session:
        save_library_settings(session, LibrarySettings(
            name="Médiathèque AF Almaty", code="AF-ALA", city="Almaty",
            director_language=director_language))
        world = World(session)
        categories = {code: world.category(code, code.title()) for code in ("adult", "student")}
        members = {key: world.member(categories[category], created=created, last=key)
                   for key, (category, created) in MEMBERS.items()}
        records: dict[str, int] = {}
        for spec in LOANS:
            if spec.title not in records:
                level = "B1" if "B1" in spec.title else "A1"
                records[spec.title] = world.record(
                    spec.title, media=spec.media,
                    cefr=level if spec.media == "fle_method" else None)
            copy = world.copy(records[spec.title])
            member = members[spec.member] if spec.member else None
            loan = world.loan(copy, member, at=spec.at, due=spec.due, returned=spec.returned,
                              media=spec.media, language=spec.language,
                              category_id=None if member else categories["adult"])
            for when, new_due in spec.renewed:
                world.renew(loan, at=when, new_due=new_due)
        for title, created, acquired, status in COPIES:
            world.copy(world.record(title), created=created, acquired=acquired, status=status)
    return categories


# ---- the independent count ------------------------------------------------------------


def _local_month(instant: datetime | None) -> tuple[int, int] | None:
    if instant is None:
        return None
    local = instant.astimezone(ALMATY)
    return local.year, local.month


def _expected(month: date) -> dict[str, int]:
    key = (month.year, month.month)
    following = (month + timedelta(days=32)).replace(day=1)
    last_day = following - timedelta(days=1)
    end = datetime(following.year, following.month, 1, tzinfo=ALMATY)
    overdue = 0
    for spec in LOANS:
        out_at_end = spec.at < end and (spec.returned is None or spec.returned >= end)
        if not out_at_end:
            continue
        due = spec.due
        for when, new_due in spec.renewed:
            if when < end:
                due = new_due
        if (last_day - due).days >= 1:
            overdue += 1
    copies = 0
    for _title, created, acquired, _status in COPIES:
        if acquired is not None:
            copies += (acquired.year, acquired.month) == key
        else:
            copies += _local_month(created) == key
    return {
        "loans": sum(_local_month(s.at) == key for s in LOANS),
        "returns": sum(_local_month(s.returned) == key for s in LOANS),
        "renewals": sum(_local_month(when) == key for s in LOANS for when, _ in s.renewed),
        "active_members": len({s.member for s in LOANS
                               if s.member and _local_month(s.at) == key}),
        "new_members": sum(_local_month(created) == key for _c, created in MEMBERS.values()),
        "new_copies": copies,
        "overdue": overdue,
    }


def test_the_expected_figures_are_not_trivial() -> None:
    """The history does exercise what it claims (a guard on the test itself)."""
    october = _expected(MONTH)
    assert october == {"loans": 7, "returns": 4, "renewals": 1, "active_members": 3,
                       "new_members": 2, "new_copies": 3, "overdue": 3}


def test_summary_matches_the_independent_count(database: Database) -> None:
    _build(database)
    with database.read() as session:
        report = monthly_report(session, LOCAL_ADMIN, month=MONTH, today=TODAY)
    assert report.summary.as_dict() == _expected(MONTH)
    assert report.previous.as_dict() == _expected(date(2026, 9, 1))
    assert report.year_before.as_dict() == _expected(date(2025, 10, 1))
    assert report.year_before.loans == 2  # 31 Oct 2025 23:30 in Almaty is still October


def test_tables_match_the_independent_count(database: Database) -> None:
    _build(database)
    with database.read() as session:
        report = monthly_report(session, LOCAL_ADMIN, month=MONTH, today=TODAY)
    october = [s for s in LOANS if _local_month(s.at) == (2026, 10)]
    per_day = Counter(s.at.astimezone(ALMATY).date() for s in october)
    assert dict(report.loans_per_day) == {
        MONTH + timedelta(days=n): per_day[MONTH + timedelta(days=n)] for n in range(31)}
    assert report.loans_per_day[0] == (date(2026, 10, 1), 1)
    assert report.loans_per_day[-1] == (date(2026, 10, 31), 1)
    assert report.top_titles[0] == (EVIL, "", 2)
    assert sum(n for _t, _a, n in report.top_titles) == len(october)
    assert dict(report.loans_by_language) == dict(Counter(s.language for s in october))
    cells = {(media, category): n for media, row in zip(report.media_types,
                                                         report.loans_by_type_category,
                                                         strict=True)
             for category, n in zip(report.categories, row, strict=True)}
    assert sum(cells.values()) == len(october)
    assert cells[("dvd", "Adult")] == 2 and cells[("comic", "Adult")] == 1  # deleted member
    assert {copy.title for copy in report.acquisitions} == {
        "Acquired in October", "Withdrawn the same month", "No date, entered 1 Oct 00:30"}
    # Level, loans in October, copies held: the A1 loan was made in September.
    assert report.fle_by_level == (("A1", 0, 1), ("B1", 1, 1))
    bands = dict(zip(range(6), report.overdue_bands, strict=True))
    assert bands == {0: 0, 1: 1, 2: 1, 3: 1, 4: 0, 5: 0}  # 11, 30 and 51 days late
    members = {c.category: c for c in report.members_by_category}
    assert (members["Adult"].members, members["Adult"].new_members) == (3, 1)
    assert (members["Student"].members, members["Student"].new_members) == (1, 1)
    assert members["Adult"].active_borrowers == 2 and members["Student"].active_borrowers == 1


def _workbook(database: Database, tmp_path: Path, month: date = MONTH) -> tuple[
        MonthlyReport, Path]:
    with database.read() as session:
        report = monthly_report(session, LOCAL_ADMIN, month=month, today=TODAY)
        from mediatheque.settings import load_library_settings
        director = load_library_settings(session).director_language
    path = tmp_path / "monthly.xlsx"
    write_monthly_workbook(path, report, director_language=director)
    return report, path


def test_the_workbook_holds_the_figures_and_no_formula(database: Database, tmp_path: Path) -> None:
    _build(database, director_language="ru")
    report, path = _workbook(database, tmp_path)
    workbook = load_workbook(path)
    assert len(workbook.sheetnames) == 9
    summary = workbook.worksheets[0]
    assert summary.cell(4, 2).value == "Октябрь 2026"  # the director's language
    assert summary.cell(4, 3).value == "Сентябрь 2026"
    assert summary.cell(4, 6).value == "Октябрь 2025"
    expected = _expected(MONTH)
    previous = _expected(date(2026, 9, 1))
    for row, key in enumerate(expected, start=5):
        assert summary.cell(row, 2).value == expected[key], key
        assert summary.cell(row, 3).value == previous[key], key
        assert summary.cell(row, 4).value == expected[key] - previous[key], key
        assert summary.cell(row, 2).number_format == "#,##0"
    assert summary.freeze_panes == "A5"
    assert summary.auto_filter.ref == "A4:H11"
    assert any(isinstance(chart, BarChart) for chart in summary._charts)
    per_day = workbook.worksheets[2]
    assert any(isinstance(chart, LineChart) for chart in per_day._charts)
    assert per_day.cell(5, 1).value == datetime(2026, 10, 1)
    assert per_day.cell(5, 1).number_format == "dd.mm.yyyy"  # as Russian dates are written
    acquisitions = workbook.worksheets[6]
    assert acquisitions.cell(5, 1).number_format == "dd.mm.yyyy"
    assert acquisitions.cell(5, 6).number_format == '#,##0.00" ₸"'  # the library's currency
    assert workbook.properties.title == "Ежемесячный отчёт Октябрь 2026"
    # the last band follows the Russian plural rules: 91 → "день"
    assert workbook.worksheets[8].cell(10, 1).value == "91 день и более"
    assert sum(per_day.cell(r, 2).value for r in range(5, 36)) == expected["loans"]
    top = workbook.worksheets[3]
    assert top.cell(5, 1).value == EVIL and top.cell(5, 1).data_type == "s"
    assert top.cell(5, 3).value == 2
    overdue = workbook.worksheets[8]
    assert [overdue.cell(r, 2).value for r in range(5, 11)] == list(report.overdue_bands)
    for sheet in workbook.worksheets:
        values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
        assert not any(key in v for key in MEMBERS for v in values), sheet.title  # no names
        assert sheet.freeze_panes is not None
    # A second look at the file: the XML inside the zip holds no formula at all.
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 9
        for name in sheets:
            xml = archive.read(name).decode()
            assert "<f>" not in xml and "<f " not in xml, name
        top_xml = archive.read("xl/worksheets/sheet4.xml").decode()
        assert '<is><t>=HYPERLINK(' in top_xml  # stored as an inline string, not a formula
    # And a second, independent reader (calamine, as spreadsheet programs read it).
    calamine = CalamineWorkbook.from_path(str(path))
    assert calamine.sheet_names == workbook.sheetnames
    rows = calamine.get_sheet_by_index(0).to_python()
    assert [row[1] for row in rows[4:4 + len(expected)]] == [float(v) for v in expected.values()]
    assert calamine.get_sheet_by_index(3).to_python()[4][0] == EVIL


def test_a_month_without_activity_gives_a_friendly_workbook(
    database: Database, tmp_path: Path
) -> None:
    _build(database)
    report, path = _workbook(database, tmp_path, month=date(2024, 1, 1))
    assert report.is_empty
    workbook = load_workbook(path)
    summary = workbook.worksheets[0]
    assert [summary.cell(r, 2).value for r in range(5, 12)] == [0] * 7
    notes = [str(c.value) for row in summary.iter_rows() for c in row if c.value]
    with language("fr"):  # the director's language of this library
        assert _("No activity was recorded this month.") in notes


def test_a_future_month_is_refused(database: Database) -> None:
    _build(database)
    with database.read() as session, pytest.raises(MonthInFuture) as refused:
        monthly_report(session, LOCAL_ADMIN, month=date(2026, 12, 1), today=TODAY)
    assert refused.value.month == "2026-12"
    with database.read() as session:  # the current month, begun, is allowed
        assert monthly_report(session, LOCAL_ADMIN, month=date(2026, 11, 1), today=TODAY)


def test_an_unwritable_path_leaves_no_file(database: Database, tmp_path: Path) -> None:
    _build(database)
    with database.read() as session:
        report = monthly_report(session, LOCAL_ADMIN, month=MONTH, today=TODAY)
    with pytest.raises(OutputUnwritable):
        write_monthly_workbook(tmp_path / "no" / "such" / "m.xlsx", report,
                               director_language="fr")
    with pytest.raises(UnsupportedReportFormat):
        write_monthly_workbook(tmp_path / "m.ods", report, director_language="fr")
    (tmp_path / "dir.xlsx").mkdir()
    with pytest.raises(OutputUnwritable):
        write_monthly_workbook(tmp_path / "dir.xlsx", report, director_language="fr")
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".xlsx", ".ods") and p.is_file()]


def test_month_boundaries_are_local_midnights() -> None:
    span = month_span(date(2026, 10, 17), ALMATY)
    assert span.start == utc("2026-09-30 19:00") and span.end == utc("2026-10-31 19:00")
    assert (span.first, span.last) == (date(2026, 10, 1), date(2026, 10, 31))
    # Almaty moved from UTC+6 to UTC+5 on 1 March 2024.
    assert month_span(date(2024, 1, 1), ALMATY).start == utc("2023-12-31 18:00")


def test_loans_per_day_in_a_zone_not_whole_hours_from_utc(database: Database) -> None:
    _build(database)
    with database.write() as session:
        save_library_settings(session, LibrarySettings(
            name="Médiathèque AF Katmandou", code="NP-KTM", country="NP",
            timezone="Asia/Kathmandu"))  # UTC+5:45
    kathmandu = ZoneInfo("Asia/Kathmandu")
    with database.read() as session:
        report = monthly_report(session, LOCAL_ADMIN, month=MONTH, today=TODAY)
    expected = Counter(s.at.astimezone(kathmandu).date() for s in LOANS
                       if s.at.astimezone(kathmandu).strftime("%Y-%m") == "2026-10")
    assert {day: n for day, n in report.loans_per_day if n} == dict(expected)
    assert report.summary.loans == sum(expected.values())

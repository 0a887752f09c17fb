"""The overdue list, notice levels, recording notices once, and the spreadsheet exports."""

from __future__ import annotations

import csv
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from mediatheque.db import Database
from mediatheque.errors import (
    InvalidValue,
    OutputUnwritable,
    PermissionDenied,
    UnsupportedReportFormat,
)
from mediatheque.i18n import language
from mediatheque.models import AuditEntry, NoticeSent
from mediatheque.permissions import LOCAL_ADMIN, Actor
from mediatheque.reports.notice_settings import (
    NoticeSettings,
    load_notice_settings,
    save_notice_settings,
)
from mediatheque.reports.notices import plan_notices, record_notices
from mediatheque.reports.overdue import OverdueFilter, member_blocked_by_notices, overdue_list
from mediatheque.reports.overdue_export import default_overdue_name, export_overdue
from mediatheque.reports.rules import LATE_BANDS, days_late, late_band, level_reached, level_to_send
from mediatheque.reports.sending import count_notices_due, send_notices
from tests.core.reports_world import World

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


# ---- pure rules -----------------------------------------------------------------------


@pytest.mark.parametrize(("late", "expected"), [
    (0, 0), (1, 0), (6, 0), (7, 1), (20, 1), (21, 2), (44, 2), (45, 3), (400, 3)])
def test_level_reached_follows_the_delays(late: int, expected: int) -> None:
    assert level_reached(late, (7, 21, 45)) == expected


def test_level_reached_with_fewer_levels() -> None:
    assert [level_reached(n, (10,)) for n in (9, 10, 99)] == [0, 1, 1]
    assert [level_reached(n, (5, 15)) for n in (4, 5, 15, 60)] == [0, 1, 2, 2]


def test_level_to_send_every_combination() -> None:
    for reached in range(4):
        for sent in range(4):
            expected = reached if reached > sent else 0
            assert level_to_send(reached, sent) == expected


def test_days_late_and_bands() -> None:
    assert days_late(date(2026, 11, 20), TODAY) == 0
    assert days_late(date(2026, 11, 25), TODAY) == 0
    assert days_late(date(2026, 11, 19), TODAY) == 1
    covered = [late_band(n) for n in range(1, 400)]
    assert covered == sorted(covered)  # bands are contiguous and ordered
    for index, (low, high) in enumerate(LATE_BANDS):
        assert late_band(low) == index
        if high is not None:
            assert late_band(high) == index
    with pytest.raises(ValueError, match="0"):
        late_band(0)


# ---- settings -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [
    {"levels": 0}, {"levels": 4}, {"delay_1": 0}, {"delay_2": 7}, {"delay_3": 10},
    {"smtp_security": "tls13"}, {"smtp_port": 0}, {"smtp_from": "not an address"},
    {"smtp_timeout": 0},
])
def test_bad_notice_settings_are_refused_and_not_stored(database: Database, bad: dict) -> None:
    with database.write() as session, pytest.raises(InvalidValue):
        save_notice_settings(session, NoticeSettings(**bad))
    with database.read() as session:
        assert load_notice_settings(session) == NoticeSettings()


def test_notice_settings_round_trip(database: Database) -> None:
    settings = NoticeSettings(levels=2, delay_1=10, delay_2=30, text_kk="Құрметті оқырман",
                              smtp_host="mail.example.kz", smtp_from="biblio@af.kz")
    with database.write() as session:
        save_notice_settings(session, settings)
    with database.read() as session:
        loaded = load_notice_settings(session)
    assert loaded == settings
    assert loaded.delays == (10, 30)
    assert loaded.mail_configured


# ---- the list -------------------------------------------------------------------------


def _three_members(database: Database) -> dict[str, int]:
    with database.write() as session:
        world = World(session)
        world.library()
        adults = world.category("adult", "Adults")
        students = world.category("student", "Students")
        ids = {
            "adults": adults, "students": students,
            "zh": world.member(adults, first="Жанар", last="Ахметова", lang="ru",
                               email="zhanar@example.kz"),
            "al": world.member(students, first="Alice", last="Bernard", lang="fr"),
            "ok": world.member(adults, first="Ok", last="Ontime"),
        }
        ids["zh_1"] = world.borrowed(ids["zh"], "Абай жолы", due=TODAY - timedelta(days=50))
        ids["zh_2"] = world.borrowed(ids["zh"], "Le Petit Prince", due=TODAY - timedelta(days=8),
                                     media="dvd")
        ids["al_1"] = world.borrowed(ids["al"], "Alter ego+ A1", due=TODAY - timedelta(days=3),
                                     media="fle_method")
        ids["ok_1"] = world.borrowed(ids["ok"], "Not late", due=TODAY)  # due today: not late
        returned = world.borrowed(ids["ok"], "Returned", due=TODAY - timedelta(days=30))
        from mediatheque.models import Loan
        loan = session.get(Loan, returned)
        assert loan is not None
        loan.returned_at = NOW - timedelta(days=1)
    return ids


def test_overdue_list_groups_by_member_with_days_late_and_levels(database: Database) -> None:
    ids = _three_members(database)
    with database.read() as session:
        members = overdue_list(session, LOCAL_ADMIN, today=TODAY)
    by_id = {m.member_id: m for m in members}
    assert sorted(by_id) == sorted([ids["zh"], ids["al"]])  # not the member on time
    zhanar, alice = by_id[ids["zh"]], by_id[ids["al"]]
    assert [loan.loan_id for loan in zhanar.loans] == [ids["zh_1"], ids["zh_2"]]
    assert [loan.days_late for loan in zhanar.loans] == [50, 8]
    assert [loan.level_reached for loan in zhanar.loans] == [3, 1]
    assert zhanar.days_late == 50 and zhanar.level_reached == 3 and zhanar.level_sent == 0
    assert zhanar.email == "zhanar@example.kz" and zhanar.language == "ru"
    assert zhanar.category_name == "Adults"
    assert alice.loans[0].days_late == 3 and alice.level_reached == 0 and alice.level_due == 0


def test_overdue_list_filters(database: Database) -> None:
    ids = _three_members(database)
    with database.read() as session:
        def listed(**filters: object) -> list[tuple[int, list[int]]]:
            members = overdue_list(session, LOCAL_ADMIN, today=TODAY,
                                   filters=OverdueFilter(**filters))  # type: ignore[arg-type]
            return sorted((m.member_id, [loan.loan_id for loan in m.loans]) for m in members)

        assert listed(min_days_late=10) == [(ids["zh"], [ids["zh_1"]])]
        assert listed(min_days_late=51) == []
        assert listed(category_ids=(ids["students"],)) == [(ids["al"], [ids["al_1"]])]
        assert listed(media_types=("dvd",)) == [(ids["zh"], [ids["zh_2"]])]
        assert listed(media_types=("dvd", "fle_method"), min_days_late=5) == [
            (ids["zh"], [ids["zh_2"]])]


def test_the_list_needs_the_reports_permission(database: Database) -> None:
    with database.read() as session, pytest.raises(PermissionDenied):
        overdue_list(session, Actor(login="x", role="nobody"), today=TODAY)


def test_blocking_at_the_last_level_is_a_setting(database: Database) -> None:
    ids = _three_members(database)
    with database.write() as session:
        assert member_blocked_by_notices(session, ids["zh"], TODAY)  # 50 days ≥ 45
        assert not member_blocked_by_notices(session, ids["al"], TODAY)
        assert not member_blocked_by_notices(session, ids["zh"], TODAY - timedelta(days=6))
        save_notice_settings(session, NoticeSettings(block_at_last_level=False))
    with database.read() as session:
        assert not member_blocked_by_notices(session, ids["zh"], TODAY)


# ---- notices sent once ----------------------------------------------------------------


def test_nobody_gets_the_same_notice_twice(database: Database, tmp_path: Path) -> None:
    ids = _three_members(database)
    assert count_notices_due(database, LOCAL_ADMIN, today=TODAY).letters == 1
    first = send_notices(database, LOCAL_ADMIN, today=TODAY, now=NOW,
                         letters_path=tmp_path / "letters.pdf")
    assert (first.letters, first.emails, first.failed) == (1, 0, ())  # no SMTP: a letter
    assert (tmp_path / "letters.pdf").read_bytes().startswith(b"%PDF")
    with database.read() as session:
        rows = session.execute(select(NoticeSent.loan_id, NoticeSent.level, NoticeSent.channel)
                               .order_by(NoticeSent.loan_id)).all()
        assert rows == [(ids["zh_1"], 3, "letter"), (ids["zh_2"], 1, "letter")]
        members = overdue_list(session, LOCAL_ADMIN, today=TODAY)
        assert plan_notices(members, load_notice_settings(session)) == []
        audit = session.execute(select(AuditEntry).where(AuditEntry.action == "notice_sent")
                                ).scalars().all()
        assert [(a.entity, a.entity_id) for a in audit] == [("member", str(ids["zh"]))]
        details = json.loads(audit[0].details)
        assert details == {"level": 3, "channel": "letter",
                           "loans": sorted([ids["zh_1"], ids["zh_2"]])}
        assert "Ахметова" not in audit[0].details and "zhanar" not in audit[0].details
    # Same day again: nothing new, no file written.
    again = send_notices(database, LOCAL_ADMIN, today=TODAY, now=NOW,
                         letters_path=tmp_path / "again.pdf")
    assert (again.letters, again.emails) == (0, 0)
    assert not (tmp_path / "again.pdf").exists()
    # 14 days later the DVD reaches level 2, Alice and the member then on time level 1.
    later = TODAY + timedelta(days=14)
    third = send_notices(database, LOCAL_ADMIN, today=later, now=NOW + timedelta(days=14),
                         letters_path=tmp_path / "later.pdf")
    assert third.letters == 3
    with database.read() as session:
        levels = dict(session.execute(
            select(NoticeSent.loan_id, func.max(NoticeSent.level)).group_by(NoticeSent.loan_id)
        ).all())
    assert levels == {ids["zh_1"]: 3, ids["zh_2"]: 2, ids["al_1"]: 1, ids["ok_1"]: 1}


def test_recording_a_notice_twice_adds_nothing(database: Database) -> None:
    _three_members(database)
    with database.write() as session:
        members = overdue_list(session, LOCAL_ADMIN, today=TODAY)
        plan = plan_notices(members, load_notice_settings(session))
        assert record_notices(session, LOCAL_ADMIN, plan, now=NOW) == 1
        assert record_notices(session, LOCAL_ADMIN, plan, now=NOW) == 0
        assert session.scalar(select(func.count()).select_from(NoticeSent)) == 2


def test_letters_are_required_a_path(database: Database) -> None:
    _three_members(database)
    with pytest.raises(InvalidValue):
        send_notices(database, LOCAL_ADMIN, today=TODAY, now=NOW, letters_path=None)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(NoticeSent)) == 0


def test_unwritable_letters_record_nothing(database: Database, tmp_path: Path) -> None:
    _three_members(database)
    with pytest.raises(OutputUnwritable):
        send_notices(database, LOCAL_ADMIN, today=TODAY, now=NOW,
                     letters_path=tmp_path / "missing" / "letters.pdf")
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(NoticeSent)) == 0


# ---- exports --------------------------------------------------------------------------


def _injected(database: Database) -> None:
    with database.write() as session:
        world = World(session)
        category = world.category("adult", "=HYPERLINK(\"x\")")
        member = world.member(category, first="@SUM(1)", last="=1+2", email="-x@example.kz")
        world.borrowed(member, "=cmd|' /C calc'!A0", due=TODAY - timedelta(days=9))
        world.borrowed(member, "+Қазақ тілі", due=TODAY - timedelta(days=2))


def test_xlsx_export_keeps_formulas_as_text_and_says_personal_data(
    database: Database, tmp_path: Path
) -> None:
    _injected(database)
    with database.read() as session:
        members = overdue_list(session, LOCAL_ADMIN, today=TODAY)
    with language("en"):
        name = default_overdue_name(TODAY, ".xlsx")
        assert name == "overdue-2026-11-20-personal-data.xlsx"
        path = tmp_path / name
        assert export_overdue(path, members, today=TODAY) == 2
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    assert sheet.title == "Overdue (personal data)"
    assert "personal data" in str(sheet["A2"].value)
    values = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value}
    for text in ("=1+2, @SUM(1)", "=cmd|' /C calc'!A0", "+Қазақ тілі", "-x@example.kz",
                 '=HYPERLINK("x")'):
        assert values[text].data_type == "s", text
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref.startswith("A4:")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_csv_export_has_a_bom_and_guards_formulas(database: Database, tmp_path: Path) -> None:
    _injected(database)
    with database.read() as session:
        members = overdue_list(session, LOCAL_ADMIN, today=TODAY)
    path = tmp_path / default_overdue_name(TODAY, ".csv")
    export_overdue(path, members, today=TODAY)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 3
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=1+2, @SUM(1)" in cells and "'+Қазақ тілі" in cells
    assert "'-x@example.kz" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert "2026-11-11" in cells  # dates as ISO text


def test_exports_refuse_bad_paths_and_leave_nothing(database: Database, tmp_path: Path) -> None:
    _injected(database)
    with database.read() as session:
        members = overdue_list(session, LOCAL_ADMIN, today=TODAY)
    with pytest.raises(UnsupportedReportFormat):
        export_overdue(tmp_path / "list.ods", members, today=TODAY)
    with pytest.raises(OutputUnwritable):
        export_overdue(tmp_path / "nowhere" / "list.xlsx", members, today=TODAY)
    (tmp_path / "taken.csv").mkdir()
    with pytest.raises(OutputUnwritable):
        export_overdue(tmp_path / "taken.csv", members, today=TODAY)
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(OutputUnwritable):
        export_overdue(tmp_path / "a-file" / "list.csv", members, today=TODAY)
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".part")]
    assert not (tmp_path / "list.ods").exists()

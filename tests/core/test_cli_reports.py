"""`report overdue` and `report monthly` from the command line (CLI.md keys)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from mediatheque.cli import main
from mediatheque.db import sqlite_url
from mediatheque.startup import open_database
from tests.core.reports_world import World


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = sqlite_url(tmp_path / "library.db")
    opened = open_database(url, data_dir=tmp_path, now=datetime.now(UTC), busy_timeout=2)
    today = date.today()
    with opened.database.write() as session:
        world = World(session)
        world.library()
        adults = world.category("adult")
        late = world.member(adults, first="Әлия", last="Қасымова", lang="kk")
        world.borrowed(late, "=SUM(A1:A9)", due=today - timedelta(days=30))
        world.borrowed(late, "Абай жолы", due=today - timedelta(days=3))
        other = world.member(world.category("student"), first="Jean", last="Valjean")
        world.borrowed(other, "Les Misérables", due=today - timedelta(days=12), media="dvd")
    opened.database.dispose()
    return url.render_as_string(hide_password=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["--json", *argv])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def test_overdue_list_as_spreadsheets_and_letters(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    code, payload = run(capsys, "--db", db, "report", "overdue", "--out",
                        str(tmp_path / "overdue.xlsx"))
    assert code == 0
    assert payload == {"path": str(tmp_path / "overdue.xlsx"), "loans": 3, "members": 2}
    code, payload = run(capsys, "--db", db, "report", "overdue", "--min-days", "10",
                        "--media", "dvd", "--out", str(tmp_path / "dvd.csv"))
    assert (code, payload["loans"], payload["members"]) == (0, 1, 1)
    assert (tmp_path / "dvd.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    code, payload = run(capsys, "--db", db, "report", "overdue", "--category", "adult",
                        "--out", str(tmp_path / "letters.pdf"))
    assert (code, payload["members"], payload["letters"]) == (0, 1, 1)
    assert (tmp_path / "letters.pdf").read_bytes().startswith(b"%PDF")


def test_send_records_notices_once(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    code, payload = run(capsys, "--db", db, "report", "overdue", "--send", "--out",
                        str(tmp_path / "notices.pdf"))
    assert code == 0
    assert (payload["letters"], payload["emails"], payload["failed"]) == (2, 0, [])
    code, payload = run(capsys, "--db", db, "report", "overdue", "--send", "--out",
                        str(tmp_path / "again.pdf"))
    assert (code, payload["letters"], payload["path"]) == (0, 0, None)
    assert not (tmp_path / "again.pdf").exists()
    code, payload = run(capsys, "--db", db, "report", "overdue", "--send", "--out",
                        str(tmp_path / "list.xlsx"))
    assert (code, payload["error"]) == (1, "unsupported_format")


def test_monthly_workbook(capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    today = date.today()
    month = f"{today:%Y-%m}"
    code, payload = run(capsys, "--db", db, "report", "monthly", "--month", month, "--out",
                        str(tmp_path / "m.xlsx"))
    assert code == 0
    assert payload["path"] == str(tmp_path / "m.xlsx")
    assert set(payload["summary"]) == {"loans", "returns", "renewals", "active_members",
                                       "new_members", "new_copies", "overdue"}
    code, payload = run(capsys, "--db", db, "report", "monthly", "--out", str(tmp_path))
    assert code == 0 and Path(payload["path"]).name.startswith("monthly-")
    following = (today.replace(day=1) + timedelta(days=62)).replace(day=1)  # 2 months on
    code, payload = run(capsys, "--db", db, "report", "monthly", "--month",
                        f"{following:%Y-%m}", "--out", str(tmp_path / "f.xlsx"))
    assert (code, payload["error"]) == (1, "month_in_future")
    code, payload = run(capsys, "--db", db, "report", "monthly", "--month", month, "--out",
                        str(tmp_path / "missing" / "m.xlsx"))
    assert (code, payload["error"]) == (1, "output_unwritable")
    assert not (tmp_path / "f.xlsx").exists()
    assert main(["--db", db, "report", "monthly", "--month", "2026-13", "--out", "x.xlsx"]) == 2

"""`loan`, `return`, `renew`, `hold`, `expire-holds` (CLI.md): JSON keys, exit codes, --at."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mediatheque.cli.context import CommandContext
from mediatheque.db import Database
from mediatheque.models import Loan
from tests.conftest import NOW
from tests.core.circulation_world import World, build_world

cli_main = importlib.import_module("mediatheque.cli.main")


@pytest.fixture
def world(database: Database, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setattr(cli_main, "CommandContext",
                        lambda *args, **kwargs: CommandContext(*args, **{**kwargs, "now": NOW}))
    return build_world(database)


def run(capsys: pytest.CaptureFixture[str], world: World, tmp_path: Path, *argv: str,
        json_output: bool = True) -> tuple[int, Any, str]:
    url = world.database.url.render_as_string(hide_password=False)
    options = ["--db", url, "--data-dir", str(tmp_path / "data"), "--lang", "en"]
    code = cli_main.main([*options, *(["--json"] if json_output else []), *argv])
    captured = capsys.readouterr()
    if json_output:
        lines = captured.out.strip().splitlines()
        assert len(lines) == 1, "--json prints one object and nothing else"
        return code, json.loads(lines[0]), captured.err
    return code, captured.out, captured.err


def test_loan_return_renew_hold_round(capsys: pytest.CaptureFixture[str], world: World,
                                      tmp_path: Path) -> None:
    code, payload, _ = run(capsys, world, tmp_path, "loan", "M-ALICE", "C1", "C3", "NOPE",
                           "--at", "2026-11-11T10:00")  # ten days ago: renewing gives more
    assert code == 0
    assert payload["loans"] == [
        {"copy": "C1", "due": "2026-12-02", "title": "Les Misérables",
         "loan_id": payload["loans"][0]["loan_id"], "overridden": None},
        {"copy": "C3", "due": "2026-12-02", "title": "Germinal",
         "loan_id": payload["loans"][1]["loan_id"], "overridden": None},
    ]
    assert [(r["copy"], r["reason"]) for r in payload["refused"]] == [("NOPE", "unknown_barcode")]

    code, payload, _ = run(capsys, world, tmp_path, "hold", "M-BORIS", str(world.zola))
    assert code == 0 and set(payload) == {"hold_id", "position"} and payload["position"] == 1

    code, payload, _ = run(capsys, world, tmp_path, "renew", "C1", "C3")
    assert code == 0
    assert [r["copy"] for r in payload["renewed"]] == ["C1"]
    assert payload["refused"][0]["copy"] == "C3"
    assert payload["refused"][0]["reason"] == "held_for_other"

    code, payload, _ = run(capsys, world, tmp_path, "return", "C3", "C2")
    assert code == 0
    assert payload["returned"][0] | {} == {
        "copy": "C3", "member": "M-ALICE", "late_days": 0, "hold_for": "M-BORIS",
        "was_on_loan": True, "title": "Germinal", "pickup_by": "2026-11-28",
    }
    assert payload["returned"][1]["was_on_loan"] is False
    assert payload["returned"][1]["member"] is None


def test_everything_refused_exits_1_with_the_reason(capsys: pytest.CaptureFixture[str],
                                                    world: World, tmp_path: Path) -> None:
    run(capsys, world, tmp_path, "loan", "M-ALICE", "C1")
    code, payload, err = run(capsys, world, tmp_path, "loan", "M-BORIS", "C1")
    assert code == 1 and payload["loans"] == []
    assert payload["refused"][0]["reason"] == "copy_on_loan"
    assert "already on loan" in err and "C1" in err
    code, payload, _ = run(capsys, world, tmp_path, "return", "XYZ")
    assert code == 1 and payload["refused"] == [{"copy": "XYZ", "reason": "unknown_barcode",
                                                 "barcode": "XYZ"}]


def test_unknown_member_and_replaced_card(capsys: pytest.CaptureFixture[str], world: World,
                                          tmp_path: Path) -> None:
    code, payload, _ = run(capsys, world, tmp_path, "loan", "WHO", "C1")
    assert code == 1 and payload["error"] == "loan_refused"
    assert payload["reason"] == "unknown_member"
    with world.database.read() as session:
        assert session.scalars(select(Loan)).all() == []


def test_at_records_a_paper_loan(capsys: pytest.CaptureFixture[str], world: World,
                                 tmp_path: Path) -> None:
    code, payload, _ = run(capsys, world, tmp_path, "loan", "M-ALICE", "C1",
                           "--at", "2026-10-20T16:00")  # Almaty time
    assert code == 0 and payload["loans"][0]["due"] == "2026-11-10"
    with world.database.read() as session:
        loan = session.scalars(select(Loan)).one()
        assert loan.loaned_at.isoformat() == "2026-10-20T11:00:00+00:00"
        assert loan.recorded_at == NOW
    code, payload, _ = run(capsys, world, tmp_path, "return", "C1",
                           "--at", "2026-11-12T10:00+05:00")
    assert code == 0 and payload["returned"][0]["late_days"] == 2


def test_bad_at_values(capsys: pytest.CaptureFixture[str], world: World,
                       tmp_path: Path) -> None:
    code, payload, _ = run(capsys, world, tmp_path, "loan", "M-ALICE", "C1",
                           "--at", "2027-01-01T10:00")
    assert code == 1 and payload["error"] == "invalid_value" and payload["field"] == "at"
    code, _out, err = run(capsys, world, tmp_path, "loan", "M-ALICE", "C1", "--at", "yesterday",
                          json_output=False)
    assert code == 2 and "--at" in err


def test_text_output_and_renew_all(capsys: pytest.CaptureFixture[str], world: World,
                                   tmp_path: Path) -> None:
    code, out, _ = run(capsys, world, tmp_path, "loan", "M-ALICE", "C1", json_output=False)
    # the due date as the reader writes it (the CLI speaks English here), not ISO
    assert code == 0 and "Lent C1" in out and "12 December 2026" in out
    code, payload, _ = run(capsys, world, tmp_path, "renew", "--member", "M-ALICE")
    # Lent today: a renewal would give no extra day, so none is used up.
    assert code == 1 and payload["refused"][0]["reason"] == "renewal_too_soon"
    code, out, _ = run(capsys, world, tmp_path, "loan", "M-ALICE", "C3", "--at",
                       "2026-11-11T10:00", json_output=False)
    code, payload, _ = run(capsys, world, tmp_path, "renew", "--member", "M-ALICE")
    assert code == 0 and [r["copy"] for r in payload["renewed"]] == ["C3"]
    code, payload, _ = run(capsys, world, tmp_path, "expire-holds")
    assert code == 0 and payload == {"expired": 0}

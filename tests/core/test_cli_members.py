"""`mediatheque members …` (CLI.md): JSON keys, exit codes, reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.test_cli_catalogue import cli


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "data"
    code, _payload, _err = cli(capsys, folder, "init", "--name", "AF Almaty", "--code", "AF-ALA")
    assert code == 0
    return folder


def test_add_show_renew_replace_delete(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, added, _ = cli(capsys, data, "members", "add", "--first", "Айгерим", "--last",
                         "Сейтқали", "--category", "STUDENT", "--email", "a@mail.kz",
                         "--phone", "+7 701 123 45 67", "--lang", "kk")
    assert code == 0 and {"member_id", "barcode"} <= added.keys()
    assert added["duplicates"] == []
    code, again, _ = cli(capsys, data, "members", "add", "--first", "Aigerim", "--last",
                         "Seitkali", "--phone", "87011234567")
    assert code == 0 and again["duplicates"] == [{"member_id": added["member_id"],
                                                  "barcode": added["barcode"]}]
    code, shown, _ = cli(capsys, data, "members", "show", added["barcode"])
    assert code == 0 and {"member", "loans", "holds"} <= shown.keys()
    assert shown["member"]["last_name"] == "Сейтқали" and shown["loans"] == []
    assert shown["member"]["language"] == "kk" and shown["member"]["category"] == "STUDENT"
    code, found, _ = cli(capsys, data, "members", "search", "seitkali")
    assert code == 0 and found["total"] == 2
    code, renewed, _ = cli(capsys, data, "members", "renew", added["barcode"])
    assert code == 0 and renewed["membership_expiry"] > shown["member"]["membership_expiry"]
    code, replaced, _ = cli(capsys, data, "members", "replace-card", added["barcode"])
    assert code == 0 and replaced["barcode"] != added["barcode"]
    code, old, _ = cli(capsys, data, "members", "show", added["barcode"])
    assert code == 0 and old["card_replaced"] is True
    code, gone, _ = cli(capsys, data, "members", "delete", replaced["barcode"])
    assert code == 0 and gone["member_id"] == added["member_id"]
    code, missing, _ = cli(capsys, data, "members", "show", replaced["barcode"])
    assert code == 1 and missing["error"] == "unknown_member"


@pytest.mark.parametrize(("options", "error"), [
    (["--email", "nope"], "invalid_email"), (["--phone", "12"], "invalid_phone"),
    (["--category", "NONE"], "unknown_category"),
    (["--start", "2026-11-21", "--expires", "2026-01-01"], "expiry_before_start"),
])
def test_add_refusals(capsys: pytest.CaptureFixture[str], data: Path, options: list[str],
                      error: str) -> None:
    code, payload, err = cli(capsys, data, "members", "add", "--first", "A", "--last", "B",
                             *options)
    assert code == 1 and payload["error"] == error and err.strip()


def test_import_csv_dry_run(capsys: pytest.CaptureFixture[str], data: Path,
                            tmp_path: Path) -> None:
    path = tmp_path / "class.csv"
    path.write_text("Nom;Prénom;Téléphone\nDupont;Marie;+7 701 000 00 01\nX;;\n",
                    encoding="utf-8")
    code, dry, _ = cli(capsys, data, "members", "import-csv", str(path), "--dry-run")
    assert code == 0 and dry["dry_run"] is True and dry["members_new"] == 1
    assert dry["rejected"] == [{"line": 3, "reason": "missing_name", "detail": "first_name"}]
    code, done, _ = cli(capsys, data, "members", "import-csv", str(path))
    assert code == 0 and done["dry_run"] is False and len(done["member_ids"]) == 1
    code, found, _ = cli(capsys, data, "members", "search", "")
    assert found["total"] == 1

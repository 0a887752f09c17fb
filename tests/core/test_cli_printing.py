"""`mediatheque members cards` and `mediatheque copies labels` (CLI.md): JSON keys, exit
codes, and PDFs whose barcodes decode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mediatheque.cli import main
from mediatheque.selftest import run_self_test
from tests.core.printing_helpers import decoded_texts


def cli(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["--data-dir", str(data), "--json", *argv])
    out = capsys.readouterr().out.strip()
    assert len(out.splitlines()) == 1, "--json prints one object and nothing else"
    return code, json.loads(out)


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "data"
    assert cli(capsys, folder, "init", "--name", "AF Almaty", "--code", "KZ-ALA")[0] == 0
    return folder


def test_members_cards(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> None:
    barcodes = []
    for first, last in (("Әсел", "Қанатқызы"), ("Jean", "Dupont")):
        code, added = cli(capsys, data, "members", "add", "--first", first, "--last", last)
        assert code == 0
        barcodes.append(added["barcode"])
    out = tmp_path / "cards.pdf"
    code, payload = cli(capsys, data, "members", "cards", "--out", str(out), "--layout",
                        "cr80", "--member", *barcodes)
    assert code == 0
    assert payload["path"] == str(out.resolve()) and payload["cards"] == 2
    assert decoded_texts(out.read_bytes(), 203) == sorted(barcodes)
    code, payload = cli(capsys, data, "members", "cards", "--out", str(out), "--layout",
                        "a4", "--all")
    assert code == 0 and payload["cards"] == 2 and payload["pages"] == 1
    code, payload = cli(capsys, data, "members", "cards", "--out", str(out), "--new-since",
                        "2999-01-01")
    assert code == 1 and payload["error"] == "nothing_to_print"
    code, payload = cli(capsys, data, "members", "cards", "--out", str(out), "--member",
                        "NOPE")
    assert code == 1 and payload["error"] == "unknown_barcode"


def test_copies_labels(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> None:
    code, added = cli(capsys, data, "catalogue", "add", "--title", "Абай жолы",
                      "--author", "Мұхтар Әуезов", "--copies", "3")
    assert code == 0
    copies = added["copies"]
    out = tmp_path / "labels.pdf"
    code, payload = cli(capsys, data, "copies", "labels", "--out", str(out), "--copy",
                        *copies[:2], "--start", "24")
    assert code == 0
    assert payload["path"] == str(out.resolve()) and payload["labels"] == 2
    assert payload["pages"] == 2  # position 24 is the last of a 3 × 8 sheet
    assert decoded_texts(out.read_bytes(), 300) == sorted(copies[:2])
    code, payload = cli(capsys, data, "copies", "labels", "--out", str(out), "--since",
                        "2000-01-01")
    assert code == 0 and payload["labels"] == 3
    out.unlink()
    code, payload = cli(capsys, data, "copies", "labels", "--out", str(out), "--copy",
                        copies[0], "--start", "25")
    assert code == 1 and payload["error"] == "label_start_beyond_sheet"
    assert payload["capacity"] == 24
    assert not out.exists()


def test_usage_errors(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> None:
    for argv in (["copies", "labels", "--out", "x.pdf"],
                 ["copies", "labels", "--out", "x.pdf", "--since", "yesterday"],
                 ["members", "cards", "--out", "x.pdf", "--all", "--new-since", "2026-01-01"]):
        assert main(["--data-dir", str(data), *argv]) == 2
        assert "--" in capsys.readouterr().err


def test_self_test_renders_a_card() -> None:
    checks = {check.name: check for check in run_self_test()}
    assert checks["card"].ok, checks["card"].detail

"""`export fm21`, `import FILE [--dry-run] [--reference]`, `reference list|remove`
(CLI.md): JSON keys, reason codes and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mediatheque.cli import main


def cli(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["--data-dir", str(data), "--json", *argv])
    out = capsys.readouterr().out.strip()
    return code, json.loads(out) if out else {}


def test_import_export_and_reference(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                     shared_dir: Path) -> None:
    almaty, astana = tmp_path / "almaty", tmp_path / "astana"
    assert main(["--data-dir", str(almaty), "init", "--name", "AF Almaty",
                 "--code", "KZ-ALA-AF"]) == 0
    capsys.readouterr()
    source = shared_dir / "data" / "unimarc_sciencespo_cotesMEL.mrc"
    code, dry = cli(capsys, almaty, "import", str(source), "--dry-run")
    assert code == 0
    assert {"records_new", "records_matched", "copies_new", "conflicts", "rejected",
            "dry_run"} <= dry.keys()
    assert (dry["records_new"], dry["copies_new"], dry["dry_run"]) == (109, 132, True)
    code, done = cli(capsys, almaty, "import", str(source))
    assert code == 0 and done["records_new"] == 109 and done["dry_run"] is False
    code, exported = cli(capsys, almaty, "export", "fm21", "--out", str(tmp_path / "out"),
                         "--profile", "pmb")
    assert code == 0
    assert {"path", "records", "items", "deleted"} <= exported.keys()
    assert (exported["records"], exported["items"], exported["deleted"]) == (109, 132, 0)
    code, delta = cli(capsys, almaty, "export", "fm21", "--out", str(tmp_path / "delta"),
                      "--since", "2999-01-01T00:00:00Z")
    assert code == 0 and delta["records"] == 0
    assert main(["--data-dir", str(astana), "init", "--name", "AF Astana",
                 "--code", "KZ-AST-AF"]) == 0
    capsys.readouterr()
    code, loaded = cli(capsys, astana, "import", exported["path"], "--reference")
    assert code == 0 and loaded["records"] == 109 and loaded["reference"] == "KZ-ALA-AF"
    code, listed = cli(capsys, astana, "reference", "list")
    assert [c["code"] for c in listed["catalogues"]] == ["KZ-ALA-AF"]
    code, _ = cli(capsys, astana, "reference", "remove", "KZ-ALA-AF")
    assert code == 0
    code, listed = cli(capsys, astana, "reference", "list")
    assert listed["catalogues"] == []


def test_bad_files_give_their_reason(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "init", "--name", "AF", "--code", "KZ-X"]) == 0
    capsys.readouterr()
    bogus = tmp_path / "bogus.fm21.zip"
    bogus.write_bytes(b"PK\x03\x04 nothing")
    code, payload = cli(capsys, data, "import", str(bogus))
    assert code != 0 and payload.get("error") == "bad_package"
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    code, payload = cli(capsys, data, "import", str(text))
    assert code != 0 and payload.get("error") == "unreadable_marc"
    assert main(["--data-dir", str(data), "export", "fm21", "--out", "x", "--since",
                 "yesterday"]) == 2


def test_large_counts_are_grouped_the_language_s_way() -> None:
    from mediatheque.cli.exchange_commands import _import_text
    from mediatheque.exchange.importing import ImportReport
    from mediatheque.formatting import number

    report = ImportReport(source="big.fm21.zip", kind="fm21", records_new=200_000,
                          records_matched=12_345, copies_new=300_000, conflicts=(),
                          rejected=(), duplicates=(), deleted=0, legacy_charset=(),
                          flavours={"UNIMARC": 212_345}, dry_run=False, record_ids=())
    text = _import_text(report)
    assert number(200_000) in text and number(300_000) in text and number(12_345) in text
    assert "200000" not in text and number(200_000) != "200000"


def test_progress_says_a_job_is_done_once_with_grouped_counts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mediatheque.cli.context import CommandContext
    from mediatheque.formatting import number

    context = CommandContext(None, tmp_path, "fr", json=False)
    for done in (0, 12_000, 20_000, 20_000):  # the importer reports its end twice
        context.progress(done, 20_000, "Import")
    lines = [line for line in capsys.readouterr().err.split("\n") if line.strip()]
    assert lines == [f"\rImport 100% ({number(20_000)}/{number(20_000)})"]

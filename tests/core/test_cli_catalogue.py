"""`mediatheque catalogue …` (CLI.md): JSON keys, exit codes and reasons. Lookups go to a
stub HTTP server through the MEDIATHEQUE_PROVIDER_* variables, never to the internet."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from mediatheque.catalogue import search as search_module
from mediatheque.cli import main
from mediatheque.i18n import ngettext
from tests.stub_http import Canned, StubServer, serve_recorded_providers

VERNE = "9782360581115"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code = main(list(argv))
    captured = capsys.readouterr()
    out = captured.out.strip()
    if "--json" in argv and out:
        assert len(out.splitlines()) == 1, "--json prints one object and nothing else"
        return code, json.loads(out), captured.err
    return code, {}, captured.err + captured.out


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def providers(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StubServer]:
    with StubServer() as stub:
        serve_recorded_providers(stub, shared_dir)
        monkeypatch.setenv("MEDIATHEQUE_PROVIDER_BNF", f"{stub.url}/bnf/api/SRU")
        monkeypatch.setenv("MEDIATHEQUE_PROVIDER_OPENLIBRARY", f"{stub.url}/ol")
        monkeypatch.setenv("MEDIATHEQUE_PROVIDER_GOOGLE", f"{stub.url}/google/books/v1")
        yield stub


def cli(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    return run(capsys, "--data-dir", str(data), "--json", *argv)


def test_add_without_isbn(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, payload, _ = cli(capsys, data, "catalogue", "add", "--title", "Les Misérables",
                           "--author", "Victor Hugo", "--year", "1862", "--language", "fr",
                           "--copies", "2")
    assert code == 0
    assert {"record_id", "title", "copies", "pending_lookup"} <= payload.keys()
    assert payload["title"] == "Les Misérables" and len(payload["copies"]) == 2
    assert payload["pending_lookup"] is False and payload["duplicates"] == []
    code, again, _ = cli(capsys, data, "catalogue", "add", "--title", "les miserables",
                         "--author", "Hugo, Victor", "--year", "1862")
    assert code == 0 and len(again["copies"]) == 1
    assert again["duplicates"] == [{"record_id": payload["record_id"],
                                    "title": "Les Misérables",
                                    "reason": "title_author_year"}]
    code, shown, _ = cli(capsys, data, "catalogue", "show", str(payload["record_id"]))
    assert code == 0 and len(shown["copies"]) == 2 and "record" in shown


def test_add_by_isbn_found_offline_and_held(capsys: pytest.CaptureFixture[str], data: Path,
                                            providers: StubServer) -> None:
    code, found, _ = cli(capsys, data, "catalogue", "add", "978-2-36058-111-5")
    assert code == 0
    assert found["title"] == "L'archipel en feu" and found["pending_lookup"] is False
    assert found["existing"] is False and len(found["copies"]) == 1

    code, held, _ = cli(capsys, data, "catalogue", "add", VERNE)
    assert code == 0 and held["existing"] is True and held["copies"] == []
    assert held["record_id"] == found["record_id"]
    code, more, _ = cli(capsys, data, "catalogue", "add", VERNE, "--copies", "2")
    assert code == 0 and more["existing"] is True and len(more["copies"]) == 2

    code, queued, _ = cli(capsys, data, "catalogue", "add", "9780306406157", "--offline")
    assert code == 0 and queued["pending_lookup"] is True
    assert queued["title"] == "978-0-306-40615-7"

    code, search, _ = cli(capsys, data, "catalogue", "search", "archipel")
    assert code == 0 and search["total"] == 1
    assert search["results"][0]["copies"] == 3

    code, done, _ = cli(capsys, data, "catalogue", "complete-pending")
    assert code == 0
    assert (done["completed"], done["still_pending"]) == (0, 0)  # nobody knows that ISBN
    assert done["not_found"] == 1


def test_complete_pending_after_being_offline(capsys: pytest.CaptureFixture[str], data: Path,
                                              providers: StubServer) -> None:
    cli(capsys, data, "catalogue", "add", VERNE, "--offline")
    code, done, _ = cli(capsys, data, "catalogue", "complete-pending")
    assert code == 0 and (done["completed"], done["still_pending"]) == (1, 0)
    code, found, _ = cli(capsys, data, "catalogue", "search", "archipel")
    assert found["total"] == 1


def test_a_failing_network_queues(capsys: pytest.CaptureFixture[str], data: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with StubServer() as stub:
        stub.add("/bnf/api/SRU", Canned(status=503))
        stub.add("/ol/api/books", Canned(status=503))
        stub.add("/google/books/v1/volumes", Canned(status=503))
        for name, path in (("BNF", "/bnf/api/SRU"), ("OPENLIBRARY", "/ol"),
                           ("GOOGLE", "/google/books/v1")):
            monkeypatch.setenv(f"MEDIATHEQUE_PROVIDER_{name}", stub.url + path)
        code, payload, _ = cli(capsys, data, "catalogue", "add", VERNE)
        assert code == 0 and payload["pending_lookup"] is True
        code, done, _ = cli(capsys, data, "catalogue", "complete-pending")
        assert code == 0 and (done["completed"], done["still_pending"]) == (0, 1)


def test_refusals(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, payload, err = cli(capsys, data, "catalogue", "add", "978-2-36058-111-6")
    assert code == 1 and payload["error"] == "invalid_isbn"
    assert payload["suggestion"] == VERNE and err.strip()
    code, payload, _ = cli(capsys, data, "catalogue", "add", "--title", "X",
                           "--language", "klingon")
    assert code == 1 and payload["error"] == "invalid_value"
    code, payload, _ = cli(capsys, data, "catalogue", "show", "999")
    assert code == 1 and payload["error"] == "unknown_record"


@pytest.mark.parametrize("argv", [
    ("catalogue",),
    ("catalogue", "add"),
    ("catalogue", "add", VERNE, "--title", "X"),
    ("catalogue", "add", VERNE, "--copies", "0"),
    ("catalogue", "add", "--title", "X", "--year", "soon"),
    ("catalogue", "import-csv"),
    ("catalogue", "import-csv", "f.csv", "--map", "no-equals-sign"),
])
def test_usage_errors(capsys: pytest.CaptureFixture[str], data: Path,
                      argv: tuple[str, ...]) -> None:
    code, _, err = run(capsys, "--data-dir", str(data), *argv)
    assert code == 2 and "usage" in err


def test_import_csv(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> None:
    path = tmp_path / "fonds.csv"
    path.write_text("Titre;Auteur;ISBN;Année;Code-barres\n"
                    "Les Misérables;Victor Hugo;9782070409228;1995;AF-1\n"
                    "Trop;de;cellules;ici;AF-2;x\n"
                    "Les Misérables;Victor Hugo;9782070409228;1995;AF-3\n", encoding="utf-8")
    code, dry, _ = cli(capsys, data, "catalogue", "import-csv", str(path), "--dry-run")
    assert code == 0
    assert {"records_new", "records_matched", "copies_new", "rejected", "dry_run"} <= dry.keys()
    assert (dry["records_new"], dry["records_matched"], dry["copies_new"]) == (1, 1, 2)
    assert dry["rejected"] == [{"line": 3, "reason": "wrong_column_count", "detail": "6/5"}]
    assert dry["dry_run"] is True
    code, search, _ = cli(capsys, data, "catalogue", "search", "miserables")
    assert search["total"] == 0
    code, real, _ = cli(capsys, data, "catalogue", "import-csv", str(path))
    assert code == 0 and real["dry_run"] is False
    assert {k: real[k] for k in ("records_new", "records_matched", "copies_new", "rejected")
            } == {k: dry[k] for k in ("records_new", "records_matched", "copies_new",
                                      "rejected")}
    code, search, _ = cli(capsys, data, "catalogue", "search", "miserables")
    assert search["total"] == 1 and search["results"][0]["copies"] == 2


def test_import_csv_map_and_human_output(capsys: pytest.CaptureFixture[str], data: Path,
                                         tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Name,Writer\nDune,Frank Herbert\n,Nobody\n", encoding="utf-8")
    code, _, out = run(capsys, "--data-dir", str(data), "--lang", "en", "catalogue",
                       "import-csv", str(path), "--map", "Name=title", "--map",
                       "Writer=authors", "--copies", "1")
    assert code == 0
    assert "1 new records" in out and "line 3" in out
    code, payload, _ = cli(capsys, data, "catalogue", "import-csv", str(path),
                           "--map", "Name=colour")
    assert code == 1 and payload["error"] == "invalid_value"


def test_import_csv_unusable_files(capsys: pytest.CaptureFixture[str], data: Path,
                                   tmp_path: Path) -> None:
    code, payload, _ = cli(capsys, data, "catalogue", "import-csv", str(tmp_path / "no.csv"))
    assert code == 1 and payload["error"] == "unreadable_csv" and payload["problem"] == "missing"
    binary = tmp_path / "catalogue.xlsx"
    binary.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)))
    code, payload, _ = cli(capsys, data, "catalogue", "import-csv", str(binary))
    assert code == 1 and payload["problem"] == "binary"


def test_search_says_when_counting_stopped(capsys: pytest.CaptureFixture[str], data: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    for title in ("Contes du lundi", "Contes de Perrault", "Contes russes"):
        assert cli(capsys, data, "catalogue", "add", "--title", title)[0] == 0
    code, found, _ = cli(capsys, data, "catalogue", "search", "contes")
    assert code == 0 and (found["total"], found["total_exact"]) == (3, True)
    monkeypatch.setattr(search_module, "COUNT_LIMIT", 2)
    code, found, _ = cli(capsys, data, "catalogue", "search", "contes", "--limit", "1")
    assert code == 0 and (found["total"], found["total_exact"]) == (2, False)
    assert len(found["results"]) == 1
    code, found, _ = cli(capsys, data, "catalogue", "search", "contes", "--limit", "3")
    assert code == 0 and (found["total"], found["total_exact"]) == (3, True)  # the page
    code, _, text = run(capsys, "--data-dir", str(data), "catalogue", "search", "contes",
                        "--limit", "1")
    assert code == 0
    assert ngettext("More than {n} record found", "More than {n} records found", 2).format(
        n=2) in text

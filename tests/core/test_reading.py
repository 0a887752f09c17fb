"""Reading one record with its copies (detail pane, `catalogue show`), and the two
read-only catalogue commands, `catalogue show` and `catalogue search`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from mediatheque.catalogue.metadata import Person
from mediatheque.catalogue.reading import detail_json, record_cover, record_detail
from mediatheque.cli import main
from mediatheque.db import Database
from mediatheque.errors import UnknownRecord
from mediatheque.models import Contribution, Contributor, PendingLookup, RecordCover
from mediatheque.models.vocabulary import ContributorRole
from tests.conftest import NOW
from tests.core.test_search import _catalogue


@pytest.fixture
def catalogue(database: Database) -> tuple[Database, dict[str, int]]:
    with database.write() as session:
        ids = _catalogue(session)
    return database, ids


def test_a_record_with_its_copies(catalogue: tuple[Database, dict[str, int]]) -> None:
    database, ids = catalogue
    with database.read() as session:
        detail = record_detail(session, ids["miserables"])
    assert (detail.title, detail.year, detail.isbn13) == ("Les Misérables", 1862,
                                                          "9782070409228")
    assert detail.contributors == (Person("Hugo", "Victor", role=ContributorRole.AUTHOR),)
    assert detail.languages == ("fre",)
    assert detail.subjects == ("Paris -- Romans",)
    assert (detail.has_cover, detail.pending_lookup) == (False, False)
    on_shelf, lent = detail.copies
    assert (on_shelf.on_loan, on_shelf.due_on, on_shelf.status) == (False, None, "available")
    assert (lent.on_loan, lent.due_on) == (True, date(2026, 12, 12))
    assert (lent.location, lent.location_label) == ("ADU", "Adultes")
    assert on_shelf.barcode < lent.barcode


def test_lost_and_repaired_copies_keep_their_status(
        catalogue: tuple[Database, dict[str, int]]) -> None:
    database, ids = catalogue
    with database.read() as session:
        (lost,) = record_detail(session, ids["notre_dame"]).copies
        statuses = [c.status for c in record_detail(session, ids["medecine"]).copies]
    assert (lost.status, lost.on_loan) == ("lost", False)
    assert statuses == ["available", "repair"]


def test_contributors_in_order_with_roles(catalogue: tuple[Database, dict[str, int]]) -> None:
    database, ids = catalogue
    with database.write() as session:
        translator = Contributor(surname="Вольфсон", forenames="Нора")
        session.add(translator)
        session.flush()
        session.add(Contribution(record_id=ids["bilingual"], position=1,
                                 contributor_id=translator.id,
                                 role=ContributorRole.TRANSLATOR))
        session.add(PendingLookup(record_id=ids["bilingual"], isbn13="9782070409228",
                                  queued_at=NOW))
        session.add(RecordCover(record_id=ids["bilingual"], mime_type="image/jpeg",
                                data=b"\xff\xd8\xff jpeg"))
    with database.read() as session:
        detail = record_detail(session, ids["bilingual"])
        cover = record_cover(session, ids["bilingual"])
        no_cover = record_cover(session, ids["tolstoy"])
    assert [(p.surname, p.role) for p in detail.contributors] == [
        ("Pouchkine", ContributorRole.AUTHOR), ("Вольфсон", ContributorRole.TRANSLATOR)]
    assert detail.languages == ("rus", "fre")
    assert (detail.has_cover, detail.pending_lookup) == (True, True)
    assert cover == (b"\xff\xd8\xff jpeg", "image/jpeg")
    assert no_cover is None


def test_an_unknown_record(catalogue: tuple[Database, dict[str, int]]) -> None:
    database, _ = catalogue
    with database.read() as session, pytest.raises(UnknownRecord) as caught:
        record_detail(session, 999_999)
    assert caught.value.details() == {"record_id": 999_999}


def test_json_is_ready_to_print(catalogue: tuple[Database, dict[str, int]]) -> None:
    database, ids = catalogue
    with database.read() as session:
        payload = detail_json(record_detail(session, ids["qara"]))
    text = json.dumps(payload, ensure_ascii=False)
    assert "Қара сөздер" in text
    assert payload["record"]["contributors"][0]["surname"] == "Құнанбайұлы"
    assert payload["copies"][0]["due_on"] == "2026-12-12"
    assert payload["record"]["created_at"].startswith("2026-11-21T09:30")


# The commands, on a small demo library.

def _run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    assert main(["--data-dir", str(data), "--json", "demo", "--records", "300",
                 "--members", "30", "--loans", "200"]) == 0
    return data


def test_search_command_json(capsys: pytest.CaptureFixture[str], demo_dir: Path) -> None:
    code, out, _ = _run(capsys, demo_dir, "--json", "catalogue", "search", "", "--limit", "5")
    assert code == 0
    payload = json.loads(out)
    assert payload["total"] == 300
    assert len(payload["results"]) == 5
    assert set(payload["results"][0]) >= {"record_id", "title", "authors", "year", "isbn",
                                          "copies", "available"}
    word = payload["results"][0]["title"].split()[0]
    code, out, _ = _run(capsys, demo_dir, "--json", "catalogue", "search", word[:4],
                        "--available", "--media", "book", "--limit", "3", "--offset", "1")
    assert code == 0
    found = json.loads(out)
    assert all(result["available"] >= 1 for result in found["results"])
    assert found["total"] <= payload["total"]


def test_search_command_text(capsys: pytest.CaptureFixture[str], demo_dir: Path) -> None:
    code, out, _ = _run(capsys, demo_dir, "--lang", "en", "catalogue", "search", 'NEAR( "*',
                        "--language", "fre")
    assert code == 0
    assert "found" in out.splitlines()[0]


def test_search_command_refuses_bad_options(capsys: pytest.CaptureFixture[str],
                                            demo_dir: Path) -> None:
    for options in (["--limit", "0"], ["--limit", "x"], ["--offset", "-1"],
                    ["--media", "scroll"]):
        code, _, err = _run(capsys, demo_dir, "catalogue", "search", "a", *options)
        assert code == 2, options
        assert err


def test_show_command(capsys: pytest.CaptureFixture[str], demo_dir: Path) -> None:
    code, out, _ = _run(capsys, demo_dir, "--json", "catalogue", "search", "", "--limit", "1")
    record_id = json.loads(out)["results"][0]["record_id"]
    code, out, _ = _run(capsys, demo_dir, "--json", "catalogue", "show", str(record_id))
    assert code == 0
    payload = json.loads(out)
    assert payload["record"]["record_id"] == record_id
    assert payload["copies"] and {"barcode", "status", "on_loan", "due_on"} <= set(
        payload["copies"][0])
    code, out, _ = _run(capsys, demo_dir, "--lang", "en", "catalogue", "show", str(record_id))
    assert code == 0
    assert payload["record"]["title"] in out
    assert payload["copies"][0]["barcode"] in out


def test_show_command_unknown_record(capsys: pytest.CaptureFixture[str],
                                     demo_dir: Path) -> None:
    code, out, err = _run(capsys, demo_dir, "--json", "catalogue", "show", "999999")
    assert code == 1
    assert json.loads(out)["error"] == "unknown_record"
    assert err.strip()
    code, _, _ = _run(capsys, demo_dir, "catalogue", "show", "abc")
    assert code == 2


def test_show_and_search_agree_on_copies(capsys: pytest.CaptureFixture[str],
                                         demo_dir: Path) -> None:
    _, out, _ = _run(capsys, demo_dir, "--json", "catalogue", "search", "",
                     "--limit", "20")
    for result in json.loads(out)["results"]:
        _, shown, _ = _run(capsys, demo_dir, "--json", "catalogue", "show",
                           str(result["record_id"]))
        copies = json.loads(shown)["copies"]
        assert len(copies) == result["copies"]
        assert sum(c["status"] == "available" and not c["on_loan"] for c in copies) == \
            result["available"]

"""Spreadsheet import: the real, dirty goodreads file, encodings and delimiters, column
names in three languages, duplicates, dry runs and cancellation."""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediatheque.catalogue.copies import CopyInput, add_copies
from mediatheque.catalogue.csv_columns import (
    field_for_header,
    language_code,
    parse_person,
    parse_year,
    split_people,
)
from mediatheque.catalogue.csv_import import (
    CsvImportReport,
    CsvPlan,
    import_catalogue_csv,
    read_catalogue_csv,
)
from mediatheque.catalogue.metadata import Person
from mediatheque.catalogue.records import RecordInput, create_record
from mediatheque.catalogue.search import search_records
from mediatheque.db import Database
from mediatheque.errors import ImportCancelled, InvalidValue, UnreadableCsv
from mediatheque.models import (
    Contribution,
    Contributor,
    Copy,
    Location,
    Record,
    RecordLanguage,
)
from mediatheque.permissions import LOCAL_ADMIN
from tests.conftest import NOW
from tests.core.search_helpers import assert_indexed_as_a_rebuild_would

GOODREADS_MALFORMED = [3350, 4704, 5879, 8981]  # an unquoted comma in the authors


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def run(database: Database, plan: CsvPlan, *, dry_run: bool = False) -> CsvImportReport:
    with database.write() as session:
        return import_catalogue_csv(session, LOCAL_ADMIN, plan, dry_run=dry_run, now=NOW)


def test_goodreads(database: Database, shared_dir: Path) -> None:
    path = shared_dir / "data" / "goodreads_books.csv"
    plan = read_catalogue_csv(path, latest_year=2027)
    assert (plan.encoding, plan.delimiter) == ("utf-8", ",")
    assert plan.columns["language_code"] == "language"
    assert plan.columns["publication_date"] == "year"
    assert "average_rating" in plan.ignored

    dry = run(database, plan, dry_run=True)
    with database.read() as session:
        assert count(session, Record) == 0 and count(session, Contributor) == 0
    real = run(database, plan)
    assert (dry.records_new, dry.records_matched, dry.copies_new, dry.rejected) == (
        real.records_new, real.records_matched, real.copies_new, real.rejected)
    assert dry.dry_run and not real.dry_run
    assert [(issue.line, issue.reason) for issue in real.rejected] == [
        (line, "wrong_column_count") for line in GOODREADS_MALFORMED]
    assert real.records_new == 11127 - len(GOODREADS_MALFORMED)
    assert real.records_matched == 0 and real.copies_new == 0
    assert (1034, "invalid_isbn") in [(w.line, w.reason) for w in real.warnings]

    with database.read() as session:
        assert count(session, Record) == real.records_new
        upc = session.execute(select(Record.ean, Record.isbn13).where(Record.ean.is_not(None))
                              ).all()
        # The isbn13 column of 25 rows holds a UPC/EAN (0785342303476…): kept as EAN,
        # never as ISBN; their valid ISBN-10 column gives the ISBN.
        assert len(upc) == 25
        assert all(not ean.startswith(("978", "979")) for ean, _ in upc)
        assert all(isbn is None or isbn.startswith("978") for _, isbn in upc)
        assert ("0785342303476", "9780321303479") in upc
        assert session.scalar(select(func.count()).select_from(Record).where(
            Record.isbn13.like("0%"))) == 0
        potter = session.scalars(select(Record).where(Record.isbn13 == "9780439785969")).one()
        assert potter.year == 2006 and potter.extent == "652 p."
        assert [(c.contributor.surname, c.contributor.forenames)
                for c in potter.contributions] == [("Rowling", "J.K."), ("GrandPré", "Mary")]
        languages = set(session.scalars(select(RecordLanguage.code).distinct()))
        assert {"eng", "fre", "spa", "ger"} <= languages
        assert not any("-" in code for code in languages)
        assert search_records(session, "half blood prince rowling").total >= 1

    assert_indexed_as_a_rebuild_would(database)
    again = run(database, read_catalogue_csv(path, latest_year=2027))
    assert (again.records_new, again.records_matched) == (0, real.records_new)


def test_french_headers_semicolons_cp1251_and_cyrillic(database: Database,
                                                       tmp_path: Path) -> None:
    text = ("Titre;Auteurs;ISBN;Editeur;Annee;Langue;Exemplaires;Cote\r\n"
            "Война и мир;Толстой Лев Николаевич;978-5-17-090335-1;АСТ;2015;русский;2;\r\n"
            "Путь Абая;Мухтар Ауэзов;;Жазушы;1997;kaz;1;КАЗ АУЭ\r\n")
    path = tmp_path / "catalogue.csv"  # Windows-1251 has no Kazakh letters
    path.write_bytes(text.encode("cp1251"))
    plan = read_catalogue_csv(path)
    assert (plan.encoding, plan.delimiter) == ("cp1251", ";")
    assert set(plan.columns.values()) == {"title", "authors", "isbn", "publisher", "year",
                                          "language", "copies", "call_number"}
    report = run(database, plan)
    assert (report.records_new, report.copies_new, report.rejected) == (2, 3, ())
    with database.read() as session:
        war = session.scalars(select(Record).where(Record.title == "Война и мир")).one()
        assert war.isbn13 == "9785170903351" and war.publisher == "АСТ"
        person = war.contributions[0].contributor
        assert (person.surname, person.forenames) == ("Толстой", "Лев Николаевич")
        assert [lang.code for lang in war.languages] == ["rus"]
        calls = sorted(session.scalars(select(Copy.call_number)))
        assert calls == sorted(["ТОЛ", "ТОЛ", "КАЗ АУЭ"])


def test_windows_latin_utf8_bom_and_utf16(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Titre,Auteur,Année\nLes Misérables,Victor Hugo,1862\n".encode("cp1252"))
    plan = read_catalogue_csv(latin)
    assert plan.encoding == "cp1252"
    assert plan.rows[0].record.title == "Les Misérables"
    assert plan.columns == {"Titre": "title", "Auteur": "authors", "Année": "year"}

    bom = tmp_path / "bom.csv"
    bom.write_bytes(codecs.BOM_UTF8 + "Название,Автор\nҚара сөздер,Абай\n".encode())
    plan = read_catalogue_csv(bom)
    assert plan.encoding == "utf-8" and plan.columns["Название"] == "title"
    assert plan.rows[0].record.title == "Қара сөздер"

    utf16 = tmp_path / "unicode.txt"
    utf16.write_bytes("Title\tAuthors\tISBN13\nDune\tFrank Herbert\t9780441172719\n"
                      .encode("utf-16"))
    plan = read_catalogue_csv(utf16)
    assert (plan.encoding, plan.delimiter) == ("utf-16", "\t")
    assert plan.rows[0].isbn13 == "9780441172719"


def test_a_file_with_only_a_header(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("title,author,isbn\n", encoding="utf-8")
    report = run(database, read_catalogue_csv(path))
    assert (report.records_new, report.records_matched, report.copies_new,
            report.rejected) == (0, 0, 0, ())


@pytest.mark.parametrize(("content", "problem"), [
    (b"", "empty"),
    (b" \r\n\r\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml", "binary"),
    (b"year;publisher\n2001;Gallimard\n", "no_title_column"),
])
def test_unusable_files(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "file.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableCsv) as raised:
        read_catalogue_csv(path)
    assert raised.value.problem == problem


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableCsv) as raised:
        read_catalogue_csv(tmp_path / "nowhere.csv")
    assert raised.value.problem == "missing"


def test_map_overrides_the_headers() -> None:
    text = "Name,Writer,Code,Title\nDune,Frank Herbert,0441172717,(ignored)\n"
    plan = read_catalogue_csv(text, {"Name": "title", "writer": "authors", "Code": "isbn",
                                     "Title": "ignore"})
    row = plan.rows[0]
    assert row.record.title == "Dune" and row.isbn13 == "9780441172719"
    assert row.record.contributors == (Person("Herbert", "Frank"),)
    assert "Title" in plan.ignored
    with pytest.raises(InvalidValue) as raised:
        read_catalogue_csv(text, {"Nope": "title"})
    assert raised.value.field == "map"
    with pytest.raises(InvalidValue):
        read_catalogue_csv(text, {"Name": "colour"})


def test_rows_that_cannot_be_imported(database: Database) -> None:
    text = (
        'title,authors,isbn,year,copies,barcode\n'
        'Dune,Frank Herbert,0441172717,1965,,\n'            # 2 fine
        ',Nobody,,2001,,\n'                                  # 3 missing_title
        '"A title\nover two lines",Someone,,2001,,\n'        # 4-5 fine
        'Too many,cells,,2001,,,extra\n'                     # 6 wrong_column_count
        'Short,row\n'                                        # 7 wrong_column_count
        'Bad copies,X,,2001,many,\n'                         # 8 invalid_copies
        f'{"Very long " * 120},X,,2001,,\n'                  # 9 invalid_value
        'Bad isbn,X,978-0-00-000000-1,20th century,,\n'      # 10 kept, two warnings
        'Trailing empty cells,X,,2001,,,,\n'                 # 11 fine
    )
    plan = read_catalogue_csv(text, latest_year=2027)
    assert [(i.line, i.reason) for i in plan.rejected] == [
        (3, "missing_title"), (6, "wrong_column_count"), (7, "wrong_column_count"),
        (8, "invalid_copies"), (9, "invalid_value")]
    assert [(w.line, w.reason) for w in plan.warnings] == [
        (10, "invalid_isbn"), (10, "invalid_year")]
    report = run(database, plan)
    assert report.records_new == 4
    with database.read() as session:
        bad = session.scalars(select(Record).where(Record.title == "Bad isbn")).one()
        assert bad.isbn13 is None and bad.year is None


def test_one_row_per_copy_and_duplicates(database: Database) -> None:
    with database.write() as session:
        session.add(Location(code="ADU", label="Adultes"))
        held = create_record(session, LOCAL_ADMIN, RecordInput(title="Germinal",
                                                  contributors=(Person("Zola", "Émile"),),
                                                  year=1885), now=NOW)
        add_copies(session, LOCAL_ADMIN, held, CopyInput(barcode="OLD-1"), 1, now=NOW)
    text = (
        "barcode,isbn,title,authors,year,call_number,location,status,acquired_on,price\n"
        "A-1,9782070409228,Les Misérables,\"Hugo, Victor\",1995,843 HUG,ADU,available,"
        "2024-03-01,3500\n"
        "A-2,9782070409228,Les Misérables,\"Hugo, Victor\",1995,843 HUG,ADU,repair,,\n"
        "A-3,978-2-07-040922-8,Les Misérables,\"Hugo, Victor\",1995,,NEW,lost,01/02/2024,\n"
        "A-2,9782070413119,Notre-Dame de Paris,Victor Hugo,1998,,,,,\n"       # duplicate_barcode
        "OLD-1,,Nana,Émile Zola,1880,,,,,\n"                                  # duplicate_barcode
        "A-4,,GERMINAL,Emile Zola,1885,,,,,\n"                                # matched, no ISBN
        ",9782070409228,Les Misérables,Victor Hugo,1995,,,,,\n"               # duplicate_in_file
        "A-5,,Au Bonheur des Dames,Zola,1883,,,bogus,31/02/2020,cheap\n"
    )
    plan = read_catalogue_csv(text)
    dry = run(database, plan, dry_run=True)
    report = run(database, plan)
    assert (dry.records_new, dry.records_matched, dry.copies_new, dry.rejected) == (
        report.records_new, report.records_matched, report.copies_new, report.rejected)
    assert [(i.line, i.reason) for i in report.rejected] == [
        (5, "duplicate_barcode"), (6, "duplicate_barcode"), (8, "duplicate_in_file")]
    assert (report.records_new, report.records_matched, report.copies_new) == (2, 3, 5)
    assert {(w.line, w.reason) for w in report.warnings} == {
        (9, "unknown_status"), (9, "invalid_date"), (9, "invalid_price")}
    with database.read() as session:
        miserables = session.scalars(select(Record).where(Record.isbn13 == "9782070409228")
                                     ).one()
        copies = {c.barcode: c for c in session.scalars(
            select(Copy).where(Copy.record_id == miserables.id))}
        assert sorted(copies) == ["A-1", "A-2", "A-3"]
        assert copies["A-1"].price is not None and int(copies["A-1"].price) == 3500
        assert copies["A-1"].acquired_on == date(2024, 3, 1)
        assert copies["A-3"].acquired_on == date(2024, 2, 1)  # day first
        assert (copies["A-2"].status, copies["A-3"].status) == ("repair", "lost")
        assert copies["A-3"].call_number == "843 HUG" or copies["A-3"].call_number == "HUG"
        assert copies["A-3"].location_code == "NEW"
        assert session.get(Location, "NEW") is not None  # created for the imported copies
        germinal = session.scalars(select(Copy.barcode).where(Copy.record_id == held)).all()
        assert sorted(germinal) == ["A-4", "OLD-1"]
        assert count(session, Record) == 3
        assert search_records(session, "A-4").total == 1
    assert_indexed_as_a_rebuild_would(database)


def test_dry_run_and_cancel_write_nothing(database: Database, tmp_path: Path) -> None:
    rows = "".join(f"Livre {n},Auteur {n},,2001,1\n" for n in range(2500))
    plan = read_catalogue_csv("title,authors,isbn,year,copies\n" + rows)
    report = run(database, plan, dry_run=True)
    assert (report.records_new, report.copies_new) == (2500, 2500)
    with database.read() as session:
        assert count(session, Record) == 0 and count(session, Copy) == 0
    calls = [0]

    def cancel_late() -> bool:
        calls[0] += 1
        return calls[0] > 3

    with pytest.raises(ImportCancelled), database.write() as session:
        import_catalogue_csv(session, LOCAL_ADMIN, plan, dry_run=False, now=NOW,
            cancelled=cancel_late)
    with database.read() as session:
        assert count(session, Record) == 0
        assert count(session, Contributor) == 0 and count(session, Contribution) == 0
        assert count(session, Copy) == 0


def test_progress_reaches_the_end(database: Database) -> None:
    plan = read_catalogue_csv("title\n" + "".join(f"T{n}\n" for n in range(50)))
    steps: list[tuple[int, int]] = []
    with database.write() as session:
        import_catalogue_csv(session, LOCAL_ADMIN, plan, dry_run=False, now=NOW,
                             progress=lambda done, total: steps.append((done, total)))
    assert steps[0][0] == 0 and steps[-1][0] == steps[-1][1]


@pytest.mark.parametrize(("header", "field"), [
    ("Title", "title"), ("TITRE", "title"), ("Название", "title"), ("заглавие", "title"),
    ("Auteur(s)", "authors"), ("Авторы", "authors"), ("ISBN-13", "isbn13"),
    ("isbn10", "isbn10"), ("Éditeur", "publisher"), ("Издательство", "publisher"),
    ("Année", "year"), ("Год", "year"), ("publication_date", "year"),
    ("Langue", "language"), ("Язык", "language"), ("  num_pages", "pages"),
    ("Exemplaires", "copies"), ("Code-barres", "barcode"), ("Штрихкод", "barcode"),
    ("Cote", "call_number"), ("Шифр", "call_number"), ("bookID", None),
])
def test_headers(header: str, field: str | None) -> None:
    assert field_for_header(header) == field


@pytest.mark.parametrize(("text", "person"), [
    ("Victor Hugo", Person("Hugo", "Victor")),
    ("Hugo, Victor", Person("Hugo", "Victor")),
    ("Antoine de Saint-Exupéry", Person("Saint-Exupéry", "Antoine de")),
    ("Лев Николаевич Толстой", Person("Толстой", "Лев Николаевич")),
    ("Толстой Лев Николаевич", Person("Толстой", "Лев Николаевич")),
    ("Homer", Person("Homer")),
    ("Mary GrandPré (Illustrator)", Person("GrandPré", "Mary", role="440")),
    ("Jean Rosenblum (traducteur)", Person("Rosenblum", "Jean", role="730")),
    ("Sam Bass Warner, Jr.", Person("Warner", "Sam Bass")),
])
def test_people(text: str, person: Person) -> None:
    assert parse_person(text) == person


def test_authors_split_in_order() -> None:
    people = split_people("J.K. Rowling/Mary GrandPré ; Jean-François Ménard (Translator)")
    assert [(p.surname, p.role) for p in people] == [
        ("Rowling", "070"), ("GrandPré", "070"), ("Ménard", "730")]


@pytest.mark.parametrize(("text", "code"), [
    ("eng", "eng"), ("en-US", "eng"), ("en-GB", "eng"), ("fre", "fre"), ("fra", "fre"),
    ("fr", "fre"), ("Français", "fre"), ("русский", "rus"), ("kk", "kaz"), ("zho", "chi"),
    ("spa", "spa"), ("nl", "dut"), ("klingon", None), ("", None),
])
def test_languages(text: str, code: str | None) -> None:
    assert language_code(text) == code


def test_years() -> None:
    assert parse_year("9/16/2006", latest=2027) == 2006
    assert parse_year("2006-09-16", latest=2027) == 2006
    assert parse_year("c1998", latest=2027) == 1998
    assert parse_year("16.09.2030", latest=2027) is None
    assert parse_year("1990-2000", latest=2027) is None
    assert parse_year("n.d.", latest=2027) is None

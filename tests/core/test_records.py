"""Records: create, edit, delete, covers, the CEFR rule and duplicate warnings, on both
engines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediatheque.catalogue.copies import CopyInput, add_copies
from mediatheque.catalogue.duplicates import find_duplicates, fold
from mediatheque.catalogue.metadata import BookMetadata, Person
from mediatheque.catalogue.records import (
    RecordInput,
    create_record,
    delete_record,
    remove_cover,
    set_cover,
    update_record,
)
from mediatheque.catalogue.search import search_records
from mediatheque.db import Database
from mediatheque.errors import (
    InvalidCover,
    InvalidIsbn,
    InvalidValue,
    RecordHasLoans,
    UnknownRecord,
)
from mediatheque.models import (
    Contribution,
    Contributor,
    Copy,
    Keyword,
    Loan,
    Member,
    MemberCategory,
    Record,
    RecordCover,
    RecordLanguage,
    RecordTombstone,
    Subject,
)
from mediatheque.permissions import LOCAL_ADMIN
from tests.conftest import NOW

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
HUGO = Person("Hugo", "Victor", "1802-1885")
MISERABLES = RecordInput(
    title="Les Misérables", subtitle="roman", contributors=(HUGO,),
    publisher="Gallimard", place="Paris", year=1995, isbn="978-2-07-040922-8",
    languages=("fre",), country="FR", dewey="843.7", series="Folio", series_number="3",
    subjects=("Paris -- Romans", "Misère"), keywords=("classique", "XIXe siècle"),
    audience="adults",
)


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_create_a_record_with_everything(database: Database) -> None:
    with database.write() as session:
        record_id = create_record(session, LOCAL_ADMIN, MISERABLES, now=NOW)
    with database.read() as session:
        record = session.get(Record, record_id)
        assert record is not None
        assert (record.title, record.isbn13, record.year, record.country) == (
            "Les Misérables", "9782070409228", 1995, "FR")
        assert [c.contributor.surname for c in record.contributions] == ["Hugo"]
        assert record.contributions[0].contributor.dates == "1802-1885"
        assert [s.heading for s in record.subjects] == ["Paris -- Romans", "Misère"] or sorted(
            s.heading for s in record.subjects) == ["Misère", "Paris -- Romans"]
        assert sorted(k.word for k in record.keywords) == ["XIXe siècle", "classique"]
        assert [lang.code for lang in record.languages] == ["fre"]
        assert record.created_at == NOW
        assert search_records(session, "miserables").total == 1


def test_contributors_subjects_and_keywords_are_shared(database: Database) -> None:
    with database.write() as session:
        create_record(session, LOCAL_ADMIN, MISERABLES, now=NOW)
        create_record(session, LOCAL_ADMIN, replace(MISERABLES, title="Notre-Dame de Paris",
            isbn=None,
                                       contributors=(Person("Hugo", "Victor"),)), now=NOW)
    with database.read() as session:
        assert count(session, Contributor) == 1  # same names, dates not contradicting
        assert count(session, Subject) == 2
        assert count(session, Keyword) == 2


def test_manual_cataloguing_without_isbn(database: Database) -> None:
    data = RecordInput(title="  Ұлы дала  ", contributors=(Person("Әуезов", "Мұхтар"),),
                       languages=("kaz", "rus"), media_type="book")
    with database.write() as session:
        record_id = create_record(session, LOCAL_ADMIN, data, now=NOW)
    with database.read() as session:
        record = session.get(Record, record_id)
        assert record is not None
        assert record.title == "Ұлы дала"
        assert record.isbn13 is None and record.ean is None
        assert [lang.code for lang in record.languages] == ["kaz", "rus"]


def test_an_ean_that_is_not_an_isbn_is_kept_as_ean(database: Database) -> None:
    with database.write() as session:
        record_id = create_record(session, LOCAL_ADMIN, RecordInput(title="Amélie",
            media_type="dvd",
                                                       isbn="3 259130 253320"), now=NOW)
        record = session.get(Record, record_id)
        assert record is not None
        assert (record.isbn13, record.ean) == (None, "3259130253320")


def test_an_invalid_isbn_writes_nothing(database: Database) -> None:
    with pytest.raises(InvalidIsbn) as raised, database.write() as session:
        create_record(session, LOCAL_ADMIN, replace(MISERABLES, isbn="978-2-07-040922-9"), now=NOW)
    assert raised.value.problem == "checksum"
    with database.read() as session:
        assert count(session, Record) == 0
        assert count(session, Contributor) == 0


@pytest.mark.parametrize(("change", "field"), [
    ({"title": "   "}, "title"),
    ({"media_type": "scroll"}, "media_type"),
    ({"audience": "everyone"}, "audience"),
    ({"languages": ("french",)}, "language"),
    ({"country": "France"}, "country"),
    ({"year": 2030}, "year"),
    ({"publisher": "x" * 501}, "publisher"),
])
def test_bad_values_are_refused(database: Database, change: dict[str, object],
                                field: str) -> None:
    with pytest.raises(InvalidValue) as raised, database.write() as session:
        create_record(session, LOCAL_ADMIN, replace(MISERABLES, **change), now=NOW)  # type: ignore[arg-type]
    assert raised.value.field == field
    with database.read() as session:
        assert count(session, Record) == 0


def test_cefr_level_only_for_fle_material(database: Database) -> None:
    with database.write() as session:
        method = create_record(session, LOCAL_ADMIN, RecordInput(title="Alter ego + A1",
                                                    media_type="fle_method", cefr_level="a1"),
                               now=NOW)
        reader = create_record(session, LOCAL_ADMIN, RecordInput(title="Le Comte de Monte-Cristo",
                                                    keywords=("FLE",), cefr_level="B1"),
                               now=NOW)
        assert session.get(Record, method).cefr_level == "A1"  # type: ignore[union-attr]
        assert session.get(Record, reader).cefr_level == "B1"  # type: ignore[union-attr]
    with pytest.raises(InvalidValue) as raised, database.write() as session:
        create_record(session, LOCAL_ADMIN, replace(MISERABLES, cefr_level="B2"), now=NOW)
    assert raised.value.field == "cefr_level"
    with pytest.raises(InvalidValue), database.write() as session:
        create_record(session, LOCAL_ADMIN, RecordInput(title="Édito", media_type="fle_method",
                                           cefr_level="D1"), now=NOW)


def test_update_replaces_fields_and_links(database: Database) -> None:
    with database.write() as session:
        record_id = create_record(session, LOCAL_ADMIN, MISERABLES, now=NOW)
    later = NOW + timedelta(hours=1)
    changed = replace(MISERABLES, title="Les Misérables I", languages=("fre", "eng"),
                      contributors=(HUGO, Person("Rosenblum", "Jean", role="730")),
                      subjects=("Misère",), keywords=(), year=1996)
    with database.write() as session:
        update_record(session, LOCAL_ADMIN, record_id, changed, now=later)
    with database.read() as session:
        record = session.get(Record, record_id)
        assert record is not None
        assert record.title == "Les Misérables I" and record.year == 1996
        assert record.updated_at == later and record.created_at == NOW
        assert [lang.code for lang in record.languages] == ["fre", "eng"]
        assert [(c.contributor.surname, c.role) for c in record.contributions] == [
            ("Hugo", "070"), ("Rosenblum", "730")]
        assert [s.heading for s in record.subjects] == ["Misère"]
        assert record.keywords == []
        assert search_records(session, "rosenblum").total == 1


def test_update_of_an_unknown_record(database: Database) -> None:
    with pytest.raises(UnknownRecord), database.write() as session:
        update_record(session, LOCAL_ADMIN, 999, MISERABLES, now=NOW)


def _lend(session: Session, copy_barcode: str, *, returned: bool) -> None:
    category = session.scalars(select(MemberCategory)).first()
    if category is None:
        category = MemberCategory(code="ADULT", name="Adulte", membership_months=12)
        session.add(category)
        session.flush()
    member = Member(barcode=f"M{copy_barcode}", first_name="Aigerim", last_name="Seitova",
                    category_id=category.id, membership_start=date(2026, 1, 1),
                    membership_expiry=date(2027, 1, 1), created_at=NOW, updated_at=NOW)
    session.add(member)
    session.flush()
    copy = session.scalars(select(Copy).where(Copy.barcode == copy_barcode)).one()
    session.add(Loan(copy_id=copy.id, record_id=copy.record_id, member_id=member.id,
                     media_type="book", loaned_at=NOW - timedelta(days=3),
                     due_on=date(2026, 12, 12), recorded_at=NOW,
                     returned_at=NOW if returned else None))


def test_delete_is_refused_while_a_copy_is_on_loan(database: Database) -> None:
    with database.write() as session:
        record_id = create_record(session, LOCAL_ADMIN, MISERABLES, now=NOW)
        first, _second = add_copies(session, LOCAL_ADMIN, record_id, CopyInput(), 2, now=NOW)
        _lend(session, first, returned=False)
    with pytest.raises(RecordHasLoans) as raised, database.write() as session:
        delete_record(session, LOCAL_ADMIN, record_id, now=NOW)
    assert raised.value.on_loan == 1
    with database.read() as session:
        assert count(session, Record) == 1
        assert count(session, Copy) == 2
        assert count(session, RecordTombstone) == 0


def test_delete_keeps_loan_history_and_leaves_a_tombstone(database: Database) -> None:
    with database.write() as session:
        record_id = create_record(session, LOCAL_ADMIN, MISERABLES, now=NOW)
        (barcode,) = add_copies(session, LOCAL_ADMIN, record_id, CopyInput(), 1, now=NOW)
        _lend(session, barcode, returned=True)
        set_cover(session, LOCAL_ADMIN, record_id, PNG, source="test", now=NOW)
    later = NOW + timedelta(days=1)
    with database.write() as session:
        delete_record(session, LOCAL_ADMIN, record_id, now=later)
    with database.read() as session:
        assert count(session, Record) == 0
        assert count(session, Copy) == 0
        assert count(session, RecordLanguage) == 0
        assert count(session, Contribution) == 0
        assert count(session, RecordCover) == 0
        loan = session.scalars(select(Loan)).one()
        assert (loan.copy_id, loan.record_id) == (None, None)
        tombstone = session.get(RecordTombstone, record_id)
        assert tombstone is not None and tombstone.deleted_at == later
        assert search_records(session, "miserables").total == 0
    with pytest.raises(UnknownRecord), database.write() as session:
        delete_record(session, LOCAL_ADMIN, record_id, now=later)


def test_cover_images(database: Database) -> None:
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 100
    webp = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 20
    with database.write() as session:
        record_id = create_record(session, LOCAL_ADMIN, MISERABLES, now=NOW)
        assert set_cover(session, LOCAL_ADMIN, record_id, PNG, now=NOW) == "image/png"
        assert set_cover(session, LOCAL_ADMIN, record_id, jpeg, source="file.jpg",
            now=NOW) == "image/jpeg"
        assert set_cover(session, LOCAL_ADMIN, record_id, webp, now=NOW) == "image/webp"
    with database.read() as session:
        cover = session.get(RecordCover, record_id)
        assert cover is not None and cover.mime_type == "image/webp" and cover.data == webp
    with database.write() as session:
        remove_cover(session, LOCAL_ADMIN, record_id, now=NOW)
    with database.read() as session:
        assert session.get(RecordCover, record_id) is None


@pytest.mark.parametrize(("data", "problem"), [
    (b"Les Miserables, a text file pasted by mistake\n", "not_an_image"),
    (b"%PDF-1.7 not an image", "not_an_image"),
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * (6 * 1024 * 1024), "too_large"),
])
def test_a_cover_that_is_not_an_image_is_refused(database: Database, data: bytes,
                                                 problem: str) -> None:
    with database.write() as session:
        record_id = create_record(session, LOCAL_ADMIN, MISERABLES, now=NOW)
        set_cover(session, LOCAL_ADMIN, record_id, PNG, now=NOW)
    with pytest.raises(InvalidCover) as raised, database.write() as session:
        set_cover(session, LOCAL_ADMIN, record_id, data, now=NOW)
    assert raised.value.problem == problem
    with database.read() as session:
        cover = session.get(RecordCover, record_id)
        assert cover is not None and cover.data == PNG  # the old cover is untouched


def test_duplicates_by_isbn_and_by_title_author_year(database: Database) -> None:
    with database.write() as session:
        first = create_record(session, LOCAL_ADMIN, MISERABLES, now=NOW)
        manual = create_record(session, LOCAL_ADMIN, RecordInput(
            title="Война и мир", contributors=(Person("Толстой", "Лев"),), year=1869),
            now=NOW)
    with database.read() as session:
        by_isbn = find_duplicates(session, isbn13="9782070409228")
        assert [(d.record_id, d.reason) for d in by_isbn] == [(first, "isbn")]
        same = find_duplicates(session, title="LES MISERABLES", first_author="Victor Hugo",
                               year=1995)
        assert [(d.record_id, d.reason) for d in same] == [(first, "title_author_year")]
        assert find_duplicates(session, title="Les Misérables", first_author="Hugo, Victor",
                               year=1996) == []
        assert find_duplicates(session, title="Les Misérables", first_author="Zola",
                               year=1995) == []
        cyrillic = find_duplicates(session, title="ВОЙНА И МИР!", first_author="Лев Толстой",
                                   year=1869)
        assert [d.record_id for d in cyrillic] == [manual]
        assert find_duplicates(session, title="Война и мир", first_author="Лев Толстой",
                               year=1869, exclude_record_id=manual) == []


def test_fold() -> None:
    assert fold("Les Misérables !") == "les miserables"
    assert fold("Ёлка") == fold("елка")
    assert fold("Қазақ") == "қазақ"


def test_record_from_metadata_drops_what_does_not_fit() -> None:
    data = RecordInput.from_metadata(BookMetadata(
        isbn13="9782070409228", title="x" * 1200, languages=("fre", "french"),
        country="fra", year=19950, publisher="  ", sources=("bnf", "openlibrary"),
        contributors=(Person("Hugo", "Victor", role="999"),),
    ), title_fallback="978-2-07-040922-8")
    assert len(data.title) == 1000
    assert data.languages == ("fre",)
    assert data.country is None and data.year is None and data.publisher is None
    assert data.metadata_source == "bnf,openlibrary"
    assert data.contributors[0].role == "070"
    empty = RecordInput.from_metadata(BookMetadata(), title_fallback="978-2-07-040922-8")
    assert empty.title == "978-2-07-040922-8"
    odd = RecordInput.from_metadata(BookMetadata(title="T", year=2031, ean="1234567890123"),
                                    latest_year=2027)
    assert odd.year is None and odd.ean is None  # a typo in a source is not a reason to fail

"""Copies: barcodes (generated or kept), call numbers, edits and deletion, on both engines."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from mediatheque.barcodes import parse_generated
from mediatheque.catalogue.copies import (
    CopyInput,
    add_copies,
    delete_copy,
    dewey_class,
    suggest_call_number,
    update_copy,
)
from mediatheque.catalogue.metadata import Person
from mediatheque.catalogue.records import RecordInput, create_record
from mediatheque.catalogue.search import search_records
from mediatheque.db import Database
from mediatheque.errors import (
    DuplicateBarcode,
    InvalidValue,
    RecordHasLoans,
    UnknownBarcode,
    UnknownRecord,
)
from mediatheque.models import Copy, Loan, Location, Member, MemberCategory, Record
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.settings import LibrarySettings, save_library_settings
from tests.conftest import NOW

HUGO = RecordInput(title="Les Misérables", contributors=(Person("Hugo", "Victor"),),
                   dewey="843.7")


@pytest.fixture
def record(database: Database) -> tuple[Database, int]:
    with database.write() as session:
        save_library_settings(session, LibrarySettings(name="AF Almaty", code="KZ-ALA",
                                                       barcode_prefix="347"))
        session.add(Location(code="ADU", label="Adultes"))
        record_id = create_record(session, LOCAL_ADMIN, HUGO, now=NOW)
    return database, record_id


def test_generated_barcodes_are_unique_and_sequential(record: tuple[Database, int]) -> None:
    database, record_id = record
    with database.write() as session:
        first = add_copies(session, LOCAL_ADMIN, record_id, CopyInput(location_code="ADU"), 3,
            now=NOW)
        second = add_copies(session, LOCAL_ADMIN, record_id, CopyInput(), 2, now=NOW)
    parsed = [parse_generated(code) for code in first + second]
    assert all(p is not None and p[0] == "347" for p in parsed)
    assert [p[2] for p in parsed if p] == [1, 2, 3, 4, 5]
    with database.read() as session:
        copies = session.scalars(select(Copy).order_by(Copy.id)).all()
        assert [c.barcode for c in copies] == first + second
        assert copies[0].call_number == "843.7 HUG"
        assert copies[0].location_code == "ADU" and copies[3].location_code is None
        assert search_records(session, first[1]).total == 1  # indexed


def test_a_given_barcode_is_kept(record: tuple[Database, int]) -> None:
    database, record_id = record
    template = CopyInput(barcode=" AF-000123 ", call_number="R HUG", price=Decimal("4500"),
                         acquired_on=date(2024, 5, 2), acquisition_mode="gift",
                         public_note="Édition de poche")
    with database.write() as session:
        assert add_copies(session, LOCAL_ADMIN, record_id, template, 1, now=NOW) == ["AF-000123"]
    with database.read() as session:
        copy = session.scalars(select(Copy)).one()
        assert (copy.barcode, copy.call_number, copy.acquisition_mode) == (
            "AF-000123", "R HUG", "gift")
        assert copy.price == Decimal("4500.00") and copy.acquired_on == date(2024, 5, 2)


def test_duplicate_barcodes_are_refused(record: tuple[Database, int]) -> None:
    database, record_id = record
    with database.write() as session:
        add_copies(session, LOCAL_ADMIN, record_id, CopyInput(barcode="AF-1"), 1, now=NOW)
        category = MemberCategory(code="ADULT", name="Adulte")
        session.add(category)
        session.flush()
        session.add(Member(barcode="CARD-7", first_name="A", last_name="B",
                           category_id=category.id, membership_start=date(2026, 1, 1),
                           membership_expiry=date(2027, 1, 1), created_at=NOW,
                           updated_at=NOW))
    for taken in ("AF-1", "CARD-7"):
        with pytest.raises(DuplicateBarcode) as raised, database.write() as session:
            add_copies(session, LOCAL_ADMIN, record_id, CopyInput(barcode=taken), 1, now=NOW)
        assert raised.value.barcode == taken
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Copy)) == 1


@pytest.mark.parametrize(("template", "count", "field"), [
    (CopyInput(barcode="AF-2"), 2, "copies"),
    (CopyInput(), 0, "copies"),
    (CopyInput(barcode="with space"), 1, "barcode"),
    (CopyInput(status="borrowed"), 1, "status"),
    (CopyInput(acquisition_mode="stolen"), 1, "acquisition_mode"),
    (CopyInput(price=Decimal("-1")), 1, "price"),
    (CopyInput(location_code="NOWHERE"), 1, "location"),
])
def test_bad_copies_are_refused(record: tuple[Database, int], template: CopyInput,
                                count: int, field: str) -> None:
    database, record_id = record
    with pytest.raises(InvalidValue) as raised, database.write() as session:
        add_copies(session, LOCAL_ADMIN, record_id, template, count, now=NOW)
    assert raised.value.field == field
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Copy)) == 0


def test_copies_of_an_unknown_record(database: Database) -> None:
    with pytest.raises(UnknownRecord), database.write() as session:
        add_copies(session, LOCAL_ADMIN, 42, CopyInput(), 1, now=NOW)


def test_update_and_rename_a_copy(record: tuple[Database, int]) -> None:
    database, record_id = record
    with database.write() as session:
        (code,) = add_copies(session, LOCAL_ADMIN, record_id, CopyInput(), 1, now=NOW)
        add_copies(session, LOCAL_ADMIN, record_id, CopyInput(barcode="OLD-9"), 1, now=NOW)
    later = NOW + timedelta(hours=2)
    with database.write() as session:
        new_code = update_copy(session, LOCAL_ADMIN, code, CopyInput(barcode="AF-77",
            status="repair",
                                                        location_code="ADU"), now=later)
    assert new_code == "AF-77"
    with database.read() as session:
        copy = session.scalars(select(Copy).where(Copy.barcode == "AF-77")).one()
        assert (copy.status, copy.location_code, copy.updated_at) == ("repair", "ADU", later)
        assert session.get(Record, record_id).updated_at == later  # type: ignore[union-attr]
    with pytest.raises(DuplicateBarcode), database.write() as session:
        update_copy(session, LOCAL_ADMIN, "AF-77", CopyInput(barcode="OLD-9"), now=later)
    with pytest.raises(UnknownBarcode), database.write() as session:
        update_copy(session, LOCAL_ADMIN, code, CopyInput(), now=later)


def test_delete_a_copy_unless_on_loan(record: tuple[Database, int]) -> None:
    database, record_id = record
    with database.write() as session:
        lent, free = add_copies(session, LOCAL_ADMIN, record_id, CopyInput(), 2, now=NOW)
        category = MemberCategory(code="ADULT", name="Adulte")
        session.add(category)
        session.flush()
        member = Member(barcode="CARD-1", first_name="A", last_name="B",
                        category_id=category.id, membership_start=date(2026, 1, 1),
                        membership_expiry=date(2027, 1, 1), created_at=NOW, updated_at=NOW)
        session.add(member)
        session.flush()
        copy = session.scalars(select(Copy).where(Copy.barcode == lent)).one()
        session.add(Loan(copy_id=copy.id, record_id=record_id, member_id=member.id,
                         media_type="book", loaned_at=NOW, due_on=date(2026, 12, 12),
                         recorded_at=NOW))
    with pytest.raises(RecordHasLoans), database.write() as session:
        delete_copy(session, LOCAL_ADMIN, lent, now=NOW)
    with database.write() as session:
        delete_copy(session, LOCAL_ADMIN, free, now=NOW)
    with database.read() as session:
        assert list(session.scalars(select(Copy.barcode))) == [lent]
        assert search_records(session, free).total == 0
    with pytest.raises(UnknownBarcode), database.write() as session:
        delete_copy(session, LOCAL_ADMIN, free, now=NOW)


@pytest.mark.parametrize(("given", "expected"), [
    (("843", "book", "Hugo", "Les Misérables", None), "843 HUG"),
    (("843/.914", "book", "Échenoz", "Je m'en vais", None), "843.914 ECH"),
    (("891.73", "book", "Толстой", "Война и мир", None), "891.73 ТОЛ"),
    ((None, "book", "Әуезов", "Абай жолы", None), "ӘУЕ"),
    (("741.5", "comic", "Hergé", "Tintin au Tibet", None), "BD HER"),
    ((None, "dvd", "Spielberg", "E.T.", None), "DVD SPI"),
    (("448.24", "fle_method", "Girardet", "Écho A1", "A1"), "FLE A1 GIR"),
    ((None, "fle_method", None, "Le Nouveau Taxi !", None), "FLE NOU"),
    ((None, "music_cd", None, "L'Ombre de la lune", None), "CD OMB"),
    ((None, "book", None, "Ұлы дала", None), "ҰЛЫ"),
    (("not a class", "book", "O'Brien", "Xx", None), "OBR"),
])
def test_call_number_suggestions(
    given: tuple[str | None, str, str | None, str, str | None], expected: str
) -> None:
    dewey, media, surname, title, level = given
    assert suggest_call_number(dewey, media, surname, title, cefr_level=level) == expected


def test_dewey_class() -> None:
    assert dewey_class(" 641.5 ") == "641.5"
    assert dewey_class("843.91409") == "843.914"
    assert dewey_class("84") == ""
    assert dewey_class(None) == ""

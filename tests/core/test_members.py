"""Registering, editing, renewing, replacing cards and deleting members (SQLite and
PostgreSQL): typed errors, nothing half-written, the audit trail without personal data."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from mediatheque.db import Database
from mediatheque.errors import (
    DuplicateBarcode,
    ExpiryBeforeStart,
    InvalidEmail,
    InvalidName,
    InvalidPhone,
    InvalidValue,
    MemberHasLoans,
    PermissionDenied,
    PossibleDuplicateMember,
    UnknownCategory,
    UnknownMember,
)
from mediatheque.members.deletion import delete_member
from mediatheque.members.editing import MemberInput, register_member, update_member
from mediatheque.members.membership import renew_membership, replace_card
from mediatheque.members.reading import find_member_by_barcode, member_details
from mediatheque.members.search import search_members
from mediatheque.models import (
    AuditEntry,
    Copy,
    Hold,
    Loan,
    Member,
    MemberSearchKey,
    Record,
    ReplacedCard,
)
from mediatheque.models.vocabulary import StaffRole
from mediatheque.permissions import LOCAL_ADMIN, Actor
from tests.conftest import NOW
from tests.core.members_helpers import TODAY, register, set_up

LIBRARIAN = Actor(login="lib", role=StaffRole.LIBRARIAN)
DIRECTOR = Actor(login="dir", role=StaffRole.DIRECTOR)


@pytest.fixture
def library(database: Database) -> Database:
    set_up(database)
    return database


def _count(database: Database, model: object) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]


def test_register_generates_a_card_and_the_expiry(library: Database) -> None:
    saved = register(library, "Әсем", "Құрманғазықызы", email="Asem@Mail.kz",
                     phone="+7 701 123 45 67", category_code="student",
                     preferred_language="kk")
    assert len(saved.barcode) == 12 and saved.barcode.startswith("1001")
    assert saved.membership_expiry == date(2027, 5, 21)  # students: 6 months
    with library.read() as session:
        details = member_details(session, LOCAL_ADMIN, saved.member_id, today=TODAY)
    assert (details.first_name, details.last_name) == ("Әсем", "Құрманғазықызы")
    assert details.email == "asem@mail.kz" and details.preferred_language == "kk"
    assert details.category_code == "STUDENT" and details.membership_start == TODAY
    assert not details.expired and details.loans == () and details.loans_in_all == 0


def test_an_existing_barcode_is_kept_once(library: Database) -> None:
    saved = register(library, "Anna", "Petrova", barcode=" OLD-0042 ")
    assert saved.barcode == "OLD-0042"
    with pytest.raises(DuplicateBarcode):
        register(library, "Boris", "Ivanov", barcode="OLD-0042")
    with library.write() as session:
        record = Record(title="Abai", created_at=NOW, updated_at=NOW)
        session.add(record)
        session.flush()
        session.add(Copy(record_id=record.id, barcode="COPY-1", created_at=NOW,
                         updated_at=NOW))
    with pytest.raises(DuplicateBarcode):
        register(library, "Boris", "Ivanov", barcode="COPY-1")
    assert _count(library, Member) == 1


@pytest.mark.parametrize(("fields", "error"), [
    ({"first_name": "ӘҒҚҢӨҰҮҺІ", "last_name": "Ә" * 201}, InvalidName),
    ({"email": "not-an-address"}, InvalidEmail),
    ({"phone": "+7 701 ABC"}, InvalidPhone),
    ({"membership_start": date(2026, 11, 21), "membership_expiry": date(2026, 11, 20)},
     ExpiryBeforeStart),
    ({"category_code": "NOPE"}, UnknownCategory),
    ({"preferred_language": "de"}, InvalidValue),
])
def test_bad_input_is_refused_and_nothing_written(library: Database, fields: dict,  # type: ignore[type-arg]
                                                  error: type[Exception]) -> None:
    values = {"first_name": "Aigerim", "last_name": "Seitkali", **fields}
    with pytest.raises(error), library.write() as session:
        register_member(session, LOCAL_ADMIN, MemberInput(**values), now=NOW, today=TODAY)
    assert _count(library, Member) == 0 and _count(library, MemberSearchKey) == 0
    assert _count(library, AuditEntry) == 0


def test_kazakh_only_and_200_character_names_survive(library: Database) -> None:
    long_name = ("Құрманғазы" * 20)[:200]
    saved = register(library, "ӘҒҚҢӨҰҮҺІ", long_name)
    with library.read() as session:
        member = session.get(Member, saved.member_id)
        assert member is not None and member.first_name == "ӘҒҚҢӨҰҮҺІ"
        assert member.last_name == long_name
        page = search_members(session, LOCAL_ADMIN, "Құрманғазы")
    assert [row.member_id for row in page.rows] == [saved.member_id]


def test_duplicates_are_a_warning_unless_refused(library: Database) -> None:
    first = register(library, "Айгерим", "Сейтқали", phone="+7 701 123 45 67")
    again = register(library, "Aigerim", "Seitkali", phone="8 (701) 123-45-67")
    assert [d.member_id for d in again.duplicates] == [first.member_id]
    other = register(library, "Айгерим", "Сейтқали", phone="+7 777 000 00 00")
    assert other.duplicates == ()
    with pytest.raises(PossibleDuplicateMember) as refused, library.write() as session:
        register_member(session, LOCAL_ADMIN, MemberInput(
            "айгерим", "СЕЙТҚАЛИ", phone="87011234567"), now=NOW, today=TODAY,
            refuse_duplicates=True)
    assert set(refused.value.member_ids) == {first.member_id, again.member_id}
    assert _count(library, Member) == 3


def test_update_member_and_audit_has_no_personal_data(library: Database) -> None:
    saved = register(library, "Anna", "Petrova", email="anna@mail.ru")
    with library.write() as session:
        updated = update_member(session, LOCAL_ADMIN, saved.member_id, MemberInput(
            "Анна", "Петрова", email="anna.p@mail.ru", category_code="CHILD",
            membership_start=TODAY, membership_expiry=date(2027, 6, 30)), now=NOW, today=TODAY)
    assert updated.barcode == saved.barcode and updated.membership_expiry == date(2027, 6, 30)
    with library.read() as session:
        details = member_details(session, LOCAL_ADMIN, saved.member_id, today=TODAY)
        entries = [(e.action, e.details) for e in
                   session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert search_members(session, LOCAL_ADMIN, "anna").total == 1
        assert search_members(session, LOCAL_ADMIN, "anna.p").total == 1
    assert details.last_name == "Петрова" and details.category_code == "CHILD"
    assert [action for action, _details in entries] == ["member_create", "member_update"]
    text = " ".join(details for _action, details in entries)
    for personal in ("Anna", "Анна", "Petrova", "Петрова", "mail.ru"):
        assert personal not in text
    assert set(json.loads(entries[1][1])["personal_fields"]) >= {"first_name", "email"}


def test_permissions(library: Database) -> None:
    with pytest.raises(PermissionDenied), library.write() as session:
        register_member(session, DIRECTOR, MemberInput("A", "B"), now=NOW, today=TODAY)
    saved = register(library)
    with pytest.raises(PermissionDenied), library.write() as session:
        delete_member(session, LIBRARIAN, saved.member_id, now=NOW)
    with library.read() as session:
        assert search_members(session, DIRECTOR, "").total == 1


def test_renewal_from_the_later_of_today_and_expiry(library: Database) -> None:
    saved = register(library, membership_start=date(2026, 1, 10),
                     membership_expiry=date(2026, 12, 31))
    with library.write() as session:
        early = renew_membership(session, LOCAL_ADMIN, saved.member_id, today=TODAY, now=NOW)
    assert early == date(2027, 12, 31)  # not yet expired on 2026-11-21: from the expiry
    lapsed = register(library, "Boris", "Ivanov", membership_start=date(2024, 1, 1),
                      membership_expiry=date(2024, 6, 30))
    with library.write() as session:
        late = renew_membership(session, LOCAL_ADMIN, lapsed.member_id, today=TODAY, now=NOW)
        assert session.get(Member, lapsed.member_id).membership_start == date(2024, 1, 1)  # type: ignore[union-attr]
    assert late == date(2027, 11, 21)


def test_lost_card_replacement(library: Database) -> None:
    saved = register(library)
    with library.write() as session:
        new = replace_card(session, LOCAL_ADMIN, saved.member_id, now=NOW)
    assert new != saved.barcode and len(new) == 12
    with library.read() as session:
        assert find_member_by_barcode(session, saved.barcode) == (saved.member_id, True)
        assert find_member_by_barcode(session, new) == (saved.member_id, False)
        assert session.get(ReplacedCard, saved.barcode) is not None
        assert search_members(session, LOCAL_ADMIN, new).total == 1
        assert search_members(session, LOCAL_ADMIN, saved.barcode).total == 0
        details = member_details(session, LOCAL_ADMIN, saved.member_id, today=TODAY)
    assert details.replaced_cards == (saved.barcode,)
    with pytest.raises(DuplicateBarcode):  # a replaced card cannot be given again
        register(library, "Boris", "Ivanov", barcode=saved.barcode)
    with library.write() as session:
        typed = replace_card(session, LOCAL_ADMIN, saved.member_id, now=NOW, barcode="X-77")
    assert typed == "X-77"


def _lend(database: Database, member_id: int, *, returned: bool) -> None:
    with database.write() as session:
        record = Record(title="Абай жолы", created_at=NOW, updated_at=NOW)
        session.add(record)
        session.flush()
        copy = Copy(record_id=record.id, barcode=f"C{record.id}", created_at=NOW,
                    updated_at=NOW)
        session.add(copy)
        session.flush()
        session.add(Loan(copy_id=copy.id, record_id=record.id, member_id=member_id,
                         member_category_id=1, media_type="book", language="kaz",
                         loaned_at=NOW - timedelta(days=30), due_on=TODAY - timedelta(days=2),
                         returned_at=NOW if returned else None, recorded_at=NOW))
        session.add(Hold(record_id=record.id, member_id=member_id, placed_at=NOW))


def test_deletion_refused_with_loans_then_anonymises(library: Database) -> None:
    saved = register(library, email="a@b.kz", phone="+77011234567")
    _lend(library, saved.member_id, returned=False)
    with library.read() as session:
        details = member_details(session, LOCAL_ADMIN, saved.member_id, today=TODAY)
    assert [(loan.title, loan.overdue) for loan in details.loans] == [("Абай жолы", True)]
    assert len(details.holds) == 1
    with pytest.raises(MemberHasLoans) as refused, library.write() as session:
        delete_member(session, LOCAL_ADMIN, saved.member_id, now=NOW)
    assert refused.value.on_loan == 1
    with library.write() as session:
        session.execute(Loan.__table__.update().values(returned_at=NOW))
        replace_card(session, LOCAL_ADMIN, saved.member_id, now=NOW)
    with library.write() as session:
        done = delete_member(session, LOCAL_ADMIN, saved.member_id, now=NOW)
    assert (done.loans_anonymised, done.holds_removed) == (1, 1)
    with library.read() as session:
        loan = session.scalars(select(Loan)).one()
        assert loan.member_id is None and loan.member_category_id == 1
        assert loan.media_type == "book" and loan.language == "kaz"
        assert session.scalar(select(func.count()).select_from(Hold)) == 0
        assert session.scalar(select(func.count()).select_from(ReplacedCard)) == 0
        assert session.scalar(select(func.count()).select_from(MemberSearchKey)) == 0
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None and last.action == "member_delete"
        assert last.entity_id == str(saved.member_id)
        with pytest.raises(UnknownMember):
            find_member_by_barcode(session, saved.barcode)

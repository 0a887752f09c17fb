"""A small library for the circulation tests: rows created directly (members, records,
copies), the defaults of `initialise_library` (categories, a 21-day default rule, Sunday
closed), in Almaty (UTC+5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediatheque.db import Database
from mediatheque.library import initialise_library
from mediatheque.models import Copy, Member, MemberCategory, Record, RecordLanguage
from mediatheque.settings import LibrarySettings
from tests.conftest import NOW


def category_id(session: Session, code: str) -> int:
    found = session.scalar(select(MemberCategory.id).where(MemberCategory.code == code))
    assert found is not None
    return found


def add_member(
    session: Session,
    barcode: str,
    *,
    category: str = "ADULT",
    expiry: date = date(2027, 6, 30),
    status: str = "active",
    first: str = "Айгерім",
    last: str = "Сәрсенова",
) -> int:
    member = Member(
        barcode=barcode, first_name=first, last_name=last, category_id=category_id(session,
        category), membership_start=date(2025, 1, 1), membership_expiry=expiry, status=status,
        created_at=NOW, updated_at=NOW,
    )
    session.add(member)
    session.flush()
    return member.id


def add_record(
    session: Session,
    title: str,
    barcodes: tuple[str, ...],
    *,
    media_type: str = "book",
    language: str | None = "fre",
    status: str = "available",
) -> int:
    record = Record(title=title, media_type=media_type, created_at=NOW, updated_at=NOW)
    session.add(record)
    session.flush()
    if language:
        session.add(RecordLanguage(record_id=record.id, position=0, code=language))
    for barcode in barcodes:
        session.add(Copy(record_id=record.id, barcode=barcode, status=status, created_at=NOW,
                         updated_at=NOW))
    session.flush()
    return record.id


@dataclass(frozen=True)
class World:
    database: Database
    alice: int  # ADULT member, card M-ALICE
    boris: int  # ADULT member, card M-BORIS
    hugo: int  # record with copies C1, C2
    zola: int  # record with copy C3
    dvd: int  # DVD record with copy D1


def build_world(database: Database) -> World:
    with database.write() as session:
        initialise_library(session, LibrarySettings(name="AF Almaty", code="KZ-ALA"))
        alice = add_member(session, "M-ALICE", first="Alice", last="Durand")
        boris = add_member(session, "M-BORIS", first="Борис", last="Ким")
        hugo = add_record(session, "Les Misérables", ("C1", "C2"))
        zola = add_record(session, "Germinal", ("C3",))
        dvd = add_record(session, "Amélie", ("D1",), media_type="dvd")
    return World(database, alice, boris, hugo, zola, dvd)


def days(n: int) -> timedelta:
    return timedelta(days=n)

"""Bulk inserts store exactly what an ORM insert stores (times in UTC, dates, prices,
NULLs, Python-side defaults), on both engines."""

from __future__ import annotations

from datetime import date, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from mediatheque import bulk_insert
from mediatheque.bulk_insert import insert_rows
from mediatheque.db import Database
from mediatheque.models import Copy, Location, Record
from tests.conftest import NOW

ALMATY = timezone(timedelta(hours=5))
COLUMNS = ("barcode", "call_number", "location_code", "status", "acquired_on",
           "acquisition_mode", "price", "public_note", "notes", "created_at", "updated_at")


def _copies(record_id: int, prefix: str) -> list[dict[str, Any]]:
    return [{
        "record_id": record_id, "barcode": f"{prefix}{number}",
        "call_number": "843 HUG" if number % 2 else None, "location_code": "ADU",
        "status": "available", "acquired_on": date(2026, 1, 1 + number % 3),
        "acquisition_mode": "gift", "price": Decimal("12.50") if number % 3 else None,
        "public_note": None, "notes": None,
        # the same instant written in two zones: stored once, in UTC
        "created_at": NOW if number % 2 else NOW.astimezone(ALMATY), "updated_at": NOW,
    } for number in range(7)]


def _stored(database: Database, prefix: str) -> list[tuple[Any, ...]]:
    with database.read() as session:
        return [tuple(getattr(copy, name) for name in COLUMNS)[1:] for copy in session.scalars(
            select(Copy).where(Copy.barcode.startswith(prefix)).order_by(Copy.barcode))]


def _raw(database: Database, prefix: str) -> list[tuple[Any, ...]]:
    """The values as the driver returns them, without SQLAlchemy's conversions."""
    with database.read() as session:
        return [tuple(row)[1:] for row in session.execute(text(
            "SELECT barcode, acquired_on, price, created_at, updated_at FROM copy "
            "WHERE barcode LIKE :prefix ORDER BY barcode"), {"prefix": f"{prefix}%"})]


def _with_orm_copies(session: Session, title: str) -> int:
    """A record with the copies "O-…" added through the ORM, to compare with; its id."""
    session.add(Location(code="ADU", label="Adultes"))
    record = Record(title=title, created_at=NOW, updated_at=NOW)
    session.add(record)
    session.flush()
    for row in _copies(record.id, "O-"):
        session.add(Copy(**row))
    session.flush()
    return record.id


def test_bulk_rows_equal_orm_rows(database: Database) -> None:
    with database.write() as session:
        record_id = _with_orm_copies(session, "Les Misérables")
        insert_rows(session.connection(), Copy.__table__, _copies(record_id, "B-"))
    orm, bulk = _stored(database, "O-"), _stored(database, "B-")
    assert bulk == orm and len(bulk) == 7
    assert _raw(database, "B-") == _raw(database, "O-")  # the same text on SQLite
    assert all(row[-1] == NOW and row[-2] == NOW for row in bulk)  # aware UTC back
    assert {row[5] for row in bulk} == {Decimal("12.50"), None}


def test_values_remembered_from_one_insert_to_the_next_are_right(
        database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The conversions kept between calls (a few at a time here, so that they are also
    forgotten on the way) store what an ORM insert stores."""
    monkeypatch.setattr(bulk_insert, "KNOWN_VALUES", 2)
    with database.write() as session:
        record_id = _with_orm_copies(session, "Germinal")
        for prefix in ("C-", "E-", "F-"):
            insert_rows(session.connection(), Copy.__table__, _copies(record_id, prefix))
    for prefix in ("C-", "E-", "F-"):
        assert _raw(database, prefix) == _raw(database, "O-")
        assert _stored(database, prefix) == _stored(database, "O-")


def test_columns_left_out_get_their_defaults(database: Database) -> None:
    with database.write() as session:
        record = Record(title="Sans copie", created_at=NOW, updated_at=NOW)
        session.add(record)
        session.flush()
        rows = [{"record_id": record.id, "barcode": f"D-{n}", "call_number": None,
                 "created_at": NOW, "updated_at": NOW} for n in range(3)]
        insert_rows(session.connection(), Copy.__table__, rows)  # status: Python default
        insert_rows(session.connection(), Copy.__table__, [])
    with database.read() as session:
        stored = session.execute(select(Copy.status, Copy.acquisition_mode, Copy.call_number)
                                 .where(Copy.barcode.startswith("D-"))).all()
    assert [tuple(row) for row in stored] == [("available", "purchase", None)] * 3

"""Looking up many keys at once gives what `column.in_(values)` gives, on both engines:
past one statement's worth of values, with quotes and percent signs in them, and for none."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from mediatheque.bulk_insert import insert_rows
from mediatheque.bulk_select import CHUNK, rows_where_in
from mediatheque.db import Database
from mediatheque.models import Copy, Record
from tests.conftest import NOW

COPIES: Any = Copy.__table__
RECORDS: Any = Record.__table__
# Barcodes a library may well use, and two that would break a statement written by hand.
ODD = ["AF-001%", "O'BRIEN-2", "КЗ-0003"]


def test_rows_where_in_finds_what_in_finds(database: Database) -> None:
    with database.write() as session:
        record = Record(title="Les Misérables", created_at=NOW, updated_at=NOW)
        session.add(record)
        session.flush()
        barcodes = [f"B{number:05d}" for number in range(0, 2 * CHUNK + 50, 2)] + ODD
        insert_rows(session.connection(), COPIES, [{
            "record_id": record.id, "barcode": code, "status": "available",
            "acquisition_mode": "gift", "created_at": NOW, "updated_at": NOW,
        } for code in barcodes])
    wanted = [f"B{number:05d}" for number in range(2 * CHUNK + 50)] + ODD + ["absent"]
    with database.read() as session:
        connection = session.connection()
        found = rows_where_in(connection, [COPIES.c.barcode, COPIES.c.record_id],
                              COPIES.c.barcode, wanted)
        expected = session.execute(select(Copy.barcode, Copy.record_id)
                                   .where(Copy.barcode.in_(wanted))).all()
        assert sorted(found) == sorted(tuple(row) for row in expected)
        assert len(found) == len(barcodes) and {code for code, _ in found} >= set(ODD)
        assert rows_where_in(connection, [RECORDS.c.title], RECORDS.c.id, [record.id]) == [
            ("Les Misérables",)]
        assert rows_where_in(connection, [COPIES.c.barcode], COPIES.c.barcode, []) == []

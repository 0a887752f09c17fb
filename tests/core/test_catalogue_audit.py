"""Catalogue changes are permission-checked and leave an audit trail in their transaction."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from mediatheque.catalogue.copies import CopyInput, add_copies, delete_copy, update_copy
from mediatheque.catalogue.records import (
    RecordInput,
    create_record,
    delete_record,
    update_record,
)
from mediatheque.db import Database
from mediatheque.errors import PermissionDenied
from mediatheque.models import AuditEntry, Record
from mediatheque.permissions import LOCAL_ADMIN, Actor
from tests.conftest import NOW

LIBRARIAN = Actor(login="aigerim", role="librarian", staff_id=None)
DIRECTOR = Actor(login="director", role="director", staff_id=None)
BOOK = RecordInput(title="Абай жолы", year=1942)


def _entries(database: Database) -> list[tuple[str, str, str | None, dict[str, object]]]:
    with database.read() as session:
        return [
            (entry.actor, entry.action, entry.entity_id, json.loads(entry.details))
            for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def test_each_change_is_audited_with_who_and_what(database: Database) -> None:
    later = NOW + timedelta(hours=1)
    with database.write() as session:
        record_id = create_record(session, LIBRARIAN, BOOK, now=NOW)
        (barcode,) = add_copies(session, LIBRARIAN, record_id, CopyInput(), 1, now=NOW)
        update_record(session, LIBRARIAN, record_id, replace(BOOK, year=1947), now=later)
        update_copy(session, LIBRARIAN, barcode, CopyInput(status="repair"), now=later)
        delete_copy(session, LOCAL_ADMIN, barcode, now=later)
        delete_record(session, LOCAL_ADMIN, record_id, now=later)
    entries = _entries(database)
    assert [(actor, action) for actor, action, _, _ in entries] == [
        ("aigerim", "record_create"),
        ("aigerim", "copies_add"),
        ("aigerim", "record_update"),
        ("aigerim", "copy_update"),
        ("local", "copy_delete"),
        ("local", "record_delete"),
    ]
    assert entries[0][3] == {"title": "Абай жолы", "isbn": None}
    assert entries[2][3] == {"year": [1942, 1947]}
    assert entries[3][3]["status"] == ["available", "repair"]


def test_a_director_cannot_catalogue_and_nothing_is_written(database: Database) -> None:
    with pytest.raises(PermissionDenied), database.write() as session:
        create_record(session, DIRECTOR, BOOK, now=NOW)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_a_librarian_cannot_delete_a_record(database: Database) -> None:
    with database.write() as session:
        record_id = create_record(session, LIBRARIAN, BOOK, now=NOW)
    with pytest.raises(PermissionDenied) as caught, database.write() as session:
        delete_record(session, LIBRARIAN, record_id, now=NOW)
    assert caught.value.permission == "delete"
    with database.read() as session:
        assert session.get(Record, record_id) is not None

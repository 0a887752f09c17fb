"""Roles and what they may do; the audit helper."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from mediatheque.audit import changes, record_audit
from mediatheque.db import Database
from mediatheque.errors import PermissionDenied
from mediatheque.models import AuditEntry
from mediatheque.permissions import LOCAL_ADMIN, Actor, Permission
from tests.conftest import NOW

DIRECTOR = Actor(login="dir", role="director", staff_id=None)
LIBRARIAN = Actor(login="lib", role="librarian", staff_id=None)


def test_admin_may_do_everything() -> None:
    assert all(LOCAL_ADMIN.can(permission) for permission in Permission)


def test_director_reads_but_does_not_lend_or_edit() -> None:
    assert DIRECTOR.can(Permission.REPORTS)
    for permission in (Permission.LEND, Permission.CATALOGUE, Permission.MEMBERS):
        with pytest.raises(PermissionDenied) as caught:
            DIRECTOR.require(permission)
        assert caught.value.details() == {"permission": permission.value, "role": "director"}


def test_librarian_lends_but_does_not_delete_or_restore() -> None:
    LIBRARIAN.require(Permission.LEND)
    for permission in (Permission.DELETE, Permission.RESTORE, Permission.STAFF):
        assert not LIBRARIAN.can(permission)


def test_unknown_role_may_do_nothing() -> None:
    assert not any(Actor(login="x", role="visitor").can(p) for p in Permission)


def test_record_audit_writes_one_entry_in_the_callers_transaction(database: Database) -> None:
    earlier = NOW.replace(year=NOW.year - 1)
    with database.write() as session:
        record_audit(
            session,
            LIBRARIAN,
            action="record_update",
            entity="record",
            entity_id=12,
            now=NOW,
            happened_at=earlier,
            details=changes({"title": "Old", "year": 1990}, {"title": "New", "year": 1990}),
        )
    with database.read() as session:
        entry = session.scalars(select(AuditEntry)).one()
        assert (entry.actor, entry.action, entry.entity, entry.entity_id) == (
            "lib",
            "record_update",
            "record",
            "12",
        )
        assert entry.recorded_at == NOW and entry.happened_at == earlier
        assert json.loads(entry.details) == {"title": ["Old", "New"]}

"""Shared set-up for the members tests: an initialised library and a register shortcut."""

from __future__ import annotations

from datetime import date
from typing import Any

from mediatheque.db import Database
from mediatheque.library import initialise_library
from mediatheque.members.editing import MemberInput, MemberSaved, register_member
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.settings import LibrarySettings
from tests.conftest import NOW

TODAY = date(2026, 11, 21)


def set_up(database: Database) -> None:
    with database.write() as session:
        initialise_library(session, LibrarySettings(name="AF Almaty", code="AF-ALA"))


def register(database: Database, first: str = "Айгерим", last: str = "Сейтқали",
             **fields: Any) -> MemberSaved:
    with database.write() as session:
        return register_member(session, LOCAL_ADMIN, MemberInput(first, last, **fields),
                               now=NOW, today=TODAY)

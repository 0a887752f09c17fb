"""Cheap password hashing for tests (hashes say their parameters, so verification is the
same code), and a library with one account per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher

from mediatheque.db import Database
from mediatheque.permissions import LOCAL_ADMIN, Actor
from mediatheque.staff import create_staff, log_in, passwords
from tests.conftest import NOW

PASSWORDS = {"admin": "admin-secret-1", "librarian": "Кітапхана-2024", "director": "dir-secret-3"}


def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=256, parallelism=1)
    )
    monkeypatch.setattr(passwords, "_DUMMY", [])


@dataclass(frozen=True)
class Team:
    admin: Actor
    librarian: Actor
    director: Actor


def make_team(database: Database) -> Team:
    with database.write() as session:
        for role in ("admin", "librarian", "director"):
            create_staff(session, LOCAL_ADMIN, login=f"{role}1", role=role,
                         password=PASSWORDS[role], now=NOW)
    return Team(*(log_in(database, f"{role}1", PASSWORDS[role], NOW)
                  for role in ("admin", "librarian", "director")))

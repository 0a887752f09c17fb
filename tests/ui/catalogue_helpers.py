"""A small catalogue for the Catalogue page tests, built with the core services."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtWidgets import QWidget

from mediatheque.catalogue.copies import CopyInput, add_copies
from mediatheque.catalogue.metadata import Person
from mediatheque.catalogue.records import RecordInput, create_record
from mediatheque.catalogue.search import rebuild_search_index
from mediatheque.db import Database
from mediatheque.models.catalogue import Copy
from mediatheque.models.circulation import Loan
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.ui import catalogue_page

# (title, author surname, forenames, year, media type, language, location, copies)
BOOKS = (
    ("Le Petit Prince", "Saint-Exupéry", "Antoine de", 1943, "book", "fre", "JEU", 2),
    ("Les Misérables", "Hugo", "Victor", 1862, "book", "fre", "ADU", 1),
    ("Notre-Dame de Paris", "Hugo", "Victor", 1831, "book", "fre", "ADU", 1),
    ("Абай жолы", "Әуезов", "Мұхтар", 1942, "book", "kaz", "ADU", 1),
    ("Война и мир", "Толстой", "Лев", 1869, "book", "rus", "ADU", 3),
    ("Alter Ego A1", "Berthet", "Annie", 2012, "fle_method", "fre", "FLE", 2),
    ("Amélie", "Jeunet", "Jean-Pierre", 2001, "dvd", "fre", "MED", 1),
)


def build_catalogue(database: Database, now: datetime, books: tuple = BOOKS) -> dict[str, int]:
    """Records with their copies; returns record ids by title."""
    ids: dict[str, int] = {}
    with database.write() as session:
        for title, surname, forenames, year, media, language, location, copies in books:
            record_id = create_record(session, LOCAL_ADMIN, RecordInput(
                title=title, contributors=(Person(surname, forenames),), year=year,
                media_type=media, languages=(language,),
                cefr_level="A1" if media == "fle_method" else None,
            ), now=now)
            add_copies(session, LOCAL_ADMIN, record_id, CopyInput(location_code=location),
                copies, now=now)
            ids[title] = record_id
        rebuild_search_index(session)
    return ids


def many_records(database: Database, now: datetime, count: int) -> None:
    with database.write() as session:
        for number in range(count):
            create_record(session, LOCAL_ADMIN, RecordInput(
                title=f"Recueil {number:04d}", contributors=(Person("Auteur", f"N{number}"),),
                year=1900 + number % 120, languages=("fre",),
            ), now=now)
        rebuild_search_index(session)


def lend_a_copy(database: Database, record_id: int, now: datetime) -> str:
    with database.write() as session:
        copy = session.query(Copy).filter(Copy.record_id == record_id).first()
        assert copy is not None
        session.add(Loan(
            copy_id=copy.id, record_id=record_id, media_type="book", loaned_at=now,
            due_on=(now + timedelta(days=21)).date(), recorded_at=now,
        ))
        return copy.barcode


class DialogRunner:
    """Replaces `run_dialog`: calls `drive(dialog)` instead of blocking on exec()."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.drive = lambda dialog: False
        self.shown: list[QWidget] = []
        monkeypatch.setattr(catalogue_page, "run_dialog", self._run)

    def _run(self, dialog: QWidget) -> bool:
        self.shown.append(dialog)
        return bool(self.drive(dialog))


TODAY = date(2026, 3, 2)

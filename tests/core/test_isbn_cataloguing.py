"""Cataloguing by ISBN through the real lookup stack, against a stub HTTP server serving
recorded real provider answers (never the internet): found, offline, failing providers,
the pending queue and its completion."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mediatheque.catalogue.isbn_cataloguing import (
    catalogue_by_isbn,
    complete_pending,
    pending_count,
)
from mediatheque.catalogue.lookup import ProviderHealth
from mediatheque.catalogue.provider_settings import ProviderSettings
from mediatheque.catalogue.reading import record_detail
from mediatheque.catalogue.records import RecordInput, create_record, update_record
from mediatheque.catalogue.search import search_records
from mediatheque.db import Database
from mediatheque.errors import InvalidIsbn, LookupCancelled
from mediatheque.models import Copy, PendingLookup, Record
from mediatheque.permissions import LOCAL_ADMIN
from tests.conftest import NOW
from tests.stub_http import Canned, StubServer, serve_recorded_providers

VERNE = "9782360581115"  # the BnF knows it: Verne, L'archipel en feu (2011)
UNKNOWN = "9780306406157"  # a valid ISBN no provider knows


@pytest.fixture
def stub(shared_dir: Path) -> Iterator[StubServer]:
    with StubServer() as server:
        serve_recorded_providers(server, shared_dir)
        yield server


@pytest.fixture
def down() -> Iterator[StubServer]:
    """Every provider answers 503."""
    with StubServer() as server:
        for path in ("/bnf/api/SRU", "/ol/api/books", "/google/books/v1/volumes"):
            server.add(path, Canned(status=503, body=b"down"))
        yield server


def _catalogue(database: Database, isbn: str, settings: ProviderSettings, **options: object):  # type: ignore[no-untyped-def]
    return catalogue_by_isbn(database, isbn, actor=LOCAL_ADMIN, settings=settings,
                             health=ProviderHealth(),
                             now=NOW, **options)  # type: ignore[arg-type]


def test_found_online(database: Database, stub: StubServer) -> None:
    result = _catalogue(database, "978-2-36058-111-5", stub.provider_settings(), copies=2)
    assert not result.existing and not result.pending_lookup
    assert result.title == "L'archipel en feu"
    assert len(result.barcodes) == 2
    with database.read() as session:
        detail = record_detail(session, result.record_id)
        assert detail.year == 2011
        assert "bnf" in (detail.metadata_source or "")
        assert [c.barcode for c in detail.copies] == list(result.barcodes)
        assert pending_count(session) == 0
        assert search_records(session, "archipel verne").total == 1
        assert session.scalars(select(Copy.call_number)).first() == "VER"


def test_offline_saves_the_isbn_and_queues_the_lookup(database: Database,
                                                      stub: StubServer) -> None:
    result = _catalogue(database, VERNE, stub.provider_settings(), offline=True)
    assert result.pending_lookup and not result.existing
    assert result.title == "978-2-36058-111-5"  # findable until the details come
    assert stub.requests == []  # offline means not even trying
    with database.read() as session:
        record = session.get(Record, result.record_id)
        assert record is not None and record.isbn13 == VERNE
        queued = session.get(PendingLookup, result.record_id)
        assert queued is not None and queued.attempts == 0 and queued.isbn13 == VERNE
        assert search_records(session, "978-2-36058-111-5").total == 1
        assert session.scalar(select(func.count()).select_from(Copy)) == 1


def test_failing_providers_save_and_queue(database: Database, down: StubServer) -> None:
    result = _catalogue(database, VERNE, down.provider_settings())
    assert result.pending_lookup
    with database.read() as session:
        queued = session.get(PendingLookup, result.record_id)
        assert queued is not None and queued.attempts == 1 and queued.last_error


def test_an_isbn_already_held_adds_nothing(database: Database, stub: StubServer) -> None:
    first = _catalogue(database, VERNE, stub.provider_settings(), offline=True)
    requests = len(stub.requests)
    again = _catalogue(database, "2-36058-111-2", stub.provider_settings(), copies=3)
    assert again.existing and again.record_id == first.record_id
    assert again.barcodes == () and again.pending_lookup
    assert len(stub.requests) == requests  # the local catalogue answered
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 1
        assert session.scalar(select(func.count()).select_from(Copy)) == 1


def test_an_invalid_isbn_writes_nothing(database: Database, stub: StubServer) -> None:
    with pytest.raises(InvalidIsbn):
        _catalogue(database, "978-2-36058-111-6", stub.provider_settings())
    assert stub.requests == []
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 0


def test_cancelled_writes_nothing(database: Database, stub: StubServer) -> None:
    with pytest.raises(LookupCancelled):
        _catalogue(database, VERNE, stub.provider_settings(), cancelled=lambda: True)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 0


def test_complete_pending_fills_only_empty_fields(database: Database,
                                                  stub: StubServer) -> None:
    queued = _catalogue(database, VERNE, stub.provider_settings(), offline=True)
    unknown = _catalogue(database, UNKNOWN, stub.provider_settings(), offline=True)
    # Meanwhile the librarian typed a publisher and a year: they must stay.
    with database.write() as session:
        update_record(session, LOCAL_ADMIN, queued.record_id, RecordInput(
            title="978-2-36058-111-5", isbn=VERNE, publisher="Rocambole (typed)", year=2012,
        ), now=NOW)
    steps: list[tuple[int, int]] = []
    report = complete_pending(database, actor=LOCAL_ADMIN, settings=stub.provider_settings(),
                              health=ProviderHealth(), now=NOW + timedelta(hours=1),
                              progress=lambda done, total: steps.append((done, total)))
    assert (report.completed, report.not_found, report.still_pending) == (1, 1, 0)
    assert steps[-1] == (2, 2)
    with database.read() as session:
        detail = record_detail(session, queued.record_id)
        assert detail.title == "L'archipel en feu"
        assert detail.publisher == "Rocambole (typed)" and detail.year == 2012
        assert detail.place == "Amiens"
        assert [c.surname for c in detail.contributors] == ["Verne"]
        assert detail.languages == ("fre",) or list(detail.languages) == ["fre"]
        assert session.get(Record, unknown.record_id).title == "978-0-306-40615-7"  # type: ignore[union-attr]
        assert pending_count(session) == 0
        assert search_records(session, "archipel").total == 1


def test_complete_pending_while_still_offline(database: Database, stub: StubServer,
                                              down: StubServer) -> None:
    queued = _catalogue(database, VERNE, stub.provider_settings(), offline=True)
    report = complete_pending(database, actor=LOCAL_ADMIN, settings=down.provider_settings(),
                              health=ProviderHealth(), now=NOW)
    assert (report.completed, report.still_pending) == (0, 1)
    with database.read() as session:
        pending = session.get(PendingLookup, queued.record_id)
        assert pending is not None and pending.attempts == 1 and pending.last_error
        assert session.get(Record, queued.record_id).title == "978-2-36058-111-5"  # type: ignore[union-attr]
    report = complete_pending(database, actor=LOCAL_ADMIN, settings=stub.provider_settings(),
                              health=ProviderHealth(), now=NOW)
    assert (report.completed, report.still_pending) == (1, 0)


def test_complete_pending_cancelled_keeps_the_queue(database: Database,
                                                    stub: StubServer) -> None:
    _catalogue(database, VERNE, stub.provider_settings(), offline=True)
    report = complete_pending(database, actor=LOCAL_ADMIN, settings=stub.provider_settings(),
                              health=ProviderHealth(), now=NOW, cancelled=lambda: True)
    assert (report.completed, report.still_pending) == (0, 1)


def test_a_damaged_queue_entry_leaves_the_queue(database: Database,
                                                stub: StubServer) -> None:
    with database.write() as session:
        record_id = create_record(session, LOCAL_ADMIN, RecordInput(title="Saisi à la main"),
            now=NOW)
        session.add(PendingLookup(record_id=record_id, isbn13="9780000000000", queued_at=NOW))
    report = complete_pending(database, actor=LOCAL_ADMIN, settings=stub.provider_settings(),
                              health=ProviderHealth(), now=NOW)
    assert (report.not_found, report.still_pending) == (1, 0)
    with database.read() as session:
        assert session.get(Record, record_id).title == "Saisi à la main"  # type: ignore[union-attr]


def test_a_record_deleted_meanwhile_leaves_the_queue(database: Database,
                                                     stub: StubServer) -> None:
    with database.write() as session:
        record_id = create_record(session, LOCAL_ADMIN, replace(RecordInput(title="x"), isbn=VERNE),
                                  now=NOW)
        session.add(PendingLookup(record_id=record_id, isbn13=VERNE, queued_at=NOW))
    with database.write() as session:
        session.delete(session.get(PendingLookup, record_id))
    report = complete_pending(database, actor=LOCAL_ADMIN, settings=stub.provider_settings(),
                              health=ProviderHealth(), now=NOW)
    assert (report.completed, report.still_pending) == (0, 0)
    with database.read() as session:
        assert session.get(Record, record_id).title == "x"  # type: ignore[union-attr]

"""lookup_isbn: providers in order, merged; the cache in the database; the circuit breaker
that keeps an offline desk instant; cancel."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mediatheque.catalogue.lookup import (
    LookupOutcome,
    ProviderHealth,
    lookup_isbn,
    metadata_from_json,
    metadata_to_json,
)
from mediatheque.catalogue.metadata import BookMetadata, Person
from mediatheque.catalogue.provider_settings import ProviderSettings
from mediatheque.db import Database
from mediatheque.errors import InvalidIsbn, LookupCancelled
from mediatheque.models import LookupCacheEntry
from tests.conftest import NOW
from tests.stub_http import (
    GOOGLE_ISBN,
    OPENLIBRARY_ISBN,
    XML,
    Canned,
    StubServer,
    bnf_sru_single,
    recorded,
    serve_recorded_providers,
)

VERNE = "9782360581115"       # in the recorded BnF answer
UNKNOWN = "9782070360024"     # known to no provider of the stub


@pytest.fixture
def stub(shared_dir: Path) -> Iterator[StubServer]:
    with StubServer() as server:
        serve_recorded_providers(server, shared_dir)
        yield server


@pytest.fixture
def settings(stub: StubServer) -> ProviderSettings:
    return stub.provider_settings(timeout=0.5)


def _lookup(database: Database, isbn13: str, settings: ProviderSettings,
            health: ProviderHealth, **options: object) -> LookupOutcome:
    options.setdefault("now", NOW)
    return lookup_isbn(database, isbn13, settings=settings, health=health, **options)  # type: ignore[arg-type]


def _cache_rows(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(LookupCacheEntry)) or 0


def test_merge_order_bnf_first_then_open_library_then_google(
    database: Database, stub: StubServer, settings: ProviderSettings
) -> None:
    # The recorded Open Library and Google answers, re-keyed to the BnF book's ISBN.
    ol = recorded(f"openlibrary_{OPENLIBRARY_ISBN}.json").replace(
        OPENLIBRARY_ISBN.encode(), VERNE.encode())
    gb = recorded(f"google_{GOOGLE_ISBN}.json").replace(GOOGLE_ISBN.encode(), VERNE.encode())
    stub.add("/ol/api/books", Canned(body=ol), query={"bibkeys": f"ISBN:{VERNE}"})
    stub.add("/google/books/v1/volumes", Canned(body=gb), query={"q": f"isbn:{VERNE}"})
    steps: list[tuple[int, int]] = []

    outcome = _lookup(database, VERNE, settings, ProviderHealth(),
                      progress=lambda done, total: steps.append((done, total)))

    merged = outcome.metadata
    assert merged.title == "L'archipel en feu"                      # BnF
    assert merged.contributors == (Person("Verne", "Jules", "1828-1905", "070"),)
    assert merged.publisher == "AARP-Centre Rocambole"              # BnF, not Orbit
    assert merged.subjects[0] == "Fiction"                           # BnF had none: OL
    assert merged.cover_url == "https://covers.openlibrary.org/b/id/2379038-L.jpg"
    assert merged.summary == "Theatre program."                      # only Google has one
    assert merged.sources == ("bnf", "openlibrary", "google")
    assert merged.isbn13 == VERNE
    assert not outcome.pending and outcome.failures == () and not outcome.from_cache
    assert steps == [(1, 3), (2, 3), (3, 3)]
    assert [r.path for r in stub.requests] == [
        "/bnf/api/SRU", "/ol/api/books", "/google/books/v1/volumes"]


def test_cache_hit_makes_no_request(
    database: Database, stub: StubServer, settings: ProviderSettings
) -> None:
    first = _lookup(database, VERNE, settings, ProviderHealth())
    asked = len(stub.requests)
    assert asked == 3 and _cache_rows(database) == 3

    second = _lookup(database, VERNE, settings, ProviderHealth(),
                     now=NOW + timedelta(days=20))

    assert len(stub.requests) == asked
    assert second.from_cache and not second.pending
    assert second.metadata == first.metadata

    # Months later the BnF record is still good; the "not found" answers are asked again.
    _lookup(database, VERNE, settings, ProviderHealth(), now=NOW + timedelta(days=100))
    assert [r.path for r in stub.requests[asked:]] == ["/ol/api/books", "/google/books/v1/volumes"]


def test_not_found_is_cached_for_a_while(
    database: Database, stub: StubServer, settings: ProviderSettings
) -> None:
    outcome = _lookup(database, UNKNOWN, settings, ProviderHealth())
    assert outcome.metadata.is_empty and outcome.metadata.isbn13 == UNKNOWN
    assert not outcome.pending and len(stub.requests) == 3

    _lookup(database, UNKNOWN, settings, ProviderHealth(), now=NOW + timedelta(days=20))
    assert len(stub.requests) == 3
    _lookup(database, UNKNOWN, settings, ProviderHealth(), now=NOW + timedelta(days=31))
    assert len(stub.requests) == 6
    _lookup(database, UNKNOWN, settings, ProviderHealth(), use_cache=False,
            now=NOW + timedelta(days=32))
    assert len(stub.requests) == 9


def test_a_provider_error_pauses_that_provider_only(
    database: Database, stub: StubServer, settings: ProviderSettings
) -> None:
    stub.add("/bnf/api/SRU", Canned(500, b"<html>Internal error</html>", "text/html"))
    health = ProviderHealth()

    outcome = _lookup(database, GOOGLE_ISBN, settings, health)

    assert outcome.pending
    assert [(f.provider, f.reason) for f in outcome.failures] == [("bnf", "server_error")]
    assert outcome.metadata.title == "To Kill a Mockingbird"       # Google still answered
    with database.read() as session:                                # the failure is not cached
        cached = set(session.scalars(select(LookupCacheEntry.provider)))
    assert cached == {"openlibrary", "google"}

    later = _lookup(database, OPENLIBRARY_ISBN, settings, health, now=NOW + timedelta(minutes=5))
    assert len(stub.requests_to("/bnf/")) == 1                      # not asked again
    assert later.pending and later.failures[0].provider == "bnf"
    assert later.metadata.title == "Use of Weapons"

    _lookup(database, VERNE, settings, health, now=NOW + timedelta(minutes=11))
    assert len(stub.requests_to("/bnf/")) == 2                      # the pause is over


def test_a_timeout_pauses_every_remote_provider_so_the_next_scan_is_instant(
    database: Database, stub: StubServer, shared_dir: Path
) -> None:
    slow = Canned(body=bnf_sru_single(shared_dir, "978-2-36058-111-5"), content_type=XML,
                  delay=2.0)
    stub.add("/bnf/api/SRU", slow)
    settings = stub.provider_settings(timeout=0.3)
    health = ProviderHealth()

    outcome = _lookup(database, VERNE, settings, health)
    assert outcome.pending and outcome.metadata.title is None
    assert [(f.provider, f.reason) for f in outcome.failures] == [
        ("bnf", "timeout"), ("openlibrary", "timeout"), ("google", "timeout")]
    assert [r.path for r in stub.requests] == ["/bnf/api/SRU"]   # the others were skipped
    assert _cache_rows(database) == 0

    started = time.monotonic()
    second = _lookup(database, OPENLIBRARY_ISBN, settings, health, now=NOW + timedelta(seconds=30))
    elapsed = time.monotonic() - started
    assert second.pending and len(stub.requests) == 1
    assert elapsed < 0.25, f"the second scan took {elapsed:.2f} s"


def test_cached_answers_still_count_while_offline(
    database: Database, stub: StubServer, settings: ProviderSettings
) -> None:
    _lookup(database, VERNE, settings, ProviderHealth())
    health = ProviderHealth()
    for name in ("bnf", "openlibrary", "google"):
        health.mark_failed(name, NOW, "offline")
    outcome = _lookup(database, VERNE, settings, health, now=NOW + timedelta(minutes=1))
    assert outcome.metadata.title == "L'archipel en feu"
    assert outcome.from_cache and not outcome.pending
    assert len(stub.requests) == 3


def test_cancel_raises_and_writes_nothing(
    database: Database, stub: StubServer, settings: ProviderSettings
) -> None:
    calls = iter([False, False, True])
    with pytest.raises(LookupCancelled) as caught:
        _lookup(database, VERNE, settings, ProviderHealth(), cancelled=lambda: next(calls))
    assert caught.value.code == "cancelled" and caught.value.isbn13 == VERNE
    assert len(stub.requests) == 2
    assert _cache_rows(database) == 0

    with pytest.raises(LookupCancelled):         # cancelled after the last provider too
        _lookup(database, VERNE, settings, ProviderHealth(), cancelled=lambda: len(
            stub.requests) >= 5)
    assert _cache_rows(database) == 0


@pytest.mark.parametrize("isbn13", ["9782360581116", "2360581113", "97823605811１5", ""])
def test_malformed_isbn_is_refused_before_any_request(
    database: Database, stub: StubServer, settings: ProviderSettings, isbn13: str
) -> None:
    with pytest.raises(InvalidIsbn):
        _lookup(database, isbn13, settings, ProviderHealth())
    assert stub.requests == []


def test_provider_health_pause_and_reset() -> None:
    health = ProviderHealth(pause=timedelta(minutes=10))
    assert health.available("bnf", NOW)
    health.mark_failed("bnf", NOW, "rate_limited")
    assert not health.available("bnf", NOW + timedelta(minutes=9))
    assert health.available("google", NOW)
    assert health.last_reason("bnf") == "rate_limited"
    assert health.available("bnf", NOW + timedelta(minutes=10))
    health.mark_failed("bnf", NOW)
    health.reset()
    assert health.available("bnf", NOW)


def test_damaged_cache_entry_is_asked_again(
    database: Database, stub: StubServer, settings: ProviderSettings
) -> None:
    with database.write() as session:
        session.add(LookupCacheEntry(isbn13=VERNE, provider="bnf", status="found",
                                     payload="{not json", fetched_at=NOW))
    outcome = _lookup(database, VERNE, settings, ProviderHealth())
    assert outcome.metadata.title == "L'archipel en feu"
    assert len(stub.requests_to("/bnf/")) == 1


def test_metadata_json_round_trip() -> None:
    metadata = BookMetadata(
        isbn13=VERNE, title="Абай жолы", contributors=(Person("Әуезов", "Мұхтар", role="070"),),
        languages=("kaz", "rus"), subjects=("Romans",), year=1942, sources=("bnf",))
    assert metadata_from_json(metadata_to_json(metadata)) == metadata

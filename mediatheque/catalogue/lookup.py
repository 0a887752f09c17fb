"""ISBN → merged metadata from the remote providers, with a cache in the database and a
circuit breaker so that an offline desk is never slowed down (DESIGN.md §6).

Network calls never hold a database transaction open: the cache is read in one short read,
the providers are asked with no session open, and their answers are written in one short
write at the end — or not at all if the person cancels.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mediatheque.catalogue.http import HttpClient, RateLimiter
from mediatheque.catalogue.isbn import parse_isbn
from mediatheque.catalogue.metadata import BookMetadata, Person, merge
from mediatheque.catalogue.provider_settings import ProviderSettings
from mediatheque.catalogue.providers import REMOTE_PROVIDERS, RemoteProvider
from mediatheque.db import Database
from mediatheque.errors import InvalidIsbn, LookupCancelled, LookupFailed
from mediatheque.exchange.reference import SOURCE as REFERENCE_PROVIDER
from mediatheque.exchange.reference import reference_metadata
from mediatheque.models import LookupCacheEntry
from mediatheque.models.vocabulary import LookupStatus

FOUND_TTL = timedelta(days=365)
NOT_FOUND_TTL = timedelta(days=30)
DEFAULT_PAUSE = timedelta(minutes=10)
# Failures that say "the network of this desk is unwell" rather than "this provider is":
# they pause every remote provider, so the next scans do not each wait for timeouts.
NETWORK_REASONS = frozenset({"offline", "timeout"})
MAX_COVER = 2 * 1024 * 1024


class ProviderHealth:
    """In-process circuit breaker: a provider that failed is skipped for `pause`. One per
    application (the UI and the CLI each make theirs); safe to share between threads. It
    also holds the polite-rate limiter shared by every lookup of the process."""

    def __init__(self, pause: timedelta = DEFAULT_PAUSE,
                 limiter: RateLimiter | None = None) -> None:
        self.pause = pause
        self.limiter = limiter or RateLimiter()
        self._down: dict[str, tuple[datetime, str]] = {}
        self._lock = threading.Lock()

    def mark_failed(self, name: str, now: datetime, reason: str = "offline") -> None:
        with self._lock:
            self._down[name] = (now + self.pause, reason)

    def mark_ok(self, name: str) -> None:
        with self._lock:
            self._down.pop(name, None)

    def available(self, name: str, now: datetime) -> bool:
        with self._lock:
            down = self._down.get(name)
            return down is None or now >= down[0]

    def last_reason(self, name: str) -> str | None:
        with self._lock:
            down = self._down.get(name)
            return down[1] if down else None

    def reset(self) -> None:
        """Forget every failure (the person pressed "retry now")."""
        with self._lock:
            self._down.clear()


@dataclass(frozen=True)
class LookupOutcome:
    isbn13: str
    metadata: BookMetadata
    pending: bool
    failures: tuple[LookupFailed, ...] = ()
    from_cache: bool = False
    # Providers that answered (found or not found), from the cache or the network.
    answered: tuple[str, ...] = field(default=())


def metadata_to_json(metadata: BookMetadata) -> str:
    return json.dumps(asdict(metadata), ensure_ascii=False, sort_keys=True)


def metadata_from_json(text: str) -> BookMetadata:
    """Raises ValueError/TypeError/KeyError on anything that is not our own JSON."""
    data: dict[str, Any] = json.loads(text)
    people = tuple(Person(**person) for person in data.pop("contributors", ()))
    tuples = {key: tuple(value) for key, value in data.items() if isinstance(value, list)}
    return BookMetadata(**{**data, **tuples, "contributors": people})


@dataclass(frozen=True)
class _Answer:
    found: BookMetadata | None
    fetched_at: datetime


def _read_cache(database: Database, isbn13: str, now: datetime) -> dict[str, _Answer]:
    with database.read() as session:
        rows = session.execute(
            select(LookupCacheEntry.provider, LookupCacheEntry.status,
                   LookupCacheEntry.payload, LookupCacheEntry.fetched_at)
            .where(LookupCacheEntry.isbn13 == isbn13)
        ).all()
    answers: dict[str, _Answer] = {}
    for provider, status, payload, fetched_at in rows:
        if status == LookupStatus.FOUND and payload and now - fetched_at < FOUND_TTL:
            try:
                answers[provider] = _Answer(metadata_from_json(payload), fetched_at)
            except (ValueError, TypeError, KeyError):
                continue  # a damaged entry is asked again
        elif status == LookupStatus.NOT_FOUND and now - fetched_at < NOT_FOUND_TTL:
            answers[provider] = _Answer(None, fetched_at)
    return answers


def _write_cache(database: Database, isbn13: str, answers: dict[str, _Answer]) -> None:
    if not answers:
        return
    try:
        with database.write() as session:
            for provider, answer in answers.items():
                session.merge(LookupCacheEntry(
                    isbn13=isbn13,
                    provider=provider,
                    status=LookupStatus.FOUND if answer.found else LookupStatus.NOT_FOUND,
                    payload=metadata_to_json(answer.found) if answer.found else None,
                    fetched_at=answer.fetched_at,
                ))
    except IntegrityError:
        # Another desk cached the same answer at the same moment: theirs is as good.
        pass


def _ask(provider: RemoteProvider, isbn13: str, client: HttpClient,
         health: ProviderHealth, now: datetime) -> BookMetadata | None:
    try:
        found = provider.lookup(isbn13, client)
    except LookupFailed as failure:
        if failure.reason in NETWORK_REASONS:
            for other in REMOTE_PROVIDERS:
                health.mark_failed(other.name, now, failure.reason)
        else:
            health.mark_failed(provider.name, now, failure.reason)
        raise
    health.mark_ok(provider.name)
    return found


def reference_answer(database: Database, isbn13: str) -> BookMetadata | None:
    """The reference catalogues (other libraries' FM21 packages, exchange.reference) come
    right after the local catalogue: offline, before any network call."""
    with database.read() as session:
        return reference_metadata(session, isbn13)


def lookup_isbn(
    database: Database,
    isbn13: str,
    *,
    settings: ProviderSettings,
    health: ProviderHealth,
    now: datetime,
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
    use_cache: bool = True,
) -> LookupOutcome:
    """Asks BnF, Open Library and Google in turn (cache first) and merges their answers
    field by field, BnF first. Provider failures never raise: they are in `failures`, and
    `pending` says the record should be queued for a later lookup. Raises InvalidIsbn for
    a malformed number and LookupCancelled (nothing written) when `cancelled()` says so."""
    isbn = parse_isbn(isbn13)
    if isbn.isbn13 != isbn13:
        raise InvalidIsbn(isbn13[:40], "length")
    reference = reference_answer(database, isbn13)
    if reference is not None:
        return LookupOutcome(isbn13=isbn13, metadata=replace(reference, isbn13=isbn13),
                             pending=False, answered=(REFERENCE_PROVIDER,))
    cached = _read_cache(database, isbn13, now) if use_cache else {}
    client = HttpClient(settings, health.limiter)
    total = len(REMOTE_PROVIDERS)
    found: list[BookMetadata] = []
    fresh: dict[str, _Answer] = {}
    failures: list[LookupFailed] = []
    answered: list[str] = []
    for done, provider in enumerate(REMOTE_PROVIDERS):
        if cancelled is not None and cancelled():
            raise LookupCancelled(isbn13)
        answer = cached.get(provider.name)
        if answer is None and not health.available(provider.name, now):
            reason = health.last_reason(provider.name) or "offline"
            failures.append(LookupFailed(provider.name, reason, "paused after a failure"))
        elif answer is None:
            try:
                answer = _Answer(_ask(provider, isbn13, client, health, now), now)
                fresh[provider.name] = answer
            except LookupFailed as failure:
                failures.append(failure)
        if answer is not None:
            answered.append(provider.name)
            if answer.found is not None:
                found.append(answer.found)
        if progress is not None:
            progress(done + 1, total)
    if cancelled is not None and cancelled():
        raise LookupCancelled(isbn13)
    _write_cache(database, isbn13, fresh)
    return LookupOutcome(
        isbn13=isbn13,
        metadata=replace(merge(*found), isbn13=isbn13),
        pending=bool(failures),
        failures=tuple(failures),
        from_cache=bool(answered) and not fresh,
        answered=tuple(answered),
    )


def fetch_cover(url: str, settings: ProviderSettings, *,
                max_bytes: int = MAX_COVER) -> tuple[bytes, str] | None:
    """The cover image and its MIME type, or None when there is none to have (failure,
    not an image, too large). Covers are fetched once and kept by the caller."""
    if not url.startswith(("http://", "https://")):
        return None
    try:
        response = HttpClient(settings).get(url, provider="cover", accept="image/*",
                                            max_bytes=max_bytes)
    except LookupFailed:
        return None
    if not response.content_type.startswith("image/") or not response.body:
        return None
    return response.body, response.content_type

"""Our own small metadata providers (DESIGN.md §6), in the order they are asked.

Each is a function `lookup(isbn13, client) -> BookMetadata | None`: None means the
provider answered and does not know the book; failures raise LookupFailed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mediatheque.catalogue.http import HttpClient
from mediatheque.catalogue.metadata import BookMetadata
from mediatheque.catalogue.providers import bnf, google, openlibrary


@dataclass(frozen=True)
class RemoteProvider:
    name: str
    lookup: Callable[[str, HttpClient], BookMetadata | None]


REMOTE_PROVIDERS: tuple[RemoteProvider, ...] = (
    RemoteProvider(bnf.NAME, bnf.lookup),
    RemoteProvider(openlibrary.NAME, openlibrary.lookup),
    RemoteProvider(google.NAME, google.lookup),
)

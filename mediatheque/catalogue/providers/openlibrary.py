"""Open Library Books API (`/api/books?bibkeys=ISBN:…&jscmd=data`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from mediatheque.catalogue.http import HttpClient
from mediatheque.catalogue.metadata import BookMetadata, Person
from mediatheque.catalogue.providers.normalise import (
    clean,
    json_object,
    languages,
    person_from_name,
    year_of,
)
from mediatheque.errors import LookupFailed

NAME = "openlibrary"


def query_url(base_url: str, isbn13: str) -> str:
    query = urlencode({"bibkeys": f"ISBN:{isbn13}", "format": "json", "jscmd": "data"})
    return f"{base_url}/api/books?{query}"


def _names(items: Any) -> list[str]:
    if not isinstance(items, list):
        return []
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        text = clean(name) if isinstance(name, str) else None
        if text:
            names.append(text)
    return names


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("value")
    return clean(value) if isinstance(value, str) else None


def _isbn13(entry: dict[str, Any]) -> str | None:
    identifiers = entry.get("identifiers")
    values = identifiers.get("isbn_13") if isinstance(identifiers, dict) else None
    return values[0] if isinstance(values, list) and values and isinstance(values[0], str) \
        else None


def parse_response(body: bytes, isbn13: str) -> BookMetadata | None:
    data = json_object(body, NAME)
    entry = data.get(f"ISBN:{isbn13}") or next(iter(data.values()), None)
    if entry is None:
        return None
    if not isinstance(entry, dict):
        raise LookupFailed(NAME, "bad_response", "unexpected entry")
    if not _text(entry.get("title")):
        return None
    authors = [p for p in (person_from_name(n) for n in _names(entry.get("authors"))) if p]
    pages = entry.get("number_of_pages")
    classifications = entry.get("classifications")
    dewey = _names(classifications.get("dewey_decimal_class")) if isinstance(
        classifications, dict) else []
    cover = entry.get("cover")
    covers: dict[str, Any] = cover if isinstance(cover, dict) else {}
    cover_url = next((covers[size] for size in ("large", "medium", "small")
                      if isinstance(covers.get(size), str)), None)
    language_keys = [item.get("key") for item in entry.get("languages") or []
                     if isinstance(item, dict)]
    contributors: tuple[Person, ...] = tuple(authors)
    return BookMetadata(
        isbn13=_isbn13(entry) or isbn13,
        title=_text(entry.get("title")),
        subtitle=_text(entry.get("subtitle")),
        responsibility=_text(entry.get("by_statement")),
        contributors=contributors,
        publisher=next(iter(_names(entry.get("publishers"))), None),
        place=next(iter(_names(entry.get("publish_places"))), None),
        year=year_of(_text(entry.get("publish_date"))),
        edition=_text(entry.get("edition_name")),
        extent=f"{pages} p." if isinstance(pages, int) and pages > 0 else None,
        languages=languages(language_keys),
        subjects=tuple(dict.fromkeys(_names(entry.get("subjects"))[:12])),
        dewey=dewey[0] if dewey else None,
        summary=_text(entry.get("description")) or _text(entry.get("notes")),
        cover_url=cover_url,
        sources=(NAME,),
    )


def lookup(isbn13: str, client: HttpClient) -> BookMetadata | None:
    response = client.get(
        query_url(client.settings.openlibrary_url, isbn13),
        provider=NAME,
        accept="application/json",
    )
    return parse_response(response.body, isbn13)

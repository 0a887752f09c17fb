"""Google Books (`/volumes?q=isbn:…`), with the library's API key when there is one: the
anonymous quota is shared by everybody and answers 429 much of the day."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from mediatheque.catalogue.http import HttpClient
from mediatheque.catalogue.metadata import BookMetadata
from mediatheque.catalogue.providers.normalise import (
    clean,
    json_object,
    languages,
    person_from_name,
    year_of,
)
from mediatheque.errors import LookupFailed

NAME = "google"
_TAGS = re.compile(r"<[^>]+>")


def query_url(base_url: str, isbn13: str, key: str | None) -> str:
    params = {"q": f"isbn:{isbn13}", "maxResults": "3"}
    if key:
        params["key"] = key
    return f"{base_url}/volumes?{urlencode(params)}"


def cover_url(links: Any) -> str | None:
    """The thumbnail, over https and without the page-curl effect."""
    if not isinstance(links, dict):
        return None
    url = links.get("thumbnail") or links.get("smallThumbnail")
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "edge"])
    scheme = "https" if parts.scheme == "http" else parts.scheme
    return urlunsplit((scheme, parts.netloc, parts.path, query, ""))


def _isbns(info: dict[str, Any]) -> list[str]:
    identifiers = info.get("industryIdentifiers")
    if not isinstance(identifiers, list):
        return []
    return [item.get("identifier", "") for item in identifiers
            if isinstance(item, dict) and item.get("type") == "ISBN_13"]


def _text(value: Any) -> str | None:
    return clean(value) if isinstance(value, str) else None


def _strings(value: Any) -> list[str]:
    return [text for text in (_text(v) for v in value) if text] if isinstance(value, list) \
        else []


def parse_response(body: bytes, isbn13: str) -> BookMetadata | None:
    data = json_object(body, NAME)
    if isinstance(data.get("error"), dict):
        raise LookupFailed(NAME, "bad_response", str(data["error"].get("message", ""))[:120])
    items = data.get("items") or []
    volumes = [item["volumeInfo"] for item in items
               if isinstance(item, dict) and isinstance(item.get("volumeInfo"), dict)]
    # q=isbn: sometimes brings other books along; only a volume carrying our ISBN counts
    # (or the single answer when Google gives no identifiers at all).
    matching = [info for info in volumes if isbn13 in _isbns(info)]
    if not matching and len(volumes) == 1 and not _isbns(volumes[0]):
        matching = volumes
    if not matching or not _text(matching[0].get("title")):
        return None
    info = matching[0]
    description = _text(info.get("description"))
    pages = info.get("pageCount")
    return BookMetadata(
        isbn13=isbn13,
        title=_text(info.get("title")),
        subtitle=_text(info.get("subtitle")),
        contributors=tuple(p for p in map(person_from_name, _strings(info.get("authors"))) if p),
        publisher=_text(info.get("publisher")),
        year=year_of(_text(info.get("publishedDate"))),
        extent=f"{pages} p." if isinstance(pages, int) and pages > 0 else None,
        languages=languages([_text(info.get("language"))]),
        subjects=tuple(dict.fromkeys(_strings(info.get("categories")))),
        summary=clean(html.unescape(_TAGS.sub(" ", description))) if description else None,
        cover_url=cover_url(info.get("imageLinks")),
        sources=(NAME,),
    )


def lookup(isbn13: str, client: HttpClient) -> BookMetadata | None:
    settings = client.settings
    response = client.get(
        query_url(settings.google_url, isbn13, settings.google_key),
        provider=NAME,
        accept="application/json",
    )
    return parse_response(response.body, isbn13)

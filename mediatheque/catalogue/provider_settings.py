"""Where the metadata providers are and how politely we ask them.

Stored in the settings table (keys `lookup.*`, JSON values, like the library settings);
the environment variables MEDIATHEQUE_PROVIDER_BNF / _OPENLIBRARY / _GOOGLE override the
stored base URLs, so tests and a regional proxy can redirect every lookup without touching
the database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediatheque import __version__
from mediatheque.errors import InvalidValue
from mediatheque.models import Setting

# Open Library throttles (and may refuse) clients that do not name themselves; the project
# has no public address yet, so a library should add its own e-mail in the
# `lookup.user_agent` setting (README, "ISBN lookup").
DEFAULT_USER_AGENT = (
    f"Mediatheque/{__version__} (library catalogue of the Alliance Francaise network)"
)

ENVIRONMENT = {
    "bnf_url": "MEDIATHEQUE_PROVIDER_BNF",
    "openlibrary_url": "MEDIATHEQUE_PROVIDER_OPENLIBRARY",
    "google_url": "MEDIATHEQUE_PROVIDER_GOOGLE",
}
_PREFIX = "lookup."


@dataclass(frozen=True)
class ProviderSettings:
    """Base URLs without a trailing slash; `timeout` in seconds per request; `min_interval`
    the least time between two requests to the same host (BnF and Open Library ask for
    about one a second)."""

    bnf_url: str = "https://catalogue.bnf.fr/api/SRU"
    openlibrary_url: str = "https://openlibrary.org"
    google_url: str = "https://www.googleapis.com/books/v1"
    google_key: str | None = None
    timeout: float = 6.0
    user_agent: str = DEFAULT_USER_AGENT
    min_interval: float = 1.0

    def validated(self) -> ProviderSettings:
        cleaned = replace(
            self,
            bnf_url=self.bnf_url.strip().rstrip("/"),
            openlibrary_url=self.openlibrary_url.strip().rstrip("/"),
            google_url=self.google_url.strip().rstrip("/"),
            google_key=(self.google_key or "").strip() or None,
            user_agent=self.user_agent.strip(),
        )
        for name in ENVIRONMENT:
            url = getattr(cleaned, name)
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise InvalidValue(name, url)
        if not 0 < cleaned.timeout <= 120:
            raise InvalidValue("timeout", str(self.timeout))
        if not 0 <= cleaned.min_interval <= 60:
            raise InvalidValue("min_interval", str(self.min_interval))
        if not cleaned.user_agent or not cleaned.user_agent.isascii() or any(
            char in cleaned.user_agent for char in "\r\n"
        ):
            raise InvalidValue("user_agent", self.user_agent)
        if cleaned.google_key and not cleaned.google_key.isascii():
            raise InvalidValue("google_key", "…")
        return cleaned


def load_provider_settings(session: Session, environ: Mapping[str, str]) -> ProviderSettings:
    """Defaults, overridden by the stored settings, overridden by the environment."""
    names = {field.name for field in fields(ProviderSettings)}
    rows = session.execute(
        select(Setting.key, Setting.value).where(Setting.key.like(f"{_PREFIX}%"))
    )
    values: dict[str, Any] = {}
    for key, raw in rows:
        name = key.removeprefix(_PREFIX)
        if name in names:
            try:
                values[name] = json.loads(raw)
            except ValueError:
                continue
    for name, variable in ENVIRONMENT.items():
        if environ.get(variable, "").strip():
            values[name] = environ[variable].strip()
    try:
        return ProviderSettings(**values).validated()
    except (InvalidValue, TypeError, AttributeError):
        # A damaged stored value must not stop cataloguing: the environment still counts.
        overridden = {name: values[name] for name, variable in ENVIRONMENT.items()
                      if environ.get(variable, "").strip()}
        return ProviderSettings(**overridden).validated()


def save_provider_settings(session: Session, settings: ProviderSettings) -> ProviderSettings:
    """Validates and stores the settings; returns the stored (normalised) values."""
    cleaned = settings.validated()
    for name, value in asdict(cleaned).items():
        session.merge(Setting(key=_PREFIX + name, value=json.dumps(value, ensure_ascii=False)))
    session.flush()
    return cleaned

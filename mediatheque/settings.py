"""Library settings, stored in the database (so every desk and every report sees the same),
read and written through one typed dataclass."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediatheque.errors import InvalidValue
from mediatheque.i18n import LANGUAGES
from mediatheque.models import Setting

LIBRARY_CODE = re.compile(r"^[A-Z0-9-]{2,32}$")
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
BARCODE_PREFIX = re.compile(r"^[1-9][0-9]{2}$")


@dataclass(frozen=True)
class LibrarySettings:
    """The library's identity and its defaults. `name` empty means not set up yet."""

    name: str = ""
    code: str = ""
    short_name: str = ""
    city: str = ""
    country: str = "KZ"
    timezone: str = "Asia/Almaty"
    language: str = "fr"
    director_language: str = "fr"
    barcode_prefix: str = "100"
    currency: str = "KZT"

    @property
    def is_initialised(self) -> bool:
        return bool(self.name and self.code)

    def validated(self) -> LibrarySettings:
        """Normalises the values and raises InvalidValue for the first one that does not fit."""
        cleaned = replace(
            self,
            name=self.name.strip(),
            code=self.code.strip().upper(),
            short_name=self.short_name.strip(),
            city=self.city.strip(),
            country=self.country.strip().upper(),
            timezone=self.timezone.strip(),
            currency=self.currency.strip().upper(),
        )
        if not cleaned.name or len(cleaned.name) > 200:
            raise InvalidValue("name", self.name)
        if not LIBRARY_CODE.match(cleaned.code):
            raise InvalidValue("code", self.code)
        if not COUNTRY_CODE.match(cleaned.country):
            raise InvalidValue("country", self.country)
        try:
            ZoneInfo(cleaned.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise InvalidValue("timezone", self.timezone) from error
        for field in ("language", "director_language"):
            if getattr(cleaned, field) not in LANGUAGES:
                raise InvalidValue(field, getattr(cleaned, field))
        if not BARCODE_PREFIX.match(cleaned.barcode_prefix):
            raise InvalidValue("barcode_prefix", self.barcode_prefix)
        return cleaned

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


_PREFIX = "library."
T = TypeVar("T")


def load_section(session: Session, prefix: str, cls: type[T]) -> T:
    """Reads a settings dataclass stored as one row per field under `prefix` (e.g.
    "cards."); fields never stored keep the dataclass's defaults, unknown keys are ignored
    (a newer desk may have written them)."""
    names = {field.name for field in fields(cls)}  # type: ignore[arg-type]
    query = select(Setting.key, Setting.value).where(Setting.key.like(f"{prefix}%"))
    values: dict[str, Any] = {}
    for key, raw in session.execute(query):
        name = key.removeprefix(prefix)
        if name in names:
            values[name] = json.loads(raw)
    return cls(**values)


def save_section(session: Session, prefix: str, value: Any) -> None:
    """Stores every field of a settings dataclass under `prefix`. Validate before calling."""
    for name, field_value in asdict(value).items():
        session.merge(
            Setting(key=prefix + name, value=json.dumps(field_value, ensure_ascii=False))
        )
    session.flush()


def load_library_settings(session: Session) -> LibrarySettings:
    return load_section(session, _PREFIX, LibrarySettings)


def save_library_settings(session: Session, settings: LibrarySettings) -> LibrarySettings:
    """Validates and stores the settings; returns the stored (normalised) values."""
    cleaned = settings.validated()
    save_section(session, _PREFIX, cleaned)
    return cleaned

"""Dates, sizes and database descriptions as people read them, in the interface language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from mediatheque.db import Database
from mediatheque.i18n import _, current_language

KIB = 1024


def format_instant(moment: datetime, zone: ZoneInfo) -> str:
    """'22 nov. 2026 15:40' in the library's time zone and the interface language."""
    local = moment.astimezone(zone)
    language = current_language()
    day = format_date(local, "medium", locale=language)
    return f"{day} {format_time(local, 'short', locale=language)}"


def format_size(size: int) -> str:
    language = current_language()
    if size < KIB * KIB:
        return _("{size} KB").format(
            size=format_decimal(max(1, round(size / KIB)), locale=language)
        )
    return _("{size} MB").format(
        size=format_decimal(round(size / KIB / KIB, 1), "#,##0.0", locale=language)
    )


def engine_name(database: Database) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(
        database.dialect, database.dialect
    )

"""Dates, sizes and database descriptions as people read them, in the interface language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from mediatheque import formatting
from mediatheque.db import Database
from mediatheque.i18n import _

KIB = 1024


def format_instant(moment: datetime, zone: ZoneInfo) -> str:
    """'22 nov. 2026 15:40' in the library's time zone and the interface language."""
    return formatting.moment(moment, zone)


def format_size(size: int) -> str:
    if size < KIB * KIB:
        return _("{size} KB").format(size=formatting.number(max(1, round(size / KIB))))
    return _("{size} MB").format(size=formatting.decimal(round(size / KIB / KIB, 1), 1))


def engine_name(database: Database) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(
        database.dialect, database.dialect
    )


def day_edit_format() -> str:
    """The display format of a date field in the interface language, with a four-digit
    year: 22/11/2026 (fr, en), 22.11.2026 (ru, kk)."""
    return formatting.sheet_day_format().replace("mm", "MM")

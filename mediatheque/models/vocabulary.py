"""Fixed vocabularies stored as words in the database and checked by constraints.

The words are stable identifiers (they appear in CLI JSON and in FM21 mappings); the labels
people see are translated in the UI and CLI.
"""

from __future__ import annotations

from enum import StrEnum


class MediaType(StrEnum):
    """FM21.md §3.1."""

    BOOK = "book"
    COMIC = "comic"
    FLE_METHOD = "fle_method"
    PERIODICAL = "periodical"
    DVD = "dvd"
    MUSIC_CD = "music_cd"
    AUDIOBOOK = "audiobook"
    KIT = "kit"
    GAME = "game"
    DIGITAL = "digital"


class Audience(StrEnum):
    """FM21.md §3.2 (100$a/17): a children's general, c 5–10, d 9–14, e teenagers, m adults."""

    CHILDREN = "children"
    AGES_5_10 = "ages_5_10"
    AGES_9_14 = "ages_9_14"
    TEENAGERS = "teenagers"
    ADULTS = "adults"
    UNKNOWN = "unknown"


class CefrLevel(StrEnum):
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


class CopyStatus(StrEnum):
    """Physical state of a copy. Being on loan is not a status: it is an open Loan."""

    AVAILABLE = "available"
    REFERENCE = "reference"
    REPAIR = "repair"
    LOST = "lost"
    MISSING = "missing"
    WITHDRAWN = "withdrawn"


class AcquisitionMode(StrEnum):
    PURCHASE = "purchase"
    GIFT = "gift"
    PROGRAMME = "programme"
    EXCHANGE = "exchange"
    UNKNOWN = "unknown"


class ContributorRole(StrEnum):
    """UNIMARC relator codes (FM21.md §3.2)."""

    AUTHOR = "070"
    TRANSLATOR = "730"
    ILLUSTRATOR = "440"
    EDITOR = "340"
    PREFACE = "080"
    OTHER = "000"


class SubjectScheme(StrEnum):
    LOCAL = "local"
    RAMEAU = "rameau"


class MemberStatus(StrEnum):
    ACTIVE = "active"
    BLOCKED = "blocked"


class HoldStatus(StrEnum):
    WAITING = "waiting"
    READY = "ready"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class ClosureKind(StrEnum):
    HOLIDAY = "holiday"
    CLOSURE = "closure"
    EMERGENCY = "emergency"


class StaffRole(StrEnum):
    ADMIN = "admin"
    LIBRARIAN = "librarian"
    DIRECTOR = "director"


class LookupStatus(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"


LANGUAGE_PREFERENCES = ("fr", "ru", "kk", "en")


def words(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)

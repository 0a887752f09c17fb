"""SQLAlchemy 2 typed models of the whole domain (DESIGN.md §3), one module per area."""

from mediatheque.models.base import Base, UTCDateTime
from mediatheque.models.catalogue import (
    Contribution,
    Contributor,
    Copy,
    Keyword,
    Location,
    Record,
    RecordCover,
    RecordKeyword,
    RecordLanguage,
    RecordSubject,
    RecordTombstone,
    Subject,
)
from mediatheque.models.circulation import ClosedWeekday, Closure, Hold, Loan, LoanRule, Renewal
from mediatheque.models.library import Counter, Setting
from mediatheque.models.lookup import LookupCacheEntry, PendingLookup
from mediatheque.models.members import Member, MemberCategory, ReplacedCard
from mediatheque.models.search import RecordSearch
from mediatheque.models.staff import AuditEntry, Staff

__all__ = [
    "AuditEntry",
    "Base",
    "ClosedWeekday",
    "Closure",
    "Contribution",
    "Contributor",
    "Copy",
    "Counter",
    "Hold",
    "Keyword",
    "Loan",
    "LoanRule",
    "Location",
    "LookupCacheEntry",
    "Member",
    "MemberCategory",
    "PendingLookup",
    "Record",
    "RecordCover",
    "RecordKeyword",
    "RecordLanguage",
    "RecordSearch",
    "RecordSubject",
    "RecordTombstone",
    "Renewal",
    "ReplacedCard",
    "Setting",
    "Staff",
    "Subject",
    "UTCDateTime",
]

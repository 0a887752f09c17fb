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
from mediatheque.models.circulation import (
    BorrowerMonth,
    ClosedWeekday,
    Closure,
    Hold,
    Loan,
    LoanRule,
    Renewal,
)
from mediatheque.models.exchange import ReferenceCatalogue, ReferenceRecord
from mediatheque.models.library import Counter, Setting
from mediatheque.models.lookup import LookupCacheEntry, PendingLookup
from mediatheque.models.members import (
    Member,
    MemberCategory,
    MemberSearch,
    MemberSearchKey,
    ReplacedCard,
)
from mediatheque.models.notices import NoticeSent
from mediatheque.models.search import RecordSearch
from mediatheque.models.staff import AuditEntry, Staff

__all__ = [
    "AuditEntry",
    "Base",
    "BorrowerMonth",
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
    "MemberSearch",
    "MemberSearchKey",
    "NoticeSent",
    "PendingLookup",
    "Record",
    "RecordCover",
    "RecordKeyword",
    "RecordLanguage",
    "RecordSearch",
    "RecordSubject",
    "RecordTombstone",
    "ReferenceCatalogue",
    "ReferenceRecord",
    "Renewal",
    "ReplacedCard",
    "Setting",
    "Staff",
    "Subject",
    "UTCDateTime",
]

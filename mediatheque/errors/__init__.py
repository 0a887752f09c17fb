"""Typed errors of the core. They carry a stable code and data, never prose for people:
the CLI and the UI turn them into translated messages (see mediatheque.messages).

Errors of the foundation and the catalogue are here; each other area keeps its own in a
module of this package, re-exported here so that `from mediatheque.errors import X` works
for every one of them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from mediatheque.errors.base import MediathequeError
from mediatheque.errors.circulation import (
    LoanRefused,
    UnknownHold,
)
from mediatheque.errors.exchange import (
    BadPackage,
    ChecksumMismatch,
    ExportCancelled,
    UnknownReferenceCatalogue,
    UnreadableMarc,
    UnsafePath,
)
from mediatheque.errors.members import (
    CategoryInUse,
    DefaultLoanRuleRequired,
    DuplicateCategory,
    DuplicateLoanRule,
    ExpiryBeforeStart,
    InvalidEmail,
    InvalidName,
    InvalidPhone,
    MemberCsvColumns,
    MemberHasLoans,
    PossibleDuplicateMember,
    UnknownCategory,
    UnknownLoanRule,
    UnknownMember,
)
from mediatheque.errors.printing import (
    BarcodeTooWide,
    LabelStartBeyondSheet,
    NothingToPrint,
    PrintingCancelled,
    UnprintableBarcode,
)
from mediatheque.errors.reports import (
    MailFailed,
    MonthInFuture,
    OutputUnwritable,
    ReportCancelled,
    UnsupportedReportFormat,
)
from mediatheque.errors.staff import (
    AccountLocked,
    BadCredentials,
    DuplicateLogin,
    InvalidPassword,
    LastAdministrator,
    LoginRequired,
    UnknownStaff,
)

__all__ = [
    "AccountLocked",
    "BadCredentials",
    "BadPackage",
    "BarcodeTooWide",
    "CategoryInUse",
    "ChecksumMismatch",
    "DataDirUnwritable",
    "DatabaseCorrupt",
    "DatabaseLocked",
    "DatabaseNewer",
    "DatabaseNotEmpty",
    "DatabaseUnavailable",
    "DefaultLoanRuleRequired",
    "DuplicateBarcode",
    "DuplicateCategory",
    "DuplicateLoanRule",
    "DuplicateLogin",
    "EditConflict",
    "ExpiryBeforeStart",
    "ExportCancelled",
    "ImportCancelled",
    "InvalidCover",
    "InvalidDatabaseUrl",
    "InvalidEmail",
    "InvalidIsbn",
    "InvalidName",
    "InvalidPassword",
    "InvalidPhone",
    "InvalidValue",
    "LabelStartBeyondSheet",
    "LastAdministrator",
    "LibraryNotInitialised",
    "LoanRefused",
    "LoginRequired",
    "LookupCancelled",
    "LookupFailed",
    "MailFailed",
    "MediathequeError",
    "MemberCsvColumns",
    "MemberHasLoans",
    "MonthInFuture",
    "NotABackup",
    "NothingToPrint",
    "OutputUnwritable",
    "PermissionDenied",
    "PossibleDuplicateMember",
    "PrintingCancelled",
    "RecordHasLoans",
    "ReportCancelled",
    "SearchIndexCancelled",
    "UnknownBarcode",
    "UnknownCategory",
    "UnknownHold",
    "UnknownLoanRule",
    "UnknownMember",
    "UnknownRecord",
    "UnknownReferenceCatalogue",
    "UnknownStaff",
    "UnprintableBarcode",
    "UnreadableCsv",
    "UnreadableMarc",
    "UnsafePath",
    "UnsupportedReportFormat",
]


@dataclass
class InvalidDatabaseUrl(MediathequeError):
    """`problem`: syntax, engine, driver, no_database or no_file."""

    url: str
    problem: str
    detail: str = ""
    code: ClassVar[str] = "invalid_database_url"

    def __str__(self) -> str:
        return f"invalid database URL {self.url!r}: {self.problem} {self.detail}".strip()

    def details(self) -> dict[str, object]:
        return {"url": self.url, "problem": self.problem}


@dataclass
class DataDirUnwritable(MediathequeError):
    path: Path
    code: ClassVar[str] = "data_dir_unwritable"

    def __str__(self) -> str:
        return f"cannot write in {self.path}"

    def details(self) -> dict[str, object]:
        return {"path": str(self.path)}


@dataclass
class DatabaseCorrupt(MediathequeError):
    path: Path
    problem: str
    latest_backup: Path | None = None
    code: ClassVar[str] = "database_corrupt"

    def __str__(self) -> str:
        return f"{self.path} is damaged: {self.problem}"

    def details(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "latest_backup": str(self.latest_backup) if self.latest_backup else None,
        }


@dataclass
class DatabaseNewer(MediathequeError):
    found: str
    supported: str
    code: ClassVar[str] = "database_newer"

    def __str__(self) -> str:
        return f"database schema {self.found} is newer than this version ({self.supported})"

    def details(self) -> dict[str, object]:
        return {"found": self.found, "supported": self.supported}


@dataclass
class DatabaseLocked(MediathequeError):
    waited_seconds: float
    code: ClassVar[str] = "database_locked"

    def __str__(self) -> str:
        return f"database still busy after {self.waited_seconds:g} s"

    def details(self) -> dict[str, object]:
        return {"waited_seconds": self.waited_seconds}


@dataclass
class DatabaseUnavailable(MediathequeError):
    problem: str
    code: ClassVar[str] = "database_unavailable"

    def __str__(self) -> str:
        return f"cannot reach the database: {self.problem}"


@dataclass
class NotABackup(MediathequeError):
    """`problem`: missing, damaged, foreign (not our database) or newer."""

    path: Path
    problem: str
    detail: str = ""
    code: ClassVar[str] = "not_a_backup"

    def __str__(self) -> str:
        return f"{self.path} is not a usable backup: {self.problem} {self.detail}".strip()

    def details(self) -> dict[str, object]:
        return {"path": str(self.path), "problem": self.problem, "detail": self.detail}


@dataclass
class LibraryNotInitialised(MediathequeError):
    code: ClassVar[str] = "library_not_initialised"

    def __str__(self) -> str:
        return "the library has not been set up yet (run init)"


@dataclass
class DatabaseNotEmpty(MediathequeError):
    what: str
    count: int
    code: ClassVar[str] = "database_not_empty"

    def __str__(self) -> str:
        return f"the database already holds {self.count} {self.what}"

    def details(self) -> dict[str, object]:
        return {"what": self.what, "count": self.count}


@dataclass
class InvalidValue(MediathequeError):
    """A value given by a person does not fit (a field name and the value are kept)."""

    field: str
    value: str
    code: ClassVar[str] = "invalid_value"

    def __str__(self) -> str:
        return f"invalid {self.field}: {self.value!r}"

    def details(self) -> dict[str, object]:
        return {"field": self.field, "value": self.value}


@dataclass
class InvalidIsbn(MediathequeError):
    """`problem`: length, characters, prefix, checksum. `suggestion` is the number with the right
    check digit when only that digit is wrong."""

    text: str
    problem: str
    suggestion: str | None = None
    code: ClassVar[str] = "invalid_isbn"

    def __str__(self) -> str:
        return f"invalid ISBN {self.text!r}: {self.problem}"

    def details(self) -> dict[str, object]:
        return {"isbn": self.text, "problem": self.problem, "suggestion": self.suggestion}


@dataclass
class UnknownRecord(MediathequeError):
    record_id: int
    code: ClassVar[str] = "unknown_record"

    def __str__(self) -> str:
        return f"no record {self.record_id}"

    def details(self) -> dict[str, object]:
        return {"record_id": self.record_id}


@dataclass
class UnknownBarcode(MediathequeError):
    barcode: str
    code: ClassVar[str] = "unknown_barcode"

    def __str__(self) -> str:
        return f"unknown barcode {self.barcode!r}"

    def details(self) -> dict[str, object]:
        return {"barcode": self.barcode}


@dataclass
class DuplicateBarcode(MediathequeError):
    barcode: str
    code: ClassVar[str] = "duplicate_barcode"

    def __str__(self) -> str:
        return f"barcode {self.barcode!r} is already used"

    def details(self) -> dict[str, object]:
        return {"barcode": self.barcode}


@dataclass
class RecordHasLoans(MediathequeError):
    """A record (or copy) with copies on loan cannot be deleted."""

    record_id: int
    on_loan: int
    code: ClassVar[str] = "copies_on_loan"

    def __str__(self) -> str:
        return f"record {self.record_id} has {self.on_loan} copies on loan"

    def details(self) -> dict[str, object]:
        return {"record_id": self.record_id, "on_loan": self.on_loan}


@dataclass
class LookupFailed(MediathequeError):
    """No provider could answer: `reason` is offline, timeout, rate_limited, server_error or
    bad_response (garbage, HTML error page, truncated XML/JSON)."""

    provider: str
    reason: str
    detail: str = ""
    code: ClassVar[str] = "lookup_failed"

    def __str__(self) -> str:
        return f"{self.provider}: {self.reason} {self.detail}".strip()

    def details(self) -> dict[str, object]:
        return {"provider": self.provider, "reason": self.reason}


@dataclass
class LookupCancelled(MediathequeError):
    """The person cancelled an ISBN lookup; nothing was written."""

    isbn13: str
    code: ClassVar[str] = "cancelled"

    def __str__(self) -> str:
        return f"lookup of {self.isbn13} cancelled"

    def details(self) -> dict[str, object]:
        return {"isbn": self.isbn13}


@dataclass
class InvalidCover(MediathequeError):
    """A cover that is not a usable image: `problem` is empty, too_large or not_an_image
    (only PNG, JPEG, GIF and WebP are kept); `size` in bytes."""

    problem: str
    size: int
    code: ClassVar[str] = "invalid_cover"

    def __str__(self) -> str:
        return f"unusable cover image ({self.problem}, {self.size} bytes)"

    def details(self) -> dict[str, object]:
        return {"problem": self.problem, "size": self.size}


@dataclass
class UnreadableCsv(MediathequeError):
    """A spreadsheet file that cannot be imported at all: `problem` is missing, empty,
    binary (not text: an .xlsx, an image…) or no_title_column (no column was recognised
    as the title; `detail` lists the headers)."""

    path: str
    problem: str
    detail: str = ""
    code: ClassVar[str] = "unreadable_csv"

    def __str__(self) -> str:
        return f"cannot import {self.path}: {self.problem} {self.detail}".strip()

    def details(self) -> dict[str, object]:
        return {"path": self.path, "problem": self.problem, "detail": self.detail}


@dataclass
class ImportCancelled(MediathequeError):
    """The person cancelled an import; the caller's transaction is rolled back."""

    done: int
    total: int
    code: ClassVar[str] = "cancelled"

    def __str__(self) -> str:
        return f"import cancelled after {self.done} of {self.total} rows"

    def details(self) -> dict[str, object]:
        return {"done": self.done, "total": self.total}


@dataclass
class SearchIndexCancelled(MediathequeError):
    """The person cancelled rebuilding the search index; the transaction is rolled back."""

    done: int
    total: int
    code: ClassVar[str] = "cancelled"

    def __str__(self) -> str:
        return f"search index rebuild cancelled after {self.done} of {self.total} records"

    def details(self) -> dict[str, object]:
        return {"done": self.done, "total": self.total}


@dataclass
class PermissionDenied(MediathequeError):
    """The acting staff member's role does not allow this (mediatheque.permissions)."""

    permission: str
    role: str
    code: ClassVar[str] = "permission_denied"

    def __str__(self) -> str:
        return f"a {self.role} may not {self.permission}"

    def details(self) -> dict[str, object]:
        return {"permission": self.permission, "role": self.role}


@dataclass
class EditConflict(MediathequeError):
    """Someone else (another desk) saved this since it was shown: nothing was overwritten."""

    entity: str
    entity_id: int
    code: ClassVar[str] = "edit_conflict"

    def __str__(self) -> str:
        return f"{self.entity} {self.entity_id} was changed by someone else meanwhile"

    def details(self) -> dict[str, object]:
        return {"entity": self.entity, "entity_id": self.entity_id}

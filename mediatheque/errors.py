"""Typed errors of the core. They carry a stable code and data, never prose for people:
the CLI and the UI turn them into translated messages (see mediatheque.messages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import ClassVar


class MediathequeError(Exception):
    """Base of every error the core raises on purpose. `code` is stable (CLI.md)."""

    code: ClassVar[str] = "error"

    def details(self) -> dict[str, object]:
        """Machine-readable data for JSON output."""
        return {}


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
class LoanRefused(MediathequeError):
    """A loan, renewal or hold the rules refuse. `reason` is a stable word (CLI.md):
    unknown_barcode, unknown_member, membership_expired, member_blocked, card_replaced,
    loan_limit, has_overdue, not_for_loan, copy_on_loan, held_for_other, renewal_limit,
    overdue_renewal, hold_limit, already_held, already_borrowed. `detail` carries the data
    the sentence needs ({"limit": 5}, {"on_loan_to": 12, "due": "2026-12-01"}…)."""

    reason: str
    copy_barcode: str | None = None
    member_id: int | None = None
    detail: dict[str, object] = field(default_factory=dict)
    code: ClassVar[str] = "loan_refused"

    def __str__(self) -> str:
        return f"refused ({self.reason}): copy {self.copy_barcode}, member {self.member_id}"

    def details(self) -> dict[str, object]:
        return {
            "reason": self.reason,
            "copy": self.copy_barcode,
            "member_id": self.member_id,
            **self.detail,
        }


@dataclass
class UnknownHold(MediathequeError):
    hold_id: int
    code: ClassVar[str] = "unknown_hold"

    def __str__(self) -> str:
        return f"no hold {self.hold_id}"

    def details(self) -> dict[str, object]:
        return {"hold_id": self.hold_id}


@dataclass
class BadCredentials(MediathequeError):
    """Wrong login or password, a disabled account: deliberately the same error, so that it
    never tells whether a login exists."""

    code: ClassVar[str] = "bad_credentials"

    def __str__(self) -> str:
        return "wrong login or password"


@dataclass
class AccountLocked(MediathequeError):
    """Too many failed logins: the account refuses every password until `until` (UTC)."""

    until: datetime
    code: ClassVar[str] = "account_locked"

    def __str__(self) -> str:
        return f"account locked until {self.until}"

    def details(self) -> dict[str, object]:
        until = self.until.isoformat() if isinstance(self.until, datetime) else str(self.until)
        return {"until": until}


@dataclass
class LoginRequired(MediathequeError):
    """Staff accounts exist: the command must say who runs it (--login)."""

    code: ClassVar[str] = "login_required"

    def __str__(self) -> str:
        return "staff accounts exist: give --login"


@dataclass
class DuplicateLogin(MediathequeError):
    login: str
    code: ClassVar[str] = "duplicate_login"

    def __str__(self) -> str:
        return f"login {self.login!r} is already used"

    def details(self) -> dict[str, object]:
        return {"login": self.login}


@dataclass
class InvalidPassword(MediathequeError):
    """`problem`: too_short or too_long (`limit` characters)."""

    problem: str
    limit: int
    code: ClassVar[str] = "invalid_password"

    def __str__(self) -> str:
        return f"unacceptable password: {self.problem} ({self.limit})"

    def details(self) -> dict[str, object]:
        return {"problem": self.problem, "limit": self.limit}


@dataclass
class LastAdministrator(MediathequeError):
    """The last active administrator cannot be disabled or given another role."""

    login: str
    code: ClassVar[str] = "last_admin"

    def __str__(self) -> str:
        return f"{self.login!r} is the last administrator"

    def details(self) -> dict[str, object]:
        return {"login": self.login}


@dataclass
class UnknownStaff(MediathequeError):
    login: str
    code: ClassVar[str] = "unknown_staff"

    def __str__(self) -> str:
        return f"no staff account {self.login!r}"

    def details(self) -> dict[str, object]:
        return {"login": self.login}


@dataclass
class BarcodeTooWide(MediathequeError):
    """A barcode does not fit on a card or label even at the narrowest printable module."""

    barcode: str
    width_mm: float
    available_mm: float
    code: ClassVar[str] = "barcode_too_wide"

    def __str__(self) -> str:
        return (f"barcode {self.barcode!r} needs {self.width_mm:.1f} mm, "
                f"only {self.available_mm:.1f} mm available")

    def details(self) -> dict[str, object]:
        return {"barcode": self.barcode, "width_mm": round(self.width_mm, 1),
                "available_mm": round(self.available_mm, 1)}


@dataclass
class UnprintableBarcode(MediathequeError):
    """A barcode holds characters Code 128 cannot encode (e.g. Cyrillic letters)."""

    barcode: str
    code: ClassVar[str] = "unprintable_barcode"

    def __str__(self) -> str:
        return f"barcode {self.barcode!r} cannot be printed as Code 128"

    def details(self) -> dict[str, object]:
        return {"barcode": self.barcode}


@dataclass
class LabelStartBeyondSheet(MediathequeError):
    """The first label position asked for is not on the sheet (positions 1..capacity)."""

    start: int
    capacity: int
    code: ClassVar[str] = "label_start_beyond_sheet"

    def __str__(self) -> str:
        return f"label position {self.start} is not on a sheet of {self.capacity} labels"

    def details(self) -> dict[str, object]:
        return {"start": self.start, "capacity": self.capacity}


@dataclass
class NothingToPrint(MediathequeError):
    """The selection for cards (`what` = "cards") or labels ("labels") is empty."""

    what: str
    code: ClassVar[str] = "nothing_to_print"

    def __str__(self) -> str:
        return f"no {self.what} to print"

    def details(self) -> dict[str, object]:
        return {"what": self.what}


@dataclass
class PrintingCancelled(MediathequeError):
    """The person cancelled rendering cards or labels; no file was written."""

    done: int
    total: int
    code: ClassVar[str] = "cancelled"

    def __str__(self) -> str:
        return f"printing cancelled after {self.done} of {self.total}"

    def details(self) -> dict[str, object]:
        return {"done": self.done, "total": self.total}


@dataclass
class MonthInFuture(MediathequeError):
    """A monthly report was asked for a month that has not begun yet (`month` = YYYY-MM)."""

    month: str
    code: ClassVar[str] = "month_in_future"

    def __str__(self) -> str:
        return f"the month {self.month} has not begun"

    def details(self) -> dict[str, object]:
        return {"month": self.month}


@dataclass
class OutputUnwritable(MediathequeError):
    """A report file cannot be written at `path` (`problem`: the system's reason); no
    partial file is left behind."""

    path: Path
    problem: str
    code: ClassVar[str] = "output_unwritable"

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.problem}"

    def details(self) -> dict[str, object]:
        return {"path": str(self.path), "problem": self.problem}


@dataclass
class UnsupportedReportFormat(MediathequeError):
    """The output file's extension is not one the report can write (`allowed`)."""

    path: Path
    allowed: tuple[str, ...]
    code: ClassVar[str] = "unsupported_format"

    def __str__(self) -> str:
        return f"{self.path}: expected one of {', '.join(self.allowed)}"

    def details(self) -> dict[str, object]:
        return {"path": str(self.path), "allowed": list(self.allowed)}


@dataclass
class MailFailed(MediathequeError):
    """The SMTP server could not be used (`reason`: refused, timeout, auth, tls, other);
    no notice was recorded as sent."""

    host: str
    reason: str
    detail: str = ""
    code: ClassVar[str] = "mail_failed"

    def __str__(self) -> str:
        return f"mail server {self.host}: {self.reason} {self.detail}".strip()

    def details(self) -> dict[str, object]:
        return {"host": self.host, "reason": self.reason}


@dataclass
class ReportCancelled(MediathequeError):
    """The person cancelled a report or notices; nothing was written or recorded."""

    done: int
    total: int
    code: ClassVar[str] = "cancelled"

    def __str__(self) -> str:
        return f"report cancelled after {self.done} of {self.total}"

    def details(self) -> dict[str, object]:
        return {"done": self.done, "total": self.total}


@dataclass
class InvalidName(MediathequeError):
    """A member's name that cannot be kept: `problem` is empty, too_long (over `limit`
    characters) or no_letters (digits and signs only)."""

    field: str
    value: str
    problem: str
    limit: int = 0
    code: ClassVar[str] = "invalid_name"

    def __str__(self) -> str:
        return f"invalid {self.field} ({self.problem}): {self.value[:40]!r}"

    def details(self) -> dict[str, object]:
        return {"field": self.field, "problem": self.problem, "limit": self.limit}


@dataclass
class InvalidEmail(MediathequeError):
    value: str
    code: ClassVar[str] = "invalid_email"

    def __str__(self) -> str:
        return f"invalid e-mail address {self.value!r}"

    def details(self) -> dict[str, object]:
        return {"value": self.value}


@dataclass
class InvalidPhone(MediathequeError):
    """A phone number with other characters than digits, spaces, + - . ( ), or with fewer
    than 5 or more than 15 digits."""

    value: str
    code: ClassVar[str] = "invalid_phone"

    def __str__(self) -> str:
        return f"invalid phone number {self.value!r}"

    def details(self) -> dict[str, object]:
        return {"value": self.value}


@dataclass
class ExpiryBeforeStart(MediathequeError):
    start: str
    expiry: str
    code: ClassVar[str] = "expiry_before_start"

    def __str__(self) -> str:
        return f"membership expiry {self.expiry} is before its start {self.start}"

    def details(self) -> dict[str, object]:
        return {"start": self.start, "expiry": self.expiry}


@dataclass
class UnknownMember(MediathequeError):
    """No member with this id or card barcode (`key`)."""

    key: str
    code: ClassVar[str] = "unknown_member"

    def __str__(self) -> str:
        return f"no member {self.key!r}"

    def details(self) -> dict[str, object]:
        return {"member": self.key}


@dataclass
class MemberHasLoans(MediathequeError):
    """A member who still holds loans cannot be deleted."""

    member_id: int
    on_loan: int
    code: ClassVar[str] = "member_has_loans"

    def __str__(self) -> str:
        return f"member {self.member_id} still has {self.on_loan} loans"

    def details(self) -> dict[str, object]:
        return {"member_id": self.member_id, "on_loan": self.on_loan}


@dataclass
class PossibleDuplicateMember(MediathequeError):
    """Raised only when the caller asked to refuse duplicates: members with the same names
    and the same phone or e-mail (`member_ids`)."""

    member_ids: tuple[int, ...]
    code: ClassVar[str] = "duplicate_member"

    def __str__(self) -> str:
        return f"possible duplicate of members {list(self.member_ids)}"

    def details(self) -> dict[str, object]:
        return {"member_ids": list(self.member_ids)}


@dataclass
class UnknownCategory(MediathequeError):
    category: str
    code: ClassVar[str] = "unknown_category"

    def __str__(self) -> str:
        return f"no member category {self.category!r}"

    def details(self) -> dict[str, object]:
        return {"category": self.category}


@dataclass
class CategoryInUse(MediathequeError):
    """A member category still given to `members` members cannot be deleted."""

    category: str
    members: int
    code: ClassVar[str] = "category_in_use"

    def __str__(self) -> str:
        return f"category {self.category!r} is used by {self.members} members"

    def details(self) -> dict[str, object]:
        return {"category": self.category, "members": self.members}


@dataclass
class DuplicateCategory(MediathequeError):
    category: str
    code: ClassVar[str] = "duplicate_category"

    def __str__(self) -> str:
        return f"member category {self.category!r} already exists"

    def details(self) -> dict[str, object]:
        return {"category": self.category}


@dataclass
class UnknownLoanRule(MediathequeError):
    rule_id: int
    code: ClassVar[str] = "unknown_loan_rule"

    def __str__(self) -> str:
        return f"no loan rule {self.rule_id}"

    def details(self) -> dict[str, object]:
        return {"rule_id": self.rule_id}


@dataclass
class DuplicateLoanRule(MediathequeError):
    """A loan rule for this category × media type exists already (None = any)."""

    category: str | None
    media_type: str | None
    code: ClassVar[str] = "duplicate_loan_rule"

    def __str__(self) -> str:
        return f"a loan rule exists for {self.category or '*'} × {self.media_type or '*'}"

    def details(self) -> dict[str, object]:
        return {"category": self.category, "media_type": self.media_type}


@dataclass
class DefaultLoanRuleRequired(MediathequeError):
    """The default loan rule (any category × any media type) cannot be deleted or given
    a narrower scope."""

    rule_id: int
    code: ClassVar[str] = "default_loan_rule"

    def __str__(self) -> str:
        return f"loan rule {self.rule_id} is the default rule"

    def details(self) -> dict[str, object]:
        return {"rule_id": self.rule_id}


@dataclass
class MemberCsvColumns(MediathequeError):
    """A member spreadsheet without a last-name column (`headers` lists those found)."""

    path: str
    headers: str
    code: ClassVar[str] = "unreadable_csv"

    def __str__(self) -> str:
        return f"cannot import {self.path}: no last-name column ({self.headers})"

    def details(self) -> dict[str, object]:
        return {"path": self.path, "problem": "no_name_column", "detail": self.headers}


@dataclass
class BadPackage(MediathequeError):
    """An FM21 package that cannot be imported (FM21.md §1–2), nothing written. `problem`:
    not_a_zip, too_many_entries, too_large (an entry over 2 GiB or compressed more than
    200:1), missing_entry, bad_manifest, not_fm21, unsupported_version (`detail` is the
    package's version), counts (the manifest lies about what the package holds),
    personal_data (items.csv has a column about people), bad_items, bad_records."""

    path: str
    problem: str
    detail: str = ""
    code: ClassVar[str] = "bad_package"

    def __str__(self) -> str:
        return f"bad FM21 package {self.path}: {self.problem} {self.detail}".strip()

    def details(self) -> dict[str, object]:
        return {"path": self.path, "problem": self.problem, "detail": self.detail}


@dataclass
class ChecksumMismatch(MediathequeError):
    """An entry of an FM21 package does not match the SHA-256 or size of its manifest."""

    path: str
    entry: str
    code: ClassVar[str] = "checksum_mismatch"

    def __str__(self) -> str:
        return f"{self.path}: {self.entry} does not match its checksum"

    def details(self) -> dict[str, object]:
        return {"path": self.path, "entry": self.entry}


@dataclass
class UnsafePath(MediathequeError):
    """A package entry named with `/`, `\\`, `..` or an absolute path (zip slip)."""

    path: str
    entry: str
    code: ClassVar[str] = "unsafe_path"

    def __str__(self) -> str:
        return f"{self.path}: unsafe entry name {self.entry!r}"

    def details(self) -> dict[str, object]:
        return {"path": self.path, "entry": self.entry}


@dataclass
class UnreadableMarc(MediathequeError):
    """A file to import that is no catalogue at all: `problem` missing, empty, not_marc
    (neither a package, ISO 2709 nor MARC XML) or bad_xml."""

    path: str
    problem: str
    detail: str = ""
    code: ClassVar[str] = "unreadable_marc"

    def __str__(self) -> str:
        return f"cannot import {self.path}: {self.problem} {self.detail}".strip()

    def details(self) -> dict[str, object]:
        return {"path": self.path, "problem": self.problem, "detail": self.detail}


@dataclass
class ExportCancelled(MediathequeError):
    """The person cancelled an export; no package was written."""

    done: int
    total: int
    code: ClassVar[str] = "cancelled"

    def __str__(self) -> str:
        return f"export cancelled after {self.done} of {self.total} records"

    def details(self) -> dict[str, object]:
        return {"done": self.done, "total": self.total}


@dataclass
class UnknownReferenceCatalogue(MediathequeError):
    code_or_id: str
    code: ClassVar[str] = "unknown_reference_catalogue"

    def __str__(self) -> str:
        return f"no reference catalogue {self.code_or_id}"

    def details(self) -> dict[str, object]:
        return {"catalogue": self.code_or_id}


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

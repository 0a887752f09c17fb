"""Errors of FM21 packages and MARC imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from mediatheque.errors.base import MediathequeError


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

"""Sentences for the errors of catalogue exchange (FM21 packages, MARC files)."""

from __future__ import annotations

from collections.abc import Callable

from mediatheque import errors
from mediatheque.i18n import _

_PACKAGE_PROBLEMS: dict[str, Callable[[], str]] = {
    "not_a_zip": lambda: _("it is not a ZIP file"),
    "too_many_entries": lambda: _("it holds too many files"),
    "too_large": lambda: _("one of its files is too large or compressed suspiciously much"),
    "missing_entry": lambda: _("a required file is missing"),
    "bad_manifest": lambda: _("its manifest.json cannot be read"),
    "not_fm21": lambda: _("it is not an FM21 package"),
    "counts": lambda: _("its manifest does not match what the package holds"),
    "personal_data": lambda: _("it contains personal data, which FM21 forbids"),
    "bad_items": lambda: _("its items.csv cannot be read"),
    "bad_records": lambda: _("its records cannot be read"),
}
_MARC_PROBLEMS: dict[str, Callable[[], str]] = {
    "missing": lambda: _("the file does not exist"),
    "empty": lambda: _("the file is empty"),
    "not_marc": lambda: _("it is neither an FM21 package, a MARC file nor MARC XML"),
    "bad_xml": lambda: _("its XML is malformed"),
}


def describe(error: errors.MediathequeError) -> str | None:
    match error:
        case errors.BadPackage(problem="unsupported_version"):
            return _("{path} is an FM21 package of version {version}; this software reads "
                     "version 1.x only.").format(path=error.path, version=error.detail)
        case errors.BadPackage():
            reason = _PACKAGE_PROBLEMS.get(error.problem)
            return _("{path} cannot be imported: {reason} ({detail}).").format(
                path=error.path, reason=reason() if reason else error.problem,
                detail=error.detail or error.problem)
        case errors.ChecksumMismatch():
            return _("{path} is damaged or was altered: {entry} does not match its "
                     "checksum. Nothing was imported.").format(path=error.path,
                                                               entry=error.entry)
        case errors.UnsafePath():
            return _("{path} was refused: it contains a file named “{entry}”, which could "
                     "write outside its folder.").format(path=error.path, entry=error.entry)
        case errors.UnreadableMarc():
            reason = _MARC_PROBLEMS.get(error.problem)
            return _("{path} cannot be imported: {reason}.").format(
                path=error.path, reason=reason() if reason else error.problem)
        case errors.ExportCancelled():
            return _("Export cancelled: no package was written.")
        case errors.UnknownReferenceCatalogue():
            return _("There is no reference catalogue “{name}”.").format(
                name=error.code_or_id)
    return None

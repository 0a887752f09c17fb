"""Typed errors → the translated sentence shown to people (CLI and UI alike)."""

from __future__ import annotations

from collections.abc import Callable

from mediatheque import errors
from mediatheque.circulation import messages as circulation_messages
from mediatheque.exchange import messages as exchange_messages
from mediatheque.i18n import _, ngettext
from mediatheque.members import messages as members_messages
from mediatheque.printing import messages as printing_messages
from mediatheque.reports import messages as reports_messages
from mediatheque.staff import messages as staff_messages

# Each area of the core may keep the sentences for its own errors in its own module:
# a function returning the sentence, or None for errors that are not its own.
AREA_DESCRIBERS: tuple[Callable[[errors.MediathequeError], str | None], ...] = (
    circulation_messages.describe,
    exchange_messages.describe,
    members_messages.describe,
    printing_messages.describe,
    reports_messages.describe,
    staff_messages.describe,
)

_URL_PROBLEMS: dict[str, Callable[[], str]] = {
    "syntax": lambda: _("it is not a database address"),
    "engine": lambda: _("only SQLite and PostgreSQL are supported"),
    "driver": lambda: _("the PostgreSQL driver must be psycopg"),
    "no_database": lambda: _("the database name is missing"),
    "no_file": lambda: _("an SQLite address needs a file path"),
}
_BACKUP_PROBLEMS: dict[str, Callable[[], str]] = {
    "missing": lambda: _("the file does not exist"),
    "damaged": lambda: _("the file is damaged"),
    "foreign": lambda: _("it is not a Médiathèque database"),
    "newer": lambda: _("it was made by a newer version of Médiathèque"),
}


def describe_error(error: errors.MediathequeError) -> str:  # noqa: PLR0912 (one case per error)
    """One paragraph saying what went wrong, that nothing was lost, and what to do."""
    match error:
        case errors.DatabaseCorrupt():
            text = _(
                "The database {path} is damaged ({problem}). It has not been modified."
            ).format(path=error.path, problem=error.problem)
            if error.latest_backup:
                text += " " + _("The latest backup is {backup}; it can be restored.").format(
                    backup=error.latest_backup
                )
            else:
                text += " " + _("No backup was found.")
            return text
        case errors.DatabaseNewer():
            return _(
                "This database was written by a newer version of Médiathèque (schema "
                "{found}; this version knows up to {supported}). Install the newer version: "
                "the database has not been changed."
            ).format(found=error.found, supported=error.supported)
        case errors.DatabaseLocked():
            return _(
                "The database is busy: another desk or program is writing to it. Nothing was "
                "changed; try again in a moment."
            )
        case errors.DatabaseUnavailable():
            return _("The database server cannot be reached ({problem}).").format(
                problem=error.problem
            )
        case errors.DataDirUnwritable():
            return _(
                "Cannot write in the folder {path}. Check its permissions, or choose another "
                "folder with --data-dir."
            ).format(path=error.path)
        case errors.InvalidDatabaseUrl():
            problem = _URL_PROBLEMS.get(error.problem, lambda: error.problem)()
            return _("Invalid database address {url}: {problem}.").format(
                url=error.url, problem=problem
            )
        case errors.NotABackup():
            problem = _BACKUP_PROBLEMS.get(error.problem, lambda: error.problem)()
            return _("{path} cannot be restored: {problem}. Nothing was changed.").format(
                path=error.path, problem=problem
            )
        case errors.LibraryNotInitialised():
            return _("The library is not set up yet: run “mediatheque init” first.")
        case errors.DatabaseNotEmpty():
            return _(
                "The database already holds data ({count} {what}): demo data is only "
                "generated into an empty database."
            ).format(count=error.count, what=_what(error.what))
        case errors.InvalidValue():
            return _("Invalid value for {field}: “{value}”.").format(
                field=field_label(error.field), value=error.value
            )
        case errors.InvalidIsbn():
            problem = _ISBN_PROBLEMS.get(error.problem, lambda: error.problem)()
            text = _("“{isbn}” is not a valid ISBN: {problem}.").format(
                isbn=error.text, problem=problem
            )
            if error.suggestion:
                text += " " + _("Did you mean {suggestion}?").format(suggestion=error.suggestion)
            return text
        case errors.UnknownRecord():
            return _("There is no record number {id}.").format(id=error.record_id)
        case errors.UnknownBarcode():
            return _("The barcode {barcode} is not known.").format(barcode=error.barcode)
        case errors.DuplicateBarcode():
            return _("The barcode {barcode} is already used by another copy or card.").format(
                barcode=error.barcode
            )
        case errors.RecordHasLoans():
            return ngettext(
                "This record cannot be deleted: {n} copy is on loan.",
                "This record cannot be deleted: {n} copies are on loan.",
                error.on_loan,
            ).format(n=error.on_loan)
        case errors.LookupFailed():
            reason = _LOOKUP_REASONS.get(error.reason, lambda: error.reason)()
            return _("{provider} did not answer: {reason}.").format(
                provider=error.provider, reason=reason
            )
        case errors.InvalidCover():
            problem = {
                "empty": lambda: _("the file is empty"),
                "too_large": lambda: _("the image is too large"),
                "not_an_image": lambda: _("only PNG, JPEG, GIF and WebP images are accepted"),
            }.get(error.problem, lambda: error.problem)()
            return _("This cover cannot be used: {problem}.").format(problem=problem)
        case errors.UnreadableCsv():
            problem = {
                "missing": lambda: _("the file does not exist"),
                "empty": lambda: _("the file is empty"),
                "binary": lambda: _("it is not a text (CSV) file — save the spreadsheet as CSV"),
                "no_title_column": lambda: _("no column was recognised as the title"),
            }.get(error.problem, lambda: error.problem)()
            text = _("{path} cannot be imported: {problem}.").format(
                path=error.path, problem=problem
            )
            if error.problem == "no_title_column" and error.detail:
                text += " " + _("Columns found: {columns}.").format(columns=error.detail)
            return text
        case errors.PermissionDenied():
            return _(
                "Your account ({role}) does not allow this. Nothing was changed; ask an "
                "administrator."
            ).format(role=role_label(error.role))
    for describe in AREA_DESCRIBERS:
        sentence = describe(error)
        if sentence is not None:
            return sentence
    if error.code == "cancelled":
        return _("Cancelled: nothing was changed.")
    return _("The operation failed ({code}).").format(code=error.code)


_ISBN_PROBLEMS: dict[str, Callable[[], str]] = {
    "length": lambda: _("an ISBN has 10 or 13 digits"),
    "characters": lambda: _("it contains characters that are not digits"),
    "checksum": lambda: _("the check digit is wrong"),
    "prefix": lambda: _("a 13-digit ISBN starts with 978 or 979"),
}
_LOOKUP_REASONS: dict[str, Callable[[], str]] = {
    "offline": lambda: _("no connection"),
    "timeout": lambda: _("no answer in time"),
    "rate_limited": lambda: _("too many requests, try later"),
    "server_error": lambda: _("the server has a problem"),
    "bad_response": lambda: _("the answer could not be read"),
}


def role_label(role: str) -> str:
    return {
        "admin": _("administrator"),
        "librarian": _("librarian"),
        "director": _("director"),
    }.get(role, role)


def _what(word: str) -> str:
    return {"records": _("records"), "members": _("members")}.get(word, word)


def field_label(field: str) -> str:
    """People's name for a settings field."""
    labels = {
        "name": _("library name"),
        "code": _("library code"),
        "short_name": _("short name"),
        "city": _("city"),
        "country": _("country"),
        "timezone": _("time zone"),
        "language": _("language"),
        "director_language": _("director's language"),
        "barcode_prefix": _("barcode prefix"),
        "currency": _("currency"),
    }
    return labels.get(field, field)

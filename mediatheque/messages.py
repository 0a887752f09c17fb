"""Typed errors → the translated sentence shown to people (CLI and UI alike)."""

from __future__ import annotations

from collections.abc import Callable

from mediatheque import errors
from mediatheque.i18n import _

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
    if error.code == "cancelled":
        return _("Cancelled: nothing was changed.")
    return _("The operation failed ({code}).").format(code=error.code)


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

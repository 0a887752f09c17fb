"""Sentences for the errors of staff accounts and logging in."""

from __future__ import annotations

from datetime import datetime

from mediatheque import errors, formatting
from mediatheque.i18n import _


def describe(error: errors.MediathequeError) -> str | None:
    match error:
        case errors.BadCredentials():
            return _("Wrong login or password.")
        case errors.AccountLocked():
            return _(
                "Too many wrong passwords: this account is locked until {until} (UTC). Wait, "
                "or ask an administrator to set a new password."
            ).format(until=_when(error.until))
        case errors.LoginRequired():
            return _(
                "This library has staff accounts: say who you are with --login LOGIN (the "
                "password is read from MEDIATHEQUE_PASSWORD or standard input)."
            )
        case errors.DuplicateLogin():
            return _("The login “{login}” is already used by another account.").format(
                login=error.login
            )
        case errors.InvalidPassword():
            if error.problem == "too_long":
                return _("This password is too long (at most {n} characters).").format(
                    n=error.limit
                )
            return _("This password is too short: use at least {n} characters.").format(
                n=error.limit
            )
        case errors.LastAdministrator():
            return _(
                "There must always be an active administrator account: “{login}” cannot be "
                "disabled or given another role, and the first account must be an "
                "administrator. Nothing was changed."
            ).format(login=error.login)
        case errors.UnknownStaff():
            return _("There is no staff account “{login}”.").format(login=error.login)
    return None


def _when(moment: object) -> str:
    if isinstance(moment, datetime):
        # an aware instant is shown in this computer's time zone, in the current language
        return formatting.moment(moment.astimezone() if moment.tzinfo else moment)
    return str(moment)

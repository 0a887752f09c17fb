"""Sentences for the members area's errors (mediatheque.messages.AREA_DESCRIBERS)."""

from __future__ import annotations

from mediatheque import errors
from mediatheque.i18n import _, ngettext


def name_field_label(field: str) -> str:
    return {"first_name": _("first name"), "last_name": _("last name")}.get(field, field)


def describe(error: errors.MediathequeError) -> str | None:  # noqa: PLR0912 (one case per error)
    match error:
        case errors.EditConflict():
            return _("Someone else saved this member meanwhile (another desk?). Nothing was "
                     "overwritten: close, open the member again and redo your changes.")
        case errors.InvalidName(problem="empty"):
            return _("The {field} is missing.").format(field=name_field_label(error.field))
        case errors.InvalidName(problem="too_long"):
            return _("The {field} is too long ({limit} characters at most).").format(
                field=name_field_label(error.field), limit=error.limit)
        case errors.InvalidName():
            return _("The {field} “{value}” contains no letter.").format(
                field=name_field_label(error.field), value=error.value[:60])
        case errors.InvalidEmail():
            return _("“{value}” is not a valid e-mail address (name@example.kz).").format(
                value=error.value)
        case errors.InvalidPhone():
            return _("“{value}” is not a valid phone number: digits, spaces and + - ( ) "
                     "only, 5 to 15 digits.").format(value=error.value)
        case errors.ExpiryBeforeStart():
            return _("The membership cannot expire ({expiry}) before it starts "
                     "({start}).").format(expiry=error.expiry, start=error.start)
        case errors.UnknownMember():
            return _("There is no member {member}.").format(member=error.key)
        case errors.MemberHasLoans():
            return ngettext(
                "This member cannot be deleted: {n} loan is not returned yet.",
                "This member cannot be deleted: {n} loans are not returned yet.",
                error.on_loan,
            ).format(n=error.on_loan)
        case errors.PossibleDuplicateMember():
            return _("A member with the same names and the same phone or e-mail is "
                     "already registered.")
        case errors.UnknownCategory():
            return _("There is no member category “{category}”.").format(
                category=error.category)
        case errors.CategoryInUse():
            return ngettext(
                "The category “{category}” cannot be deleted: {n} member belongs to it.",
                "The category “{category}” cannot be deleted: {n} members belong to it.",
                error.members,
            ).format(category=error.category, n=error.members)
        case errors.DuplicateCategory():
            return _("A member category with the code “{category}” already exists.").format(
                category=error.category)
        case errors.UnknownLoanRule():
            return _("There is no loan rule number {id}.").format(id=error.rule_id)
        case errors.DuplicateLoanRule():
            return _("A loan rule already exists for {category} × {media}.").format(
                category=error.category or _("any category"),
                media=error.media_type or _("any media type"))
        case errors.DefaultLoanRuleRequired():
            return _("The default loan rule (any category, any media type) cannot be "
                     "deleted or narrowed.")
        case errors.MemberCsvColumns():
            return _("{path} cannot be imported: no column was recognised as the last "
                     "name. Columns found: {columns}.").format(
                         path=error.path, columns=error.headers)
    return None


def csv_reason_text(reason: str) -> str:
    """People's words for the reason codes of a members spreadsheet import."""
    texts = {
        "wrong_column_count": _("not the same number of columns as the header"),
        "missing_name": _("the first or last name is missing"),
        "invalid_name": _("a name contains no letter or is too long"),
        "invalid_email": _("the e-mail address is not valid"),
        "invalid_phone": _("the phone number is not valid"),
        "invalid_date": _("the date cannot be read"),
        "expiry_before_start": _("the membership expires before it starts"),
        "invalid_barcode": _("the barcode cannot be read"),
        "unknown_category": _("unknown member category"),
        "duplicate_barcode": _("the barcode is already used"),
        "unknown_language": _("unknown language; the library's language is used"),
        "possible_duplicate": _("maybe already registered (same names and phone or e-mail)"),
    }
    return texts.get(reason, reason)

"""Sentences for the circulation errors (one per refusal reason, with its data)."""

from __future__ import annotations

from datetime import date

from mediatheque.errors import LoanRefused, MediathequeError, UnknownHold
from mediatheque.formatting import long_day
from mediatheque.i18n import _, ngettext


def describe(error: MediathequeError) -> str | None:
    match error:
        case LoanRefused():
            return refusal_sentence(error)
        case UnknownHold():
            return _("There is no hold number {id}.").format(id=error.hold_id)
    return None


def refusal_sentence(error: LoanRefused) -> str:  # noqa: PLR0912 (one case each)
    """The sentence for one refusal reason, with its data."""
    d = error.detail
    copy = error.copy_barcode or ""
    match error.reason:
        case "unknown_barcode":
            return _("The barcode {barcode} is not a copy of this library.").format(
                barcode=copy)
        case "unknown_member":
            return _("No member has the card {card}.").format(card=d.get("card", ""))
        case "membership_expired":
            return _("The membership expired on {date}: renew it before lending.").format(
                date=_day(d, "expired_on"))
        case "member_blocked":
            return _("This member is blocked: no loans until it is lifted.")
        case "card_replaced":
            return _("The card {card} was replaced by a new one: ask for the new card "
                     "(member no. {member}).").format(card=d.get("card", ""),
                                                      member=error.member_id)
        case "loan_limit":
            n = _number(d, "limit")
            return ngettext("Loan limit reached: {n} copy at a time for this member.",
                            "Loan limit reached: {n} copies at a time for this member.",
                            n).format(n=n)
        case "has_overdue":
            n = _number(d, "overdue")
            return ngettext(
                "This member has {n} overdue copy: return it before borrowing more.",
                "This member has {n} overdue copies: return them before borrowing more.",
                n).format(n=n)
        case "not_for_loan":
            return _("The copy {barcode} is not for loan ({status}).").format(
                barcode=copy, status=copy_status_label(str(d.get("status", ""))))
        case "copy_on_loan":
            return _("The copy {barcode} is already on loan to member no. {member}, due "
                     "{due}: return it first, then lend it.").format(
                barcode=copy, member=d.get("on_loan_to", "?"), due=_day(d, "due", "?"))
        case "held_for_other" if "held_for" in d:
            return _("The copy {barcode} is put aside for another member (no. {member})."
                     ).format(barcode=copy, member=d["held_for"])
        case "held_for_other":
            return _("Other members are waiting for {barcode}: it cannot be renewed.").format(
                barcode=copy)
        case "renewal_limit":
            n = _number(d, "limit")
            return ngettext(
                "The copy {barcode} may be renewed {n} time: no more renewals.",
                "The copy {barcode} may be renewed {n} times: no more renewals.",
                n).format(barcode=copy, n=n)
        case "overdue_renewal":
            return _("The copy {barcode} was due on {due}: an overdue loan cannot be "
                     "renewed.").format(barcode=copy, due=_day(d, "due"))
        case "hold_limit":
            n = _number(d, "limit")
            return ngettext("Hold limit reached: {n} hold at a time for this member.",
                            "Hold limit reached: {n} holds at a time for this member.",
                            n).format(n=n)
        case "already_held":
            return _("This member already has a hold on this title.")
        case "already_borrowed" if copy:
            return _("The copy {barcode} is already on loan to this member (due {due})."
                     ).format(barcode=copy, due=_day(d, "due"))
        case "already_borrowed":
            return _("This member already has this title on loan.")
        case "renewal_too_soon":
            return _("The copy {barcode} is due on {due}: renewing it today would give no "
                     "extra day. Renew it closer to that date.").format(
                barcode=copy, due=_day(d, "due"))
        case "not_on_loan":
            return _("The copy {barcode} is not on loan: nothing to renew.").format(
                barcode=copy)
    return _("Refused ({reason}).").format(reason=error.reason)


def _day(detail: dict[str, object], key: str, missing: str = "") -> str:
    """A date of the refusal's data (ISO in the data) as the reader writes it."""
    value = detail.get(key)
    if value is None:
        return missing
    try:
        return long_day(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _number(detail: dict[str, object], key: str) -> int:
    value = detail.get(key, 0)
    return value if isinstance(value, int) else 0


def copy_status_label(status: str) -> str:
    return {
        "available": _("available"),
        "reference": _("reference only"),
        "repair": _("in repair"),
        "lost": _("lost"),
        "missing": _("missing"),
        "withdrawn": _("withdrawn"),
    }.get(status, status)

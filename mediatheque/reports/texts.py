"""The words of the overdue notices, in the language that is current when called (wrap the
calls in `with language(member.preferred_language):`)."""

from __future__ import annotations

from datetime import date

from mediatheque.formatting import LOCALES, long_day, short_day
from mediatheque.i18n import _, ngettext

__all__ = ["LOCALES", "long_date", "short_date"]


def long_date(day: date) -> str:
    """5 novembre 2026 / 5 ноября 2026 г. / 2026 ж. 5 қараша / 5 November 2026."""
    return long_day(day)


def short_date(day: date) -> str:
    return short_day(day)


def level_title(level: int) -> str:
    if level >= 3:
        return _("Final reminder: overdue documents")
    if level == 2:
        return _("Second reminder: overdue documents")
    return _("Reminder: overdue documents")


def default_text(level: int) -> str:
    """The polite text of a notice when the settings give none for this language."""
    if level >= 3:
        return _(
            "Despite our previous reminders, the documents listed below have still not been "
            "returned. Please bring them back to the médiathèque as soon as possible. Until "
            "they are returned, no new loan can be made on your card. If you have already "
            "returned them, please accept our apologies and let us know."
        )
    if level == 2:
        return _(
            "We have not yet received the documents listed below, whose loan period has "
            "ended. Other readers are waiting for them: please return them to the "
            "médiathèque, or contact us if you need more time. If you have returned them in "
            "the meantime, please disregard this letter."
        )
    return _(
        "The loan period of the documents listed below has ended. Please return them to "
        "the médiathèque at your earliest convenience, or renew them at the desk if they "
        "can be renewed. If you have already returned them, please disregard this letter."
    )


def greeting(name: str) -> str:
    return _("Dear {name},").format(name=name)


def closing() -> str:
    return _("Thank you, and see you soon at the médiathèque.")


def subject(level: int, library: str) -> str:
    return _("{library}: {title}").format(library=library, title=level_title(level))


def column_titles() -> tuple[str, str, str, str]:
    return (_("Title"), _("Copy"), _("Due on"), _("Days late"))


def days_late_text(days: int) -> str:
    return ngettext("{n} day late", "{n} days late", days).format(n=days)


def card_line(barcode: str) -> str:
    return _("Card number: {barcode}").format(barcode=barcode)

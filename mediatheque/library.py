"""Setting up a library: its identity and the defaults a new library needs to lend."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediatheque.i18n import N_, _, language
from mediatheque.models import ClosedWeekday, LoanRule, Location, MemberCategory
from mediatheque.settings import LibrarySettings, save_library_settings

# code, name, membership months
DEFAULT_CATEGORIES: tuple[tuple[str, str, int], ...] = (
    ("ADULT", N_("Adult"), 12),
    ("STUDENT", N_("Alliance student"), 6),
    ("CHILD", N_("Child"), 12),
    ("STAFF", N_("Staff"), 12),
    ("PARTNER", N_("Partner institution"), 12),
)
DEFAULT_LOCATIONS: tuple[tuple[str, str], ...] = (
    ("ADU", N_("Adults")),
    ("JEU", N_("Young readers")),
    ("FLE", N_("French as a foreign language")),
    ("MED", N_("Audiovisual")),
)
SUNDAY = 6


def initialise_library(session: Session, settings: LibrarySettings) -> LibrarySettings:
    """Creates the library (or renames it) and, the first time, the defaults it needs:
    member categories, a default loan rule, shelving locations and Sunday closing. Their
    names are written in the library's language and can be edited afterwards."""
    stored = save_library_settings(
        session, replace(settings, short_name=settings.short_name or settings.name)
    )
    if session.scalar(select(func.count()).select_from(MemberCategory)) == 0:
        with language(stored.language):
            _create_defaults(session)
    return stored


def _create_defaults(session: Session) -> None:
    for code, name, months in DEFAULT_CATEGORIES:
        session.add(MemberCategory(code=code, name=_(name), membership_months=months))
    if session.scalar(select(func.count()).select_from(LoanRule)) == 0:
        session.add(LoanRule(loan_days=21, max_loans=5, max_renewals=1, max_holds=3))
    if session.scalar(select(func.count()).select_from(Location)) == 0:
        for code, label in DEFAULT_LOCATIONS:
            session.add(Location(code=code, label=_(label)))
    if session.get(ClosedWeekday, SUNDAY) is None:
        session.add(ClosedWeekday(weekday=SUNDAY))
    session.flush()

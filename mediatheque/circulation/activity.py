"""Who borrowed in which month, without what: the director's "active borrowers" figure,
kept apart from the loans so that it survives their anonymisation (models.BorrowerMonth)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mediatheque.models import BorrowerMonth, Loan


def month_of(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%Y-%m")


def note_borrower(session: Session, member_id: int, category_id: int | None, month: str) -> None:
    """Records that the member borrowed in `month` (once per month; another desk may have
    done it a moment ago, which is fine)."""
    known = select(BorrowerMonth.id).where(
        BorrowerMonth.month == month, BorrowerMonth.member_id == member_id
    )
    if session.execute(known).first() is not None:
        return
    try:
        with session.begin_nested():
            session.add(BorrowerMonth(month=month, member_id=member_id,
                                      member_category_id=category_id))
    except IntegrityError:
        pass  # the other desk's row says the same


def fill_borrower_months(session: Session, zone: ZoneInfo) -> int:
    """Adds the months of every loan that still names its member (the demo generator and
    imports of history); returns how many rows were added."""
    existing = set(session.execute(select(BorrowerMonth.month, BorrowerMonth.member_id)).all())
    found: dict[tuple[str, int], int | None] = {}
    rows = session.execute(
        select(Loan.member_id, Loan.member_category_id, Loan.loaned_at)
        .where(Loan.member_id.is_not(None))
    )
    for member_id, category_id, loaned_at in rows:
        assert member_id is not None
        key = (month_of(loaned_at, zone), member_id)
        if key not in existing:
            found.setdefault(key, category_id)
    if found:
        session.execute(insert(BorrowerMonth), [
            {"month": month, "member_id": member_id, "member_category_id": category_id}
            for (month, member_id), category_id in found.items()
        ])
    return len(found)

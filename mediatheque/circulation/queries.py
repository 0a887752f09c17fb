"""Small shared reads for the circulation services (one query each)."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session

from mediatheque.circulation.config import PREFIX as CIRCULATION_PREFIX
from mediatheque.circulation.config import CirculationSettings
from mediatheque.circulation.rules import RuleView
from mediatheque.models import Copy, Hold, Loan, LoanRule, RecordLanguage, Setting
from mediatheque.models.vocabulary import CopyStatus, HoldStatus
from mediatheque.settings import LibrarySettings

TIMEZONE_KEY = "library.timezone"

ACTIVE_HOLD = (HoldStatus.WAITING.value, HoldStatus.READY.value)


def library_zone(session: Session) -> ZoneInfo:
    """The library's time zone (one key read, not the whole settings section)."""
    raw = session.scalar(select(Setting.value).where(Setting.key == TIMEZONE_KEY))
    if raw is None:
        return LibrarySettings().zone
    try:
        return ZoneInfo(json.loads(raw))
    except (ValueError, ZoneInfoNotFoundError):
        return LibrarySettings().zone


@dataclass(frozen=True)
class DeskSettings:
    """The settings a desk action needs, read in one query."""

    zone: ZoneInfo
    circulation: CirculationSettings

    def day(self, instant: datetime) -> date:
        return instant.astimezone(self.zone).date()


def desk_settings(session: Session) -> DeskSettings:
    rows = session.execute(
        select(Setting.key, Setting.value).where(
            (Setting.key == TIMEZONE_KEY) | Setting.key.like(f"{CIRCULATION_PREFIX}%")
        )
    ).all()
    zone = LibrarySettings().zone
    names = {field.name for field in fields(CirculationSettings)}
    values: dict[str, Any] = {}
    for key, raw in rows:
        if key == TIMEZONE_KEY:
            with contextlib.suppress(ValueError, ZoneInfoNotFoundError):
                zone = ZoneInfo(json.loads(raw))
        elif key.removeprefix(CIRCULATION_PREFIX) in names:
            values[key.removeprefix(CIRCULATION_PREFIX)] = json.loads(raw)
    return DeskSettings(zone, CirculationSettings(**values))


def local_day(session: Session, instant: datetime) -> date:
    """The calendar date of an instant in the library's time zone."""
    return instant.astimezone(library_zone(session)).date()


def loan_rules(session: Session) -> list[RuleView]:
    rows = session.execute(select(
        LoanRule.member_category_id, LoanRule.media_type, LoanRule.loan_days,
        LoanRule.max_loans, LoanRule.max_renewals, LoanRule.max_holds,
        LoanRule.renew_when_overdue,
    ))
    return [RuleView(*row) for row in rows]


def open_loan_count(session: Session, member_id: int, media_type: str | None = None) -> int:
    query = select(func.count()).select_from(Loan).where(
        Loan.member_id == member_id, Loan.returned_at.is_(None)
    )
    if media_type is not None:
        query = query.where(Loan.media_type == media_type)
    return session.scalar(query) or 0


def loan_counts(session: Session, member_id: int, today: date, media_type: str | None = None
                ) -> tuple[int, int]:
    """(open loans — of `media_type` only when given —, overdue loans) in one query."""
    counted = 1 if media_type is None else case((Loan.media_type == media_type, 1), else_=0)
    row = session.execute(
        select(func.coalesce(func.sum(counted), 0),
               func.coalesce(func.sum(case((Loan.due_on < today, 1), else_=0)), 0))
        .where(Loan.member_id == member_id, Loan.returned_at.is_(None))
    ).one()
    return int(row[0]), int(row[1])


def overdue_count(session: Session, member_id: int, today: date) -> int:
    return session.scalar(
        select(func.count()).select_from(Loan).where(
            Loan.member_id == member_id, Loan.returned_at.is_(None), Loan.due_on < today
        )
    ) or 0


def active_hold_count(session: Session, member_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(Hold).where(
            Hold.member_id == member_id, Hold.status.in_(ACTIVE_HOLD)
        )
    ) or 0


def waiting_queue(session: Session, record_id: int) -> list[tuple[int, int]]:
    """(hold id, member id) of the WAITING holds on a record, in queue order."""
    rows = session.execute(
        select(Hold.id, Hold.member_id)
        .where(Hold.record_id == record_id, Hold.status == HoldStatus.WAITING)
        .order_by(Hold.placed_at, Hold.id)
    )
    return [(hold_id, member_id) for hold_id, member_id in rows]


def free_copies(session: Session, record_id: int, *, besides: int | None = None) -> int:
    """Copies of a record on the shelf: available, not on loan, not put aside for a hold."""
    on_loan = exists().where(Loan.copy_id == Copy.id, Loan.returned_at.is_(None))
    put_aside = exists().where(Hold.copy_id == Copy.id, Hold.status == HoldStatus.READY)
    query = select(func.count()).select_from(Copy).where(
        Copy.record_id == record_id,
        Copy.status == CopyStatus.AVAILABLE,
        ~on_loan,
        ~put_aside,
    )
    if besides is not None:
        query = query.where(Copy.id != besides)
    return session.scalar(query) or 0


def first_language(session: Session, record_id: int) -> str | None:
    return session.scalar(
        select(RecordLanguage.code)
        .where(RecordLanguage.record_id == record_id)
        .order_by(RecordLanguage.position)
        .limit(1)
    )


@dataclass(frozen=True)
class ActiveHold:
    hold_id: int
    member_id: int
    status: str
    copy_id: int | None


def active_holds(session: Session, record_id: int) -> list[ActiveHold]:
    """The WAITING and READY holds on a record, in queue order."""
    rows = session.execute(
        select(Hold.id, Hold.member_id, Hold.status, Hold.copy_id)
        .where(Hold.record_id == record_id, Hold.status.in_(ACTIVE_HOLD))
        .order_by(Hold.placed_at, Hold.id)
    )
    return [ActiveHold(*row) for row in rows]

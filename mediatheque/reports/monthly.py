"""The figures of the director's monthly workbook, computed from the tables. A month runs
from local midnight on its first day to local midnight on the next month's first day, in
the library's time zone (loans are stored in UTC)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from mediatheque.errors import MonthInFuture, ReportCancelled
from mediatheque.models import BorrowerMonth, Copy, Loan, Member, MemberCategory, Record, Renewal
from mediatheque.models.vocabulary import MediaType
from mediatheque.permissions import Actor, Permission
from mediatheque.reports.rules import LATE_BANDS, late_band
from mediatheque.settings import load_library_settings

TOP_TITLES = 20


@dataclass(frozen=True)
class MonthSpan:
    first: date  # first day
    last: date  # last day
    start: datetime  # UTC instant of local midnight on `first`
    end: datetime  # UTC instant of local midnight on the day after `last`


def month_span(month: date, zone: ZoneInfo) -> MonthSpan:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return MonthSpan(
        first=first, last=following - timedelta(days=1),
        start=datetime.combine(first, time(), zone).astimezone(UTC),
        end=datetime.combine(following, time(), zone).astimezone(UTC),
    )


def shift_month(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Summary:
    loans: int
    returns: int
    renewals: int
    active_members: int
    new_members: int
    new_copies: int
    overdue: int

    def as_dict(self) -> dict[str, int]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


SUMMARY_KEYS: tuple[str, ...] = tuple(field.name for field in fields(Summary))


@dataclass(frozen=True)
class NewCopy:
    barcode: str
    title: str
    media_type: str
    acquired_on: date
    acquisition_mode: str
    price: Decimal | None
    location: str


@dataclass(frozen=True)
class CategoryCount:
    category: str
    members: int
    new_members: int
    active_borrowers: int
    loans: int


@dataclass(frozen=True)
class MonthlyReport:
    month: date
    library_name: str
    summary: Summary
    previous: Summary
    year_before: Summary
    media_types: tuple[str, ...]
    categories: tuple[str, ...]
    loans_by_type_category: tuple[tuple[int, ...], ...]  # [media type][category]
    loans_per_day: tuple[tuple[date, int], ...]
    top_titles: tuple[tuple[str, str, int], ...]  # title, responsibility, loans
    loans_by_language: tuple[tuple[str | None, int], ...]
    # level ('' = none), loans in the month, copies held now (withdrawn ones left out)
    fle_by_level: tuple[tuple[str, int, int], ...]
    acquisitions: tuple[NewCopy, ...]
    members_by_category: tuple[CategoryCount, ...]
    overdue_bands: tuple[int, ...]  # count per rules.LATE_BANDS
    currency: str = "KZT"  # the library's, for the prices of the acquisitions

    @property
    def is_empty(self) -> bool:
        return not any(self.summary.as_dict().values())


def check_month(month: date, today: date) -> date:
    """The first day of `month`; refuses a month that has not begun on `today`."""
    first = month.replace(day=1)
    if first > today:
        raise MonthInFuture(month=first.strftime("%Y-%m"))
    return first


def monthly_report(
    session: Session,
    actor: Actor,
    *,
    month: date,
    today: date,
    cancelled: Callable[[], bool] | None = None,
) -> MonthlyReport:
    """Every figure of the workbook for `month` (any day of it)."""
    actor.require(Permission.REPORTS)
    first = check_month(month, today)
    library = load_library_settings(session)
    zone = library.zone
    span = month_span(first, zone)
    bands = overdue_at_end(session, span)
    steps = [
        lambda: month_summary(session, span, bands),
        lambda: month_summary(session, month_span(shift_month(first, -1), zone)),
        lambda: month_summary(session, month_span(shift_month(first, -12), zone)),
    ]
    summaries = []
    for index, step in enumerate(steps):
        if cancelled is not None and cancelled():
            raise ReportCancelled(done=index, total=len(steps) + 1)
        summaries.append(step())
    categories: dict[int, str] = {
        row[0]: row[1] for row in session.execute(select(MemberCategory.id, MemberCategory.name))
    }
    in_month = and_(Loan.loaned_at >= span.start, Loan.loaned_at < span.end)
    # Counted by the database, grouped: a busy month has some 100,000 loans.
    by_type_category: Counter[tuple[str, int | None]] = Counter()
    per_language: Counter[str | None] = Counter()
    loans_by_category: Counter[int | None] = Counter()
    for media_type, category_id, lang, count in session.execute(
        select(Loan.media_type, Loan.member_category_id, Loan.language, func.count())
        .where(in_month).group_by(Loan.media_type, Loan.member_category_id, Loan.language)
    ):
        by_type_category[(media_type, category_id)] += count
        per_language[lang] += count
        loans_by_category[category_id] += count
    borrowers: dict[int | None, int] = dict(session.execute(
        select(BorrowerMonth.member_category_id, func.count())
        .where(BorrowerMonth.month == span.first.strftime("%Y-%m"))
        .group_by(BorrowerMonth.member_category_id)).all())
    per_day = _loans_per_day(session, span, zone)
    media_types = tuple(sorted({media for media, _category in by_type_category}))
    category_ids = sorted({c for _m, c in by_type_category}, key=lambda c: (c is None, c or 0))
    category_names = tuple(categories.get(c, "") if c is not None else "" for c in category_ids)
    matrix = tuple(
        tuple(by_type_category[(media, c)] for c in category_ids) for media in media_types
    )
    days = []
    day = span.first
    while day <= span.last:
        days.append((day, per_day[day]))
        day += timedelta(days=1)
    return MonthlyReport(
        month=first,
        library_name=library.name,
        summary=summaries[0], previous=summaries[1], year_before=summaries[2],
        media_types=media_types,
        categories=category_names,
        loans_by_type_category=matrix,
        loans_per_day=tuple(days),
        top_titles=_top_titles(session, in_month),
        loans_by_language=tuple(sorted(per_language.items(),
                                       key=lambda item: (-item[1], item[0] or "~"))),
        fle_by_level=_fle_levels(session, in_month),
        acquisitions=_acquisitions(session, span, zone),
        members_by_category=_members_by_category(session, span, categories, borrowers,
                                                 loans_by_category),
        overdue_bands=tuple(bands),
        currency=library.currency,
    )


def month_summary(
    session: Session, span: MonthSpan, overdue_bands: list[int] | None = None
) -> Summary:
    def count(query: object) -> int:
        return int(session.execute(query).scalar_one() or 0)  # type: ignore[call-overload]

    in_month = and_(Loan.loaned_at >= span.start, Loan.loaned_at < span.end)
    return Summary(
        loans=count(select(func.count()).select_from(Loan).where(in_month)),
        returns=count(select(func.count()).select_from(Loan).where(
            Loan.returned_at >= span.start, Loan.returned_at < span.end)),
        renewals=count(select(func.count()).select_from(Renewal).where(
            Renewal.renewed_at >= span.start, Renewal.renewed_at < span.end)),
        # From borrower_month: returned loans no longer name their borrower.
        active_members=count(select(func.count()).select_from(BorrowerMonth)
                             .where(BorrowerMonth.month == span.first.strftime("%Y-%m"))),
        new_members=count(select(func.count()).select_from(Member).where(
            Member.created_at >= span.start, Member.created_at < span.end)),
        new_copies=count(select(func.count()).select_from(Copy).where(_new_copy(span))),
        overdue=sum(overdue_bands if overdue_bands is not None
                    else overdue_at_end(session, span)),
    )


def _new_copy(span: MonthSpan) -> ColumnElement[bool]:
    """A copy is new in the month of its acquisition date, or, without one, of its entry
    in the catalogue."""
    return or_(
        and_(Copy.acquired_on >= span.first, Copy.acquired_on <= span.last),
        and_(Copy.acquired_on.is_(None), Copy.created_at >= span.start,
             Copy.created_at < span.end),
    )


def overdue_at_end(session: Session, span: MonthSpan) -> list[int]:
    """Loans open at the end of the month and late on its last day, by days-late band.
    The due date is the one in force then: a renewal made later is undone."""
    before_end = Loan.loaned_at < span.end
    due: dict[int, date] = {}
    # Read through the smaller side: the loans made before the end (an old month), or
    # those still out plus those returned after the end (a recent month). Counting on an
    # index is cheap; reading a million rows is not.
    loaned_before = session.execute(
        select(func.count()).select_from(Loan).where(before_end)).scalar_one()
    returned_after = session.execute(
        select(func.count()).select_from(Loan).where(Loan.returned_at >= span.end)
    ).scalar_one()
    conditions: tuple[ColumnElement[bool], ...] = (
        (or_(Loan.returned_at.is_(None), Loan.returned_at >= span.end),)
        if loaned_before <= returned_after
        else (Loan.returned_at.is_(None), Loan.returned_at >= span.end)
    )
    # A loan late at the end has a due date before the last day, unless it was renewed
    # later: those are all found through their renewals below.
    for condition in conditions:
        for loan_id, due_on in session.execute(
            select(Loan.id, Loan.due_on).where(condition, before_end, Loan.due_on < span.last)
        ):
            due[loan_id] = due_on
    later = session.execute(
        select(Renewal.loan_id, Renewal.renewed_at, Renewal.previous_due_on)
        .join(Loan, Loan.id == Renewal.loan_id)
        .where(Renewal.renewed_at >= span.end, before_end)
        .order_by(Renewal.loan_id, Renewal.renewed_at.desc())
    )
    for loan_id, _renewed_at, previous_due in later:
        # Renewed after the end, so out at the end; the earliest such renewal comes last
        # and gives the due date in force then.
        due[loan_id] = previous_due
    bands = [0] * len(LATE_BANDS)
    for due_on in due.values():
        late = (span.last - due_on).days
        if late >= 1:
            bands[late_band(late)] += 1
    return bands


def _top_titles(
    session: Session, in_month: ColumnElement[bool]
) -> tuple[tuple[str, str, int], ...]:
    count = func.count().label("loans")
    top = (
        select(Loan.record_id, count).where(in_month, Loan.record_id.is_not(None))
        .group_by(Loan.record_id).order_by(count.desc(), Loan.record_id).limit(TOP_TITLES)
        .subquery()
    )
    return tuple(
        (title, responsibility or "", loans)
        for title, responsibility, loans in session.execute(
            select(Record.title, Record.responsibility, top.c.loans)
            .join(top, top.c.record_id == Record.id)
            .order_by(top.c.loans.desc(), Record.id)
        )
    )


def _fle_levels(
    session: Session, in_month: ColumnElement[bool]
) -> tuple[tuple[str, int, int], ...]:
    levels: Counter[str] = Counter()
    for level, count in session.execute(
        select(Record.cefr_level, func.count())
        .select_from(Loan).join(Record, Record.id == Loan.record_id)
        .where(in_month, Loan.media_type == MediaType.FLE_METHOD)
        .group_by(Record.cefr_level)
    ):
        levels[level or ""] += count
    copies: Counter[str] = Counter()
    for level, count in session.execute(
        select(Record.cefr_level, func.count(Copy.id))
        .join(Copy, Copy.record_id == Record.id)
        .where(Record.media_type == MediaType.FLE_METHOD, Copy.status != "withdrawn")
        .group_by(Record.cefr_level)
    ):
        copies[level or ""] += count
    order = ["A1", "A2", "B1", "B2", "C1", "C2", ""]
    return tuple((level, levels[level], copies[level]) for level in order
                 if levels[level] or copies[level])


def _loans_per_day(session: Session, span: MonthSpan, zone: ZoneInfo) -> Counter[date]:
    """Loans per local day. Counted per UTC hour by the database, then each hour put on
    its local day (exact for zones a whole number of hours from UTC, like all of Central
    Asia); other zones read each instant."""
    in_month = and_(Loan.loaned_at >= span.start, Loan.loaned_at < span.end)
    per_day: Counter[date] = Counter()
    offsets = {zone.utcoffset(datetime.combine(span.first, time())),
               zone.utcoffset(datetime.combine(span.last, time()))}
    if any(offset is None or offset.total_seconds() % 3600 for offset in offsets):
        for (loaned_at,) in session.execute(select(Loan.loaned_at).where(in_month)):
            per_day[loaned_at.astimezone(zone).date()] += 1
        return per_day
    dialect = session.get_bind().dialect.name
    hour = (
        func.strftime("%Y-%m-%d %H", Loan.loaned_at) if dialect == "sqlite"
        else func.to_char(func.timezone("UTC", Loan.loaned_at), "YYYY-MM-DD HH24")
    )
    for bucket, count in session.execute(
        select(hour, func.count()).where(in_month).group_by(hour)
    ):
        instant = datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=UTC)
        per_day[instant.astimezone(zone).date()] += count
    return per_day


def _acquisitions(session: Session, span: MonthSpan, zone: ZoneInfo) -> tuple[NewCopy, ...]:
    rows = session.execute(
        select(Copy.barcode, Record.title, Record.media_type, Copy.acquired_on,
               Copy.created_at, Copy.acquisition_mode, Copy.price, Copy.location_code)
        .join(Record, Record.id == Copy.record_id)
        .where(_new_copy(span))
        .order_by(Copy.acquired_on, Copy.created_at, Copy.id)
    )
    return tuple(
        NewCopy(barcode=barcode, title=title, media_type=media,
                acquired_on=acquired or created.astimezone(zone).date(),
                acquisition_mode=mode, price=price, location=location or "")
        for barcode, title, media, acquired, created, mode, price, location in rows
    )


def _members_by_category(
    session: Session, span: MonthSpan, categories: dict[int, str],
    borrowers: dict[int | None, int], loans: Counter[int | None],
) -> tuple[CategoryCount, ...]:
    members = dict(session.execute(
        select(Member.category_id, func.count()).where(Member.created_at < span.end)
        .group_by(Member.category_id)
    ).all())
    new = dict(session.execute(
        select(Member.category_id, func.count())
        .where(Member.created_at >= span.start, Member.created_at < span.end)
        .group_by(Member.category_id)
    ).all())
    result = [
        CategoryCount(category=name, members=members.get(category_id, 0),
                      new_members=new.get(category_id, 0),
                      active_borrowers=borrowers.get(category_id, 0),
                      loans=loans.get(category_id, 0))
        for category_id, name in sorted(categories.items(), key=lambda item: item[1])
    ]
    return tuple(result)

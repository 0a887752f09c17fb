"""The desk services: lend, return, renew (and, re-exported, the hold services).

Each checks the actor's permission, writes its audit entry in the caller's transaction and
takes `now` (when it is recorded) and `at` (when it really happened: loans written on paper
during an outage). Due dates and "today" are in the library's time zone.

Two desks lending one copy at the same instant: the partial unique index "one open loan per
copy" lets only one INSERT through; the other gets `LoanRefused("copy_on_loan")`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mediatheque.audit import record_audit
from mediatheque.circulation.activity import month_of, note_borrower
from mediatheque.circulation.calendar import load_calendar
from mediatheque.circulation.holds import (
    HoldNotice,
    HoldPlaced,
    cancel_hold,
    expire_holds,
    get_member,
    offer_copy,
    place_hold,
)
from mediatheque.circulation.queries import (
    ActiveHold,
    active_holds,
    desk_settings,
    free_copies,
    loan_counts,
    loan_rules,
    local_day,
    waiting_queue,
)
from mediatheque.circulation.rules import (
    CopyFacts,
    MemberFacts,
    Refusal,
    RuleView,
    blocking,
    choose_rule,
    due_date,
    late_days,
    loan_refusals,
    renewal_refusals,
    renewed_due_date,
)
from mediatheque.errors import InvalidValue, LoanRefused, UnknownBarcode
from mediatheque.models import (
    Copy,
    Hold,
    Loan,
    Member,
    Record,
    RecordLanguage,
    Renewal,
    ReplacedCard,
)
from mediatheque.models.vocabulary import CopyStatus, HoldStatus, MemberStatus
from mediatheque.permissions import Actor, Permission
from mediatheque.privacy import anonymise_loan_at_return
from mediatheque.reports.overdue import member_blocked_by_notices

__all__ = [
    "HoldNotice",
    "HoldPlaced",
    "LoanDone",
    "RenewDone",
    "ReturnDone",
    "cancel_hold",
    "check_out",
    "expire_holds",
    "member_by_barcode",
    "place_hold",
    "renew_all",
    "renew_loan",
    "return_copy",
]

MAX_OVERRIDE_REASON = 300


@dataclass(frozen=True)
class LoanDone:
    loan_id: int
    copy_barcode: str
    title: str
    due_on: date
    overridden: str | None  # the refusal codes overridden, comma-separated, or None


@dataclass(frozen=True)
class ReturnDone:
    copy_barcode: str
    title: str
    was_on_loan: bool
    member_id: int | None
    late_days: int
    hold_for: HoldNotice | None


@dataclass(frozen=True)
class RenewDone:
    copy_barcode: str
    title: str
    due_on: date


def member_by_barcode(session: Session, code: str) -> int:
    """The member id of a card barcode; LoanRefused card_replaced (with the member) for a
    card that was replaced, unknown_member otherwise."""
    clean = code.strip()
    member_id = session.scalar(select(Member.id).where(Member.barcode == clean))
    if member_id is not None:
        return member_id
    replaced = session.scalar(select(ReplacedCard.member_id).where(ReplacedCard.barcode == clean))
    if replaced is not None:
        raise LoanRefused("card_replaced", None, replaced, {"card": clean})
    raise LoanRefused("unknown_member", None, None, {"card": clean})


def _copy(session: Session, barcode: str, member_id: int | None = None) -> Copy:
    copy = session.scalar(select(Copy).where(Copy.barcode == barcode.strip()))
    if copy is None:
        raise LoanRefused("unknown_barcode", barcode.strip(), member_id)
    return copy


def _open_loan(session: Session, copy_id: int, *, lock: bool = False) -> Loan | None:
    query = select(Loan).where(Loan.copy_id == copy_id, Loan.returned_at.is_(None))
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def _member_facts(session: Session, member: Member, today: date, counted_media: str | None
                  ) -> MemberFacts:
    open_loans, overdue = loan_counts(session, member.id, today, counted_media)
    return MemberFacts(
        member_id=member.id,
        membership_expiry=member.membership_expiry,
        blocked=member.status == MemberStatus.BLOCKED,
        open_loans=open_loans,
        overdue_loans=overdue,
    )


@dataclass(frozen=True)
class _CopyRow:
    copy_id: int
    barcode: str
    status: str
    record_id: int
    title: str
    media_type: str
    language: str | None


def _copy_row(session: Session, barcode: str, member_id: int | None) -> _CopyRow:
    language = (
        select(RecordLanguage.code)
        .where(RecordLanguage.record_id == Copy.record_id)
        .order_by(RecordLanguage.position)
        .limit(1)
        .scalar_subquery()
    )
    row = session.execute(
        select(Copy.id, Copy.barcode, Copy.status, Copy.record_id, Record.title,
               Record.media_type, language)
        .join(Record, Record.id == Copy.record_id)
        .where(Copy.barcode == barcode.strip())
    ).first()
    if row is None:
        raise LoanRefused("unknown_barcode", barcode.strip(), member_id)
    return _CopyRow(*row)


def check_out(
    session: Session,
    actor: Actor,
    *,
    member_id: int,
    copy_barcode: str,
    now: datetime,
    at: datetime | None = None,
    override_reason: str | None = None,
) -> LoanDone:
    """Lends a copy to a member, or raises LoanRefused with the first reason.

    With `override_reason` (Permission.OVERRIDE, non-empty), refusals a librarian may
    override (rules.OVERRIDABLE) are set aside and audited with the reason; copy_on_loan,
    already_borrowed, unknown_barcode and unknown_member never are.
    The loan limit counts the member's open loans of the rule's media type when the chosen
    rule names one, else all open loans."""
    actor.require(Permission.LEND)
    reason = None
    if override_reason is not None:
        actor.require(Permission.OVERRIDE)
        reason = override_reason.strip()[:MAX_OVERRIDE_REASON]
        if not reason:
            raise InvalidValue("override_reason", override_reason)
    happened = at or now
    desk = desk_settings(session)
    today = desk.day(happened)
    copy = _copy_row(session, copy_barcode, member_id)
    member = get_member(session, member_id)
    rule = choose_rule(loan_rules(session), member.category_id, copy.media_type)
    holds = active_holds(session, copy.record_id)

    refusals = _loan_refusals(session, member, copy, holds, rule=rule, today=today,
                              block_when_overdue=desk.circulation.block_when_overdue)
    stop = blocking(refusals, override=reason is not None)
    if stop is not None:
        raise LoanRefused(stop.reason, copy.barcode, member_id, stop.detail)

    calendar = load_calendar(session, since=today)
    due_on = due_date(today, rule.loan_days, calendar.next_open_day)
    values = {
        "copy_id": copy.copy_id,
        "record_id": copy.record_id,
        "member_id": member.id,
        "member_category_id": member.category_id,
        "media_type": copy.media_type,
        "language": copy.language,
        "loaned_at": happened,
        "due_on": due_on,
        "renewals": 0,
        "recorded_at": now,
        "staff_id": actor.staff_id,
    }
    try:
        # A savepoint, so that losing the race below leaves the caller's transaction usable.
        with session.begin_nested():
            loan_id = session.execute(insert(Loan).values(values).returning(Loan.id)).scalar_one()
    except IntegrityError:
        # Another desk lent this copy between our check and our INSERT.
        raise _already_out(session, copy, member_id) from None
    note_borrower(session, member.id, member.category_id, month_of(happened, desk.zone))
    _fulfil_holds(session, actor, member_id=member.id, copy=copy, holds=holds, now=now,
                  at=happened)
    overridden = ",".join(refusal.reason for refusal in refusals) or None
    if overridden:
        record_audit(
            session, actor, action="override", entity="loan", entity_id=loan_id, now=now,
            happened_at=happened,
            details={"refusals": overridden.split(","), "reason": reason,
                     "copy_id": copy.copy_id, "member_id": member.id},
        )
    record_audit(
        session, actor, action="loan", entity="loan", entity_id=loan_id, now=now,
        happened_at=happened,
        details={"copy_id": copy.copy_id, "due_on": due_on},
    )
    return LoanDone(loan_id, copy.barcode, copy.title, due_on, overridden)


def _loan_refusals(session: Session, member: Member, copy: _CopyRow, holds: list[ActiveHold],
                   *, rule: RuleView, today: date, block_when_overdue: bool) -> list[Refusal]:
    open_loan = _open_loan_facts(session, copy.copy_id)
    ready_for = next((h.member_id for h in holds
                      if h.status == HoldStatus.READY and h.copy_id == copy.copy_id), None)
    queue = [h.member_id for h in holds if h.status == HoldStatus.WAITING]
    if ready_for is None and any(h.status == HoldStatus.READY and h.member_id == member.id
                                 for h in holds):
        # Another copy is put aside for this member: taking this one instead frees that
        # copy for the queue (see _fulfil_holds), so the queue loses nothing.
        queue = []
    ahead = tuple(queue[: queue.index(member.id)] if member.id in queue else queue)
    facts = CopyFacts(
        barcode=copy.barcode,
        status=copy.status,
        on_loan_to=open_loan[0] if open_loan else None,
        due_on=open_loan[1] if open_loan else None,
        ready_hold_for=ready_for,
        waiting_ahead=ahead if ready_for is None else (),
        other_copies_free=(free_copies(session, copy.record_id, besides=copy.copy_id)
                           if ahead and ready_for is None else 0),
    )
    member_facts = _member_facts(session, member, today, rule.media_type)
    refusals = loan_refusals(member_facts, facts, rule, today,
                             block_when_overdue=block_when_overdue)
    if (not any(refusal.reason == "has_overdue" for refusal in refusals)
            and member_blocked_by_notices(session, member.id, today)):
        # Overdue loans do not block here, but one has reached the last notice level and
        # the library blocks loans from then on (Settings → Overdue notices).
        refusals.insert(0, Refusal("has_overdue", {"overdue": member_facts.overdue_loans,
                                                   "last_notice": True}))
    return refusals


def _open_loan_facts(session: Session, copy_id: int) -> tuple[int | None, date] | None:
    row = session.execute(
        select(Loan.member_id, Loan.due_on).where(Loan.copy_id == copy_id,
                                                  Loan.returned_at.is_(None))
    ).first()
    return (row[0], row[1]) if row else None


def _already_out(session: Session, copy: _CopyRow, member_id: int) -> LoanRefused:
    other = _open_loan_facts(session, copy.copy_id)
    if other is not None and other[0] == member_id:
        return LoanRefused("already_borrowed", copy.barcode, member_id,
                           {"due": other[1].isoformat()})
    detail: dict[str, object] = {}
    if other is not None:
        detail = {"on_loan_to": other[0], "due": other[1].isoformat()}
    return LoanRefused("copy_on_loan", copy.barcode, member_id, detail)


def _fulfil_holds(session: Session, actor: Actor, *, member_id: int, copy: _CopyRow,
                  holds: list[ActiveHold], now: datetime, at: datetime) -> None:
    """The member's READY or WAITING hold on this record is served by this loan; a different
    copy that was put aside for them goes back to the queue."""
    for active in holds:
        if active.member_id != member_id:
            continue
        hold = session.get(Hold, active.hold_id)
        if hold is None:
            continue
        ready_elsewhere = hold.status == HoldStatus.READY and hold.copy_id != copy.copy_id
        freed = hold.copy_id if ready_elsewhere else None
        hold.status = HoldStatus.FULFILLED
        hold.closed_at = now
        session.flush()
        if freed is not None:
            offer_copy(session, actor, copy_id=freed, now=now, at=at)


def return_copy(
    session: Session,
    actor: Actor,
    *,
    copy_barcode: str,
    now: datetime,
    at: datetime | None = None,
) -> ReturnDone:
    """Ends the open loan of a copy. Late days are calendar days after the due date (the
    copy was away on closed days too). A copy with a waiting hold is put aside for the first
    member in the queue (`hold_for`). A copy not on loan is harmless (`was_on_loan` False);
    an unknown barcode raises UnknownBarcode. A copy marked lost or missing comes back as
    available."""
    actor.require(Permission.LEND)
    happened = at or now
    desk = desk_settings(session)
    today = desk.day(happened)
    found = session.execute(
        select(Copy, Record.title).join(Record, Record.id == Copy.record_id)
        .where(Copy.barcode == copy_barcode.strip())
    ).first()
    if found is None:
        raise UnknownBarcode(copy_barcode.strip())
    copy, title = found
    loan = _open_loan(session, copy.id, lock=True)
    member_id = None
    late = 0
    if loan is not None:
        loan.returned_at = max(happened, loan.loaned_at)
        member_id = loan.member_id
        late = late_days(loan.due_on, today)
        session.flush()
        record_audit(
            session, actor, action="return", entity="loan", entity_id=loan.id, now=now,
            happened_at=happened,
            details={"copy_id": copy.id, "late_days": late},
        )
        anonymise_loan_at_return(
            session, loan, session.get(Member, member_id) if member_id is not None else None
        )
    if copy.status in (CopyStatus.LOST, CopyStatus.MISSING):
        previous = copy.status
        copy.status = CopyStatus.AVAILABLE
        copy.updated_at = now
        session.flush()
        record_audit(
            session, actor, action="copy_found", entity="copy", entity_id=copy.id, now=now,
            happened_at=happened, details={"status": [previous, CopyStatus.AVAILABLE.value]},
        )
    hold_for = offer_copy(session, actor, copy_id=copy.id, now=now, at=happened, desk=desk,
                          known_free=True)
    return ReturnDone(copy.barcode, title, loan is not None, member_id, late, hold_for)


def renew_loan(
    session: Session,
    actor: Actor,
    *,
    copy_barcode: str,
    now: datetime,
    at: datetime | None = None,
) -> RenewDone:
    """Renews the open loan of a copy for a full loan period from today (never shortening
    it). Refused: not_on_loan, membership, renewal_limit, overdue_renewal (unless the rule
    allows renewing late), held_for_other (members queued for the record that the copies
    on the shelf cannot serve)."""
    actor.require(Permission.LEND)
    happened = at or now
    today = local_day(session, happened)
    copy = _copy(session, copy_barcode)
    loan = _open_loan(session, copy.id, lock=True)
    if loan is None or loan.member_id is None:
        raise LoanRefused("not_on_loan", copy.barcode, None)
    return _renew(session, actor, loan=loan, copy=copy, today=today, now=now, at=happened)


def _renew(session: Session, actor: Actor, *, loan: Loan, copy: Copy, today: date,
           now: datetime, at: datetime) -> RenewDone:
    assert loan.member_id is not None
    member = get_member(session, loan.member_id)
    record = session.get(Record, copy.record_id)
    assert record is not None
    rule = choose_rule(loan_rules(session), member.category_id, record.media_type)
    others = [m for _hold, m in waiting_queue(session, record.id) if m != member.id]
    unserved = max(0, len(others) - free_copies(session, record.id)) if others else 0
    refusal = blocking(
        renewal_refusals(
            _member_facts(session, member, today, None), rule,
            renewals=loan.renewals, due_on=loan.due_on, today=today, others_waiting=unserved,
        ),
        override=False,
    )
    if refusal is not None:
        raise LoanRefused(refusal.reason, copy.barcode, member.id, refusal.detail)
    calendar = load_calendar(session, since=today)
    previous = loan.due_on
    renewed = renewed_due_date(today, previous, rule.loan_days, calendar.next_open_day)
    if renewed <= previous:
        # Renewing now would use up a renewal without giving a single day more.
        raise LoanRefused("renewal_too_soon", copy.barcode, member.id,
                          {"due": previous.isoformat()})
    loan.due_on = renewed
    loan.renewals += 1
    session.add(Renewal(loan_id=loan.id, renewed_at=at, previous_due_on=previous,
                        new_due_on=loan.due_on))
    session.flush()
    record_audit(
        session, actor, action="renew", entity="loan", entity_id=loan.id, now=now,
        happened_at=at, details={"due_on": [previous, loan.due_on]},
    )
    return RenewDone(copy.barcode, record.title, loan.due_on)


def renew_all(
    session: Session,
    actor: Actor,
    *,
    member_id: int,
    now: datetime,
    at: datetime | None = None,
) -> tuple[list[RenewDone], list[LoanRefused]]:
    """Renews every open loan of a member that may be renewed; the others come back as
    refusals (nothing is half-done: each loan is renewed or left as it was)."""
    actor.require(Permission.LEND)
    happened = at or now
    today = local_day(session, happened)
    get_member(session, member_id)
    rows = session.execute(
        select(Loan, Copy)
        .join(Copy, Copy.id == Loan.copy_id)
        .where(Loan.member_id == member_id, Loan.returned_at.is_(None))
        .order_by(Loan.due_on, Loan.id)
    ).all()
    done: list[RenewDone] = []
    refused: list[LoanRefused] = []
    for loan, copy in rows:
        try:
            done.append(_renew(session, actor, loan=loan, copy=copy, today=today, now=now,
                               at=happened))
        except LoanRefused as error:
            refused.append(error)
    return done, refused

"""What the desk does with one scanned code, as plain functions for the runner (no Qt, no
ORM object leaves them: codes and ids in, frozen dataclasses out).

`process_scan` classifies the code (mediatheque.circulation.classify_scan) and routes it as
DESIGN.md §4 says: a member card opens that member; a copy is lent to the open member, or
returned when no member is open or the desk is in Return mode; an ISBN points at the
catalogue; a replaced card is refused. Each service runs in its own write transaction, the
member panel is read after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from mediatheque.circulation import (
    LoanDone,
    MemberPanel,
    RenewDone,
    ReturnDone,
    ScanKind,
    check_out,
    classify_scan,
    member_panel,
    renew_all,
    renew_loan,
    return_copy,
)
from mediatheque.db import Database
from mediatheque.errors import LoanRefused, MediathequeError
from mediatheque.models import Member
from mediatheque.permissions import Actor


@dataclass(frozen=True)
class MemberOpened:
    panel: MemberPanel


@dataclass(frozen=True)
class Lent:
    done: LoanDone
    panel: MemberPanel


@dataclass(frozen=True)
class Returned:
    done: ReturnDone
    member_name: str  # whose loan it was ("" when it was not on loan)
    panel: MemberPanel | None  # the open member's panel, reloaded


@dataclass(frozen=True)
class Refused:
    error: LoanRefused
    panel: MemberPanel | None


@dataclass(frozen=True)
class Renewed:
    renewed: tuple[RenewDone, ...]
    refused: tuple[LoanRefused, ...]
    panel: MemberPanel


@dataclass(frozen=True)
class IsbnScanned:
    isbn13: str
    record_id: int | None


@dataclass(frozen=True)
class Unknown:
    code: str


@dataclass(frozen=True)
class Failed:
    """A typed error other than a refusal (an unknown copy on return, a permission)."""

    error: MediathequeError
    panel: MemberPanel | None


Outcome = MemberOpened | Lent | Returned | Refused | Renewed | IsbnScanned | Unknown | Failed


def load_panel(database: Database, member_id: int, now: datetime) -> MemberPanel:
    with database.read() as session:
        return member_panel(session, member_id, now=now)


def _panel(session: Session, member_id: int | None, now: datetime) -> MemberPanel | None:
    return None if member_id is None else member_panel(session, member_id, now=now)


def _member_name(session: Session, member_id: int | None) -> str:
    member = session.get(Member, member_id) if member_id is not None else None
    return f"{member.first_name} {member.last_name}".strip() if member else ""


# One session (one connection, one transaction) per scan: the desk answers in a few
# milliseconds. Services that may refuse run in a savepoint, so that a refusal leaves
# nothing half-written and the member's panel can still be read in the same transaction.


def process_scan(
    database: Database, actor: Actor, code: str, *, member_id: int | None,
    return_mode: bool, now: datetime,
) -> Outcome:
    with database.write() as session:
        target = classify_scan(session, code)
        match target.kind:
            case ScanKind.MEMBER:
                assert target.member_id is not None
                return MemberOpened(member_panel(session, target.member_id, now=now))
            case ScanKind.REPLACED_CARD:
                refusal = LoanRefused("card_replaced", None, target.member_id,
                                      {"card": target.code})
                return Refused(refusal, _panel(session, member_id, now))
            case ScanKind.ISBN:
                return IsbnScanned(target.isbn13 or target.code, target.record_id)
            case ScanKind.COPY if member_id is not None and not return_mode:
                return _lend(session, actor, target.code, member_id=member_id, now=now)
            case ScanKind.COPY:
                return _give_back(session, actor, target.code, member_id=member_id, now=now)
        return Unknown(target.code)


def lend(
    database: Database, actor: Actor, copy_barcode: str, *, member_id: int, now: datetime,
    override_reason: str | None = None, return_first: bool = False,
) -> Outcome:
    with database.write() as session:
        return _lend(session, actor, copy_barcode, member_id=member_id, now=now,
                     override_reason=override_reason, return_first=return_first)


def _lend(
    session: Session, actor: Actor, copy_barcode: str, *, member_id: int, now: datetime,
    override_reason: str | None = None, return_first: bool = False,
) -> Outcome:
    try:
        with session.begin_nested():
            if return_first:  # "already on loan: return it first, then lend it"
                return_copy(session, actor, copy_barcode=copy_barcode, now=now)
            done = check_out(session, actor, member_id=member_id, copy_barcode=copy_barcode,
                             now=now, override_reason=override_reason)
    except LoanRefused as refusal:
        return Refused(refusal, member_panel(session, member_id, now=now))
    except MediathequeError as error:
        return Failed(error, member_panel(session, member_id, now=now))
    return Lent(done, member_panel(session, member_id, now=now))


def give_back(
    database: Database, actor: Actor, copy_barcode: str, *, member_id: int | None,
    now: datetime,
) -> Outcome:
    with database.write() as session:
        return _give_back(session, actor, copy_barcode, member_id=member_id, now=now)


def _give_back(
    session: Session, actor: Actor, copy_barcode: str, *, member_id: int | None,
    now: datetime,
) -> Outcome:
    try:
        with session.begin_nested():
            done = return_copy(session, actor, copy_barcode=copy_barcode, now=now)
    except MediathequeError as error:
        return Failed(error, _panel(session, member_id, now))
    return Returned(done, _member_name(session, done.member_id), _panel(session, member_id, now))


def renew_everything(database: Database, actor: Actor, *, member_id: int, now: datetime) -> Outcome:
    with database.write() as session:
        try:
            with session.begin_nested():
                renewed, refused = renew_all(session, actor, member_id=member_id, now=now)
        except MediathequeError as error:
            return Failed(error, member_panel(session, member_id, now=now))
        return Renewed(tuple(renewed), tuple(refused), member_panel(session, member_id, now=now))


def renew_one(
    database: Database, actor: Actor, copy_barcode: str, *, member_id: int, now: datetime,
) -> Outcome:
    with database.write() as session:
        try:
            with session.begin_nested():
                done = renew_loan(session, actor, copy_barcode=copy_barcode, now=now)
        except LoanRefused as refusal:
            return Refused(refusal, member_panel(session, member_id, now=now))
        except MediathequeError as error:
            return Failed(error, member_panel(session, member_id, now=now))
        return Renewed((done,), (), member_panel(session, member_id, now=now))

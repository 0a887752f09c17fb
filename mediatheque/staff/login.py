"""Logging in: one error for every wrong login/password/disabled account, and a lock after
repeated failures that grows with each new failure."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediatheque.audit import record_audit
from mediatheque.db import Database
from mediatheque.errors import AccountLocked, BadCredentials
from mediatheque.models import Staff
from mediatheque.permissions import LOCAL_ADMIN, Actor
from mediatheque.staff.accounts import normalise_login, staff_accounts_exist
from mediatheque.staff.passwords import (
    needs_rehash,
    rehash,
    verify_password,
    waste_a_verification,
)

MAX_FAILURES = 5
FIRST_LOCK = timedelta(minutes=5)
LONGEST_LOCK = timedelta(hours=24)


def lock_delay(failures: int) -> timedelta | None:
    """Pure rule: no lock below MAX_FAILURES consecutive failures; then 5 minutes, doubled
    for each further failure, at most a day."""
    if failures < MAX_FAILURES:
        return None
    return min(FIRST_LOCK * 2 ** min(failures - MAX_FAILURES, 16), LONGEST_LOCK)


def check_credentials(
    session: Session, login: str, password: str, now: datetime
) -> Actor | BadCredentials | AccountLocked:
    """Checks a login and password and records the outcome on the account (failure count,
    lock, last login, audit). Returns the error instead of raising it, so the caller can
    commit the failure count; `log_in` does that."""
    name = normalise_login(login)
    staff = None
    if 0 < len(name) <= 100:
        staff = session.scalar(select(Staff).where(Staff.login == name).with_for_update())
    if staff is None or not staff.active:
        waste_a_verification(password)
        return BadCredentials()
    if staff.locked_until is not None and now < staff.locked_until:
        return AccountLocked(staff.locked_until)
    if not verify_password(staff.password_hash, password):
        staff.failed_logins += 1
        delay = lock_delay(staff.failed_logins)
        details: dict[str, object] = {"failures": staff.failed_logins}
        if delay is None:
            _audit(session, staff, "login_failed", now, details)
            return BadCredentials()
        staff.locked_until = details["locked_until"] = now + delay
        _audit(session, staff, "login_failed", now, details)
        return AccountLocked(now + delay)
    if needs_rehash(staff.password_hash):
        staff.password_hash = rehash(password)
    staff.failed_logins = 0
    staff.locked_until = None
    staff.last_login_at = now
    actor = Actor(login=staff.login, role=staff.role, staff_id=staff.id)
    _audit(session, staff, "login", now, {})
    return actor


def authenticate(session: Session, login: str, password: str, now: datetime) -> Actor:
    """The acting staff member for a login and password, or BadCredentials / AccountLocked.
    The failure count is written in the caller's transaction, which an exception rolls back
    with `database.write()`: prefer `log_in`, which commits it."""
    outcome = check_credentials(session, login, password, now)
    if isinstance(outcome, Actor):
        return outcome
    raise outcome


def log_in(database: Database, login: str, password: str, now: datetime) -> Actor:
    """Checks the credentials in a transaction of its own (failures are kept), then raises
    the refusal or returns the actor."""
    with database.write() as session:
        outcome = check_credentials(session, login, password, now)
    if isinstance(outcome, Actor):
        return outcome
    raise outcome


def actor_without_login(database: Database) -> Actor | None:
    """LOCAL_ADMIN when the library has no staff account; None when someone must log in."""
    with database.read() as session:
        return None if staff_accounts_exist(session) else LOCAL_ADMIN


def _audit(
    session: Session, staff: Staff, action: str, now: datetime, details: dict[str, object]
) -> None:
    actor = Actor(login=staff.login, role=staff.role, staff_id=staff.id)
    record_audit(
        session, actor, action=action, entity="staff", entity_id=staff.id, now=now,
        details=details,
    )

"""Staff accounts: create, edit, reset a password, disable. Every service checks
Permission.STAFF and writes the audit trail; passwords only ever appear as argon2 hashes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from mediatheque.audit import changes, record_audit
from mediatheque.errors import DuplicateLogin, InvalidValue, LastAdministrator, UnknownStaff
from mediatheque.models import Staff
from mediatheque.models.vocabulary import StaffRole, words
from mediatheque.permissions import Actor, Permission
from mediatheque.staff.passwords import hash_password

LOGIN = re.compile(r"^[\w.@-]{2,100}$")
ROLES = words(StaffRole)


@dataclass(frozen=True)
class StaffRow:
    id: int
    login: str
    display_name: str
    role: str
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    created_at: datetime


def normalise_login(login: str) -> str:
    """Logins are compared without case and surrounding spaces ("Aigerim" = "aigerim")."""
    return login.strip().casefold()


def staff_accounts_exist(session: Session) -> bool:
    """False for a library without accounts: everyone at the PC acts as its administrator."""
    return bool(session.scalar(select(exists().where(Staff.active.is_(True)))))


def create_staff(
    session: Session,
    actor: Actor,
    *,
    login: str,
    role: str,
    password: str,
    now: datetime,
    display_name: str = "",
) -> StaffRow:
    actor.require(Permission.STAFF)
    name = normalise_login(login)
    if not LOGIN.match(name):
        raise InvalidValue("login", login)
    _check_role(role)
    if session.scalar(select(exists().where(Staff.login == name))):
        raise DuplicateLogin(name)
    if role != StaffRole.ADMIN and _active_admins(session) == 0:
        # The first account must be able to manage the others.
        raise LastAdministrator(name)
    staff = Staff(
        login=name,
        display_name=display_name.strip() or None,
        role=role,
        password_hash=hash_password(password),
        active=True,
        failed_logins=0,
        created_at=now,
    )
    session.add(staff)
    session.flush()
    record_audit(
        session, actor, action="staff_create", entity="staff", entity_id=staff.id, now=now,
        details={"login": name, "role": role},
    )
    return _row(staff)


def update_staff(
    session: Session,
    actor: Actor,
    login: str,
    *,
    now: datetime,
    role: str | None = None,
    active: bool | None = None,
    display_name: str | None = None,
) -> StaffRow:
    """Changes an account's role, name or state. The last active administrator keeps both."""
    actor.require(Permission.STAFF)
    staff = _get(session, login, for_update=True)
    before = _audited(staff)
    if role is not None:
        _check_role(role)
    demoted = (role is not None and role != StaffRole.ADMIN) or active is False
    if demoted and staff.role == StaffRole.ADMIN and staff.active and _active_admins(session) <= 1:
        raise LastAdministrator(staff.login)
    if role is not None:
        staff.role = role
    if active is not None:
        staff.active = active
        if active:
            staff.failed_logins = 0
            staff.locked_until = None
    if display_name is not None:
        staff.display_name = display_name.strip() or None
    session.flush()
    changed = changes(before, _audited(staff))
    if changed:
        record_audit(
            session, actor, action="staff_update", entity="staff", entity_id=staff.id,
            now=now, details=changed,
        )
    return _row(staff)


def reset_password(
    session: Session, actor: Actor, login: str, password: str, *, now: datetime
) -> None:
    """Sets a new password (an administrator's job, or anyone's for their own account) and
    unlocks the account. The audit says that it changed, never what it is."""
    staff = _get(session, login, for_update=True)
    if actor.staff_id != staff.id:
        actor.require(Permission.STAFF)
    staff.password_hash = hash_password(password)
    staff.failed_logins = 0
    staff.locked_until = None
    session.flush()
    record_audit(
        session, actor, action="staff_password", entity="staff", entity_id=staff.id, now=now,
        details={"login": staff.login},
    )


def list_staff(session: Session, actor: Actor) -> list[StaffRow]:
    actor.require(Permission.STAFF)
    return [_row(staff) for staff in session.scalars(select(Staff).order_by(Staff.login))]


def _get(session: Session, login: str, *, for_update: bool = False) -> Staff:
    query = select(Staff).where(Staff.login == normalise_login(login))
    if for_update:
        query = query.with_for_update()
    staff = session.scalar(query)
    if staff is None:
        raise UnknownStaff(login)
    return staff


def _active_admins(session: Session) -> int:
    query = select(func.count()).where(Staff.role == StaffRole.ADMIN, Staff.active.is_(True))
    return int(session.scalar(query) or 0)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidValue("role", role)


def _audited(staff: Staff) -> dict[str, object]:
    return {"role": staff.role, "active": staff.active, "display_name": staff.display_name}


def _row(staff: Staff) -> StaffRow:
    return StaffRow(
        id=staff.id,
        login=staff.login,
        display_name=staff.display_name or "",
        role=staff.role,
        active=staff.active,
        locked_until=staff.locked_until,
        last_login_at=staff.last_login_at,
        created_at=staff.created_at,
    )

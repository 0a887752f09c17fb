"""Settings changed by people, checked (Permission.SETTINGS) and audited: the library's
identity and the staff settings (idle lock)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from mediatheque.audit import changes, record_audit
from mediatheque.errors import InvalidValue
from mediatheque.library import initialise_library
from mediatheque.permissions import Actor, Permission
from mediatheque.settings import (
    LibrarySettings,
    load_library_settings,
    load_section,
    save_library_settings,
    save_section,
)

STAFF_PREFIX = "staff."
MAX_IDLE_MINUTES = 480


@dataclass(frozen=True)
class StaffSettings:
    """`idle_lock_minutes`: the desk locks after this long without a key or a click, when
    staff accounts exist (0: never)."""

    idle_lock_minutes: int = 10

    def validated(self) -> StaffSettings:
        minutes = self.idle_lock_minutes
        if not isinstance(minutes, int) or not 0 <= minutes <= MAX_IDLE_MINUTES:
            raise InvalidValue("idle_lock_minutes", str(minutes))
        return self


def load_staff_settings(session: Session) -> StaffSettings:
    return load_section(session, STAFF_PREFIX, StaffSettings)


def save_staff_settings(
    session: Session, actor: Actor, settings: StaffSettings, *, now: datetime
) -> StaffSettings:
    actor.require(Permission.SETTINGS)
    cleaned = settings.validated()
    save_audited_section(session, actor, STAFF_PREFIX, load_staff_settings(session), cleaned,
                         now=now)
    return cleaned


def save_audited_section(
    session: Session, actor: Actor, prefix: str, before: object, after: object, *,
    now: datetime,
) -> None:
    """Stores a validated settings dataclass and audits the fields that changed. The caller
    has checked the permission."""
    save_section(session, prefix, after)
    changed = changes(asdict(before), asdict(after))  # type: ignore[call-overload]
    if changed:
        record_audit(
            session, actor, action="settings_update", entity="settings",
            entity_id=prefix.rstrip("."), now=now, details=changed,
        )


def change_library_settings(
    session: Session, actor: Actor, settings: LibrarySettings, *, now: datetime
) -> LibrarySettings:
    """Validates and stores the library's settings (Settings page)."""
    actor.require(Permission.SETTINGS)
    before = load_library_settings(session)
    stored = save_library_settings(session, settings)
    _audit_library(session, actor, before, stored, now)
    return stored


def configure_library(
    session: Session, actor: Actor, settings: LibrarySettings, *, now: datetime
) -> LibrarySettings:
    """`mediatheque init`: names the library (and creates its defaults the first time)."""
    actor.require(Permission.SETTINGS)
    before = load_library_settings(session)
    stored = initialise_library(session, settings)
    _audit_library(session, actor, before, stored, now)
    return stored


def _audit_library(
    session: Session, actor: Actor, before: LibrarySettings, after: LibrarySettings,
    now: datetime,
) -> None:
    changed = changes(asdict(before), asdict(after))
    if changed:
        record_audit(
            session, actor, action="settings_update", entity="settings", entity_id="library",
            now=now, details=changed,
        )

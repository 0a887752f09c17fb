"""Circulation settings, stored under "circulation." (mediatheque.settings.load_section)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from mediatheque.audit import changes, record_audit
from mediatheque.errors import InvalidValue
from mediatheque.permissions import Actor, Permission
from mediatheque.settings import load_section, save_section

PREFIX = "circulation."


@dataclass(frozen=True)
class CirculationSettings:
    block_when_overdue: bool = True  # refuse new loans while the member has overdue copies
    hold_pickup_days: int = 7  # how long a ready hold waits at the desk

    def validated(self) -> CirculationSettings:
        if not 1 <= self.hold_pickup_days <= 60:
            raise InvalidValue("hold_pickup_days", str(self.hold_pickup_days))
        return self


def load_circulation_settings(session: Session) -> CirculationSettings:
    return load_section(session, PREFIX, CirculationSettings)


def save_circulation_settings(session: Session, settings: CirculationSettings) -> None:
    save_section(session, PREFIX, settings.validated())


def change_circulation_settings(
    session: Session, actor: Actor, settings: CirculationSettings, *, now: datetime
) -> CirculationSettings:
    """Validates, stores and audits the circulation settings (Permission.SETTINGS)."""
    actor.require(Permission.SETTINGS)
    cleaned = settings.validated()
    before = load_circulation_settings(session)
    if cleaned != before:
        save_section(session, PREFIX, cleaned)
        record_audit(
            session, actor, action="settings_change", entity="settings",
            entity_id="circulation", now=now, details=changes(asdict(before), asdict(cleaned)),
        )
    return cleaned

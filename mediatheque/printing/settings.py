"""Printing settings stored with the library's (settings.py, under "printing."): the logo
printed on cards and the per-printer calibration of the card printer and of the label
printer, remembered between sessions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from mediatheque.audit import changes, record_audit
from mediatheque.errors import InvalidValue
from mediatheque.permissions import Actor, Permission
from mediatheque.settings import load_section, save_section

PREFIX = "printing."
MAX_OFFSET_MM = 20.0
MIN_SCALE, MAX_SCALE = 80.0, 120.0


@dataclass(frozen=True)
class Calibration:
    """Moves everything printed by (x_mm right, y_mm up) and scales it around the page's
    centre by scale_percent, to make up for a printer's feed and stretch."""

    x_mm: float = 0.0
    y_mm: float = 0.0
    scale_percent: float = 100.0

    def validated(self, name: str) -> Calibration:
        for field, value in (("x_mm", self.x_mm), ("y_mm", self.y_mm)):
            if not -MAX_OFFSET_MM <= value <= MAX_OFFSET_MM:
                raise InvalidValue(f"{name}_{field}", str(value))
        if not MIN_SCALE <= self.scale_percent <= MAX_SCALE:
            raise InvalidValue(f"{name}_scale_percent", str(self.scale_percent))
        return self


@dataclass(frozen=True)
class PrintingSettings:
    logo_path: str = ""
    card_layout: str = "cr80"
    card_x_mm: float = 0.0
    card_y_mm: float = 0.0
    card_scale_percent: float = 100.0
    label_preset: str = "3x8"
    label_x_mm: float = 0.0
    label_y_mm: float = 0.0
    label_scale_percent: float = 100.0

    @property
    def card_calibration(self) -> Calibration:
        return Calibration(self.card_x_mm, self.card_y_mm, self.card_scale_percent)

    @property
    def label_calibration(self) -> Calibration:
        return Calibration(self.label_x_mm, self.label_y_mm, self.label_scale_percent)

    def validated(self) -> PrintingSettings:
        from mediatheque.printing.labels import LABEL_PRESETS

        self.card_calibration.validated("card")
        self.label_calibration.validated("label")
        if self.card_layout not in ("cr80", "a4"):
            raise InvalidValue("card_layout", self.card_layout)
        if self.label_preset not in LABEL_PRESETS:
            raise InvalidValue("label_preset", self.label_preset)
        return replace(self, logo_path=self.logo_path.strip())


def load_printing_settings(session: Session) -> PrintingSettings:
    return load_section(session, PREFIX, PrintingSettings)


def save_printing_settings(session: Session, settings: PrintingSettings) -> PrintingSettings:
    """Validates and stores; returns the stored values (Permission.SETTINGS is the caller's
    check, as for the library settings)."""
    cleaned = settings.validated()
    save_section(session, PREFIX, cleaned)
    return cleaned


def update_printing_settings(session: Session, actor: Actor, settings: PrintingSettings, *,
                             now: datetime) -> PrintingSettings:
    """Stores the settings for whoever prints: card fields need Permission.MEMBERS, label
    fields Permission.CATALOGUE. Audited (the changed fields, never a member's data)."""
    before = asdict(load_printing_settings(session))
    after = asdict(settings.validated())
    diff = changes(before, after)
    if not diff:
        return settings.validated()
    if any(name.startswith("label_") for name in diff):
        actor.require(Permission.CATALOGUE)
    if any(not name.startswith("label_") for name in diff):
        actor.require(Permission.MEMBERS)
    stored = save_printing_settings(session, settings)
    record_audit(session, actor, action="printing_settings", entity="settings", entity_id=None,
                 now=now, details=diff)
    return stored

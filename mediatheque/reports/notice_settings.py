"""Settings of the overdue notices: delays of the three levels, blocking, the polite text of
the letters per language, and the SMTP server. Stored under "notices."."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from mediatheque.audit import changes, record_audit
from mediatheque.errors import InvalidValue
from mediatheque.permissions import Actor, Permission
from mediatheque.settings import load_section, save_section

PREFIX = "notices."
SECURITY_MODES = ("starttls", "ssl", "none")
MAX_LEVELS = 3
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class NoticeSettings:
    """`levels` notice levels (1 to 3) sent `delay_N` days after the due date; the last one
    may block new loans. Texts empty mean the default polite text of that language."""

    levels: int = 3
    delay_1: int = 7
    delay_2: int = 21
    delay_3: int = 45
    block_at_last_level: bool = True
    text_fr: str = ""
    text_ru: str = ""
    text_kk: str = ""
    text_en: str = ""
    signature: str = ""
    letterhead: str = ""  # address, telephone, e-mail, hours: lines under the library's name
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = ""
    smtp_timeout: int = 20

    @property
    def delays(self) -> tuple[int, ...]:
        """The delays of the levels in use, e.g. (7, 21, 45)."""
        return (self.delay_1, self.delay_2, self.delay_3)[: self.levels]

    @property
    def mail_configured(self) -> bool:
        return bool(self.smtp_host and self.smtp_from)

    def text(self, language: str) -> str:
        return str(getattr(self, f"text_{language}", "") or "")

    def validated(self) -> NoticeSettings:
        cleaned = replace(
            self,
            smtp_host=self.smtp_host.strip(),
            smtp_user=self.smtp_user.strip(),
            smtp_from=self.smtp_from.strip(),
            smtp_security=self.smtp_security.strip().lower(),
            text_fr=self.text_fr.strip(),
            text_ru=self.text_ru.strip(),
            text_kk=self.text_kk.strip(),
            text_en=self.text_en.strip(),
            signature=self.signature.strip(),
            letterhead=self.letterhead.strip(),
        )
        if not 1 <= cleaned.levels <= MAX_LEVELS:
            raise InvalidValue("levels", str(self.levels))
        previous = 0
        for index, delay in enumerate(cleaned.delays, start=1):
            if not previous < delay <= 365:
                raise InvalidValue(f"delay_{index}", str(delay))
            previous = delay
        if cleaned.smtp_security not in SECURITY_MODES:
            raise InvalidValue("smtp_security", self.smtp_security)
        if not 1 <= cleaned.smtp_port <= 65535:
            raise InvalidValue("smtp_port", str(self.smtp_port))
        if not 1 <= cleaned.smtp_timeout <= 300:
            raise InvalidValue("smtp_timeout", str(self.smtp_timeout))
        if cleaned.smtp_from and not _EMAIL.match(cleaned.smtp_from):
            raise InvalidValue("smtp_from", self.smtp_from)
        for language in ("fr", "ru", "kk", "en"):
            if len(cleaned.text(language)) > 4000:
                raise InvalidValue(f"text_{language}", cleaned.text(language)[:40] + "…")
        return cleaned


def load_notice_settings(session: Session) -> NoticeSettings:
    return load_section(session, PREFIX, NoticeSettings)


def save_notice_settings(session: Session, settings: NoticeSettings) -> NoticeSettings:
    """Validates and stores; returns the stored values. The caller checks
    Permission.SETTINGS (or use `update_notice_settings`)."""
    cleaned = settings.validated()
    save_section(session, PREFIX, cleaned)
    return cleaned


def update_notice_settings(
    session: Session, actor: Actor, settings: NoticeSettings, *, now: datetime
) -> NoticeSettings:
    """Stores the settings (Permission.SETTINGS), audited by field name; the SMTP password
    is never written to the audit trail."""
    actor.require(Permission.SETTINGS)
    before = asdict(load_notice_settings(session))
    cleaned = settings.validated()
    diff = changes(before, asdict(cleaned))
    if not diff:
        return cleaned
    stored = save_notice_settings(session, cleaned)
    if "smtp_password" in diff:
        diff["smtp_password"] = ["…", "…"]
    record_audit(session, actor, action="notice_settings", entity="settings", entity_id=None,
                 now=now, details=diff)
    return stored

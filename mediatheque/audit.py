"""The audit trail: who changed what, written in the same transaction as the change."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from mediatheque.models import AuditEntry
from mediatheque.permissions import Actor


def record_audit(
    session: Session,
    actor: Actor,
    *,
    action: str,
    entity: str,
    entity_id: object | None,
    now: datetime,
    happened_at: datetime | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Adds one entry. `action` is a stable verb (`loan`, `record_update`…), `details` holds
    the before/after values (see `changes`) or what the action needs to be understood.
    Never put a member's name or contact here: the member id is enough."""
    session.add(
        AuditEntry(
            recorded_at=now,
            happened_at=happened_at or now,
            staff_id=actor.staff_id,
            actor=actor.login,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            details=json.dumps(details or {}, ensure_ascii=False, default=_jsonable),
        )
    )


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def _jsonable(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value, key=str)
    return str(value)

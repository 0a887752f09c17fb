"""Reading the audit trail (Permission.AUDIT). Nothing here writes: entries are only ever
added by mediatheque.audit.record_audit, in the transaction of the change they describe."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from mediatheque.models import AuditEntry
from mediatheque.permissions import Actor, Permission

MAX_PAGE = 1000


@dataclass(frozen=True)
class AuditFilter:
    """Every given criterion must hold. Times bound when the entry was recorded
    (`since` included, `until` excluded)."""

    since: datetime | None = None
    until: datetime | None = None
    actor: str | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: str | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    recorded_at: datetime
    happened_at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str | None
    details: dict[str, Any]


@dataclass(frozen=True)
class AuditPage:
    total: int
    rows: list[AuditRow]


def read_audit(
    session: Session, actor: Actor, where: AuditFilter = AuditFilter(), *, offset: int = 0,
    limit: int = 100,
) -> AuditPage:
    """Newest first, `limit` rows from `offset`, and how many match in all."""
    actor.require(Permission.AUDIT)
    conditions = _conditions(where)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions))
    query = (
        select(AuditEntry)
        .where(*conditions)
        .order_by(AuditEntry.recorded_at.desc(), AuditEntry.id.desc())
        .offset(max(offset, 0))
        .limit(max(0, min(limit, MAX_PAGE)))
    )
    return AuditPage(int(total or 0), [_row(entry) for entry in session.scalars(query)])


def audit_vocabulary(session: Session, actor: Actor) -> tuple[list[str], list[str], list[str]]:
    """The actors, actions and entities found in the trail (for the page's filters)."""
    actor.require(Permission.AUDIT)
    return (
        list(session.scalars(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor))),
        list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))),
        list(session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity))),
    )


def _conditions(where: AuditFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.since is not None:
        conditions.append(AuditEntry.recorded_at >= where.since)
    if where.until is not None:
        conditions.append(AuditEntry.recorded_at < where.until)
    if where.actor:
        conditions.append(AuditEntry.actor == where.actor.strip().casefold())
    if where.action:
        conditions.append(AuditEntry.action == where.action)
    if where.entity:
        conditions.append(AuditEntry.entity == where.entity)
    if where.entity_id:
        conditions.append(AuditEntry.entity_id == where.entity_id)
    return conditions


def _row(entry: AuditEntry) -> AuditRow:
    try:
        details = json.loads(entry.details or "{}")
    except ValueError:
        details = {"raw": entry.details}
    return AuditRow(
        id=entry.id,
        recorded_at=entry.recorded_at,
        happened_at=entry.happened_at,
        actor=entry.actor,
        action=entry.action,
        entity=entry.entity,
        entity_id=entry.entity_id,
        details=details if isinstance(details, dict) else {"value": details},
    )

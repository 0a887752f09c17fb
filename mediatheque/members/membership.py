"""One-click renewal of a membership, and replacement of a lost card."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from mediatheque.audit import record_audit
from mediatheque.members.card_numbers import free_barcode, new_member_barcodes
from mediatheque.members.editing import get_member
from mediatheque.members.search_index import index_members
from mediatheque.members.validation import renewed_expiry
from mediatheque.models import MemberCategory, ReplacedCard
from mediatheque.permissions import Actor, Permission


def renew_membership(session: Session, actor: Actor, member_id: int, *, today: date,
                     now: datetime) -> date:
    """Extends the membership by the category's length, from the later of today and the
    current expiry; returns the new expiry."""
    actor.require(Permission.MEMBERS)
    member = get_member(session, member_id)
    category = session.get(MemberCategory, member.category_id)
    assert category is not None  # the foreign key is RESTRICT
    before = member.membership_expiry
    member.membership_expiry = renewed_expiry(today, before, category.membership_months)
    member.updated_at = now
    session.flush()
    record_audit(session, actor, action="member_renew", entity="member", entity_id=member_id,
                 now=now, details={"membership_expiry": [before, member.membership_expiry]})
    return member.membership_expiry


def replace_card(session: Session, actor: Actor, member_id: int, *, now: datetime,
                 barcode: str | None = None) -> str:
    """Gives the member a new card (generated, or the one given): the old barcode is kept
    as a replaced card, which the desk refuses with `card_replaced`. Returns the new one."""
    actor.require(Permission.MEMBERS)
    member = get_member(session, member_id)
    new = free_barcode(session, barcode) if barcode and barcode.strip() \
        else new_member_barcodes(session, 1)[0]
    old = member.barcode
    if new == old:
        return old
    session.add(ReplacedCard(barcode=old, member_id=member_id, replaced_at=now))
    member.barcode = new
    member.updated_at = now
    session.flush()
    index_members(session, [member_id])
    record_audit(session, actor, action="member_card_replace", entity="member",
                 entity_id=member_id, now=now, details={"barcode": [old, new]})
    return new

"""Registering and editing a member. Names may be Cyrillic, Kazakh or Latin; e-mail and
phone are checked; the membership expiry defaults from the category's length; a card
barcode is generated unless an existing one is given. Possible duplicates come back as
data (a warning to show), or are refused when the caller asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from mediatheque.audit import changes, record_audit
from mediatheque.errors import EditConflict, InvalidValue, PossibleDuplicateMember, UnknownMember
from mediatheque.members.card_numbers import free_barcode, new_member_barcodes
from mediatheque.members.categories import category_by_code
from mediatheque.members.duplicates import DuplicateCandidate, find_duplicates
from mediatheque.members.search_index import index_members
from mediatheque.members.validation import (
    check_dates,
    clean_email,
    clean_name,
    clean_phone,
    default_expiry,
)
from mediatheque.models import Member
from mediatheque.models.vocabulary import LANGUAGE_PREFERENCES, MemberStatus, words
from mediatheque.permissions import Actor, Permission

MAX_ADDRESS = 500
MAX_NOTES = 4000
# Personal data: the audit says that they changed, never what they were or became.
PERSONAL = ("first_name", "last_name", "email", "phone", "address", "notes")


@dataclass(frozen=True)
class MemberInput:
    """A member as a person gives it. `category_code` None: the default category;
    `membership_start` None: today; `membership_expiry` None: start + the category's
    length; `barcode` None: a new card barcode is generated."""

    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    preferred_language: str = "fr"
    category_code: str | None = None
    membership_start: date | None = None
    membership_expiry: date | None = None
    notes: str | None = None
    barcode: str | None = None
    status: str = MemberStatus.ACTIVE
    history_opt_in: bool = False


@dataclass(frozen=True)
class MemberSaved:
    member_id: int
    barcode: str
    membership_expiry: date
    duplicates: tuple[DuplicateCandidate, ...]


def validated_member(session: Session, data: MemberInput, *, today: date) -> dict[str, Any]:
    """The columns of a member from `data` (everything but the barcode), or the typed
    error of the first value that does not fit. Nothing is written."""
    first = clean_name("first_name", data.first_name)
    last = clean_name("last_name", data.last_name)
    email, phone = clean_email(data.email), clean_phone(data.phone)
    if data.preferred_language not in LANGUAGE_PREFERENCES:
        raise InvalidValue("preferred_language", data.preferred_language)
    if data.status not in words(MemberStatus):
        raise InvalidValue("status", data.status)
    address = " ".join((data.address or "").split()) or None
    if address and len(address) > MAX_ADDRESS:
        raise InvalidValue("address", address[:40])
    notes = (data.notes or "").strip() or None
    if notes and len(notes) > MAX_NOTES:
        raise InvalidValue("notes", notes[:40])
    category = category_by_code(session, data.category_code)
    start = data.membership_start or today
    expiry = data.membership_expiry or default_expiry(start, category.membership_months)
    check_dates(start, expiry)
    return {
        "first_name": first, "last_name": last, "email": email, "phone": phone,
        "address": address, "preferred_language": data.preferred_language,
        "category_id": category.id, "membership_start": start, "membership_expiry": expiry,
        "status": data.status, "history_opt_in": data.history_opt_in, "notes": notes,
    }


def _duplicates(session: Session, values: dict[str, Any], refuse: bool,
                exclude_id: int | None) -> tuple[DuplicateCandidate, ...]:
    found = find_duplicates(session, first_name=values["first_name"],
                            last_name=values["last_name"], email=values["email"],
                            phone=values["phone"], exclude_id=exclude_id)
    if found and refuse:
        raise PossibleDuplicateMember(tuple(d.member_id for d in found))
    return found


def register_member(session: Session, actor: Actor, data: MemberInput, *, now: datetime,
                    today: date, refuse_duplicates: bool = False) -> MemberSaved:
    actor.require(Permission.MEMBERS)
    values = validated_member(session, data, today=today)
    barcode = free_barcode(session, data.barcode) if data.barcode and data.barcode.strip() \
        else new_member_barcodes(session, 1)[0]
    duplicates = _duplicates(session, values, refuse_duplicates, None)
    member = Member(barcode=barcode, created_at=now, updated_at=now, **values)
    session.add(member)
    session.flush()
    index_members(session, [member.id])
    record_audit(session, actor, action="member_create", entity="member",
                 entity_id=member.id, now=now, details=_public(values))
    return MemberSaved(member.id, barcode, values["membership_expiry"], duplicates)


def update_member(session: Session, actor: Actor, member_id: int, data: MemberInput, *,
                  now: datetime, today: date, refuse_duplicates: bool = False,
                  expected_version: datetime | None = None) -> MemberSaved:
    """Replaces the member's details with `data`. A barcode in `data` that differs from
    the card's gives the member that (existing) card; use replace_card for a lost one.
    `expected_version`: the `updated_at` the person was shown; when another desk has saved
    the member since, EditConflict is raised and nothing is overwritten."""
    actor.require(Permission.MEMBERS)
    member = get_member(session, member_id, for_update=expected_version is not None)
    if expected_version is not None and member.updated_at != expected_version:
        raise EditConflict(entity="member", entity_id=member_id)
    values = validated_member(session, data, today=today)
    barcode = member.barcode
    if data.barcode and data.barcode.strip() and data.barcode.strip() != member.barcode:
        barcode = free_barcode(session, data.barcode, member_id=member_id)
    duplicates = _duplicates(session, values, refuse_duplicates, member_id)
    after = {**values, "barcode": barcode}
    before = {name: getattr(member, name) for name in after}
    for name, value in after.items():
        setattr(member, name, value)
    member.updated_at = now
    session.flush()
    index_members(session, [member_id])
    record_audit(session, actor, action="member_update", entity="member", entity_id=member_id,
                 now=now, details=_public(changes(before, after)))
    return MemberSaved(member_id, barcode, values["membership_expiry"], duplicates)


def get_member(session: Session, member_id: int, *, for_update: bool = False) -> Member:
    # FOR UPDATE: on PostgreSQL a second desk saving the same member waits for the first,
    # then sees its version (SQLite's write transactions are one at a time anyway).
    member = session.get(Member, member_id, with_for_update=for_update or None)
    if member is None:
        raise UnknownMember(str(member_id))
    return member


def _public(values: dict[str, Any]) -> dict[str, Any]:
    """Audit details without personal data: personal fields are named, not given."""
    kept = {name: value for name, value in values.items() if name not in PERSONAL}
    touched = sorted(name for name in values if name in PERSONAL)
    if touched:
        kept["personal_fields"] = touched
    return kept

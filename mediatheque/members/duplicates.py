"""Possible duplicates of a member: the same names (in any script, accents and order
ignored) and the same phone or e-mail. A warning for the person registering, returned
as data; refused only when the caller asks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediatheque.catalogue.normalise import search_keys
from mediatheque.members.search_index import compact
from mediatheque.members.validation import phone_key
from mediatheque.models import Member, MemberSearchKey


@dataclass(frozen=True)
class DuplicateCandidate:
    member_id: int
    barcode: str
    first_name: str
    last_name: str


def names_key(first_name: str, last_name: str) -> tuple[str, ...]:
    return tuple(sorted(search_keys(f"{first_name} {last_name}")))


def find_duplicates(session: Session, *, first_name: str, last_name: str,
                    email: str | None, phone: str | None,
                    exclude_id: int | None = None) -> tuple[DuplicateCandidate, ...]:
    wanted_phone = phone_key(phone)
    wanted_email = (email or "").strip().lower() or None
    keys = [key for key in (wanted_phone, compact(wanted_email) if wanted_email else None)
            if key]
    if not keys:
        return ()
    candidates = session.scalars(
        select(MemberSearchKey.member_id).where(MemberSearchKey.key.in_(keys)).distinct())
    ids = [member_id for member_id in candidates if member_id != exclude_id]
    if not ids:
        return ()
    names = names_key(first_name, last_name)
    found = []
    for member in session.execute(
        select(Member.id, Member.barcode, Member.first_name, Member.last_name, Member.email,
               Member.phone).where(Member.id.in_(ids)).order_by(Member.id)
    ):
        same_contact = (wanted_phone is not None and phone_key(member.phone) == wanted_phone) \
            or (wanted_email is not None and (member.email or "").lower() == wanted_email)
        if same_contact and names_key(member.first_name, member.last_name) == names:
            found.append(DuplicateCandidate(member.id, member.barcode, member.first_name,
                                            member.last_name))
    return tuple(found)

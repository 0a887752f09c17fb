"""The member search keys (mediatheque.models.MemberSearchKey) and sort names.

Name words go through the catalogue's own folding and transliteration
(mediatheque.catalogue.normalise), so that `Abai`, `Abay` and `Абай` find the same member
and `Élodie` is found as `elodie`. The card barcode, the phone digits (whole, and the last
10 and 9 digits so that `8 701…`, `+7 701…` and `701…` all match) and the e-mail's letters
and digits are keys too. Every key is letters and digits only.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from mediatheque.catalogue.normalise import MAX_KEY_LENGTH, fold, keys_of_words, words
from mediatheque.members.validation import phone_digits
from mediatheque.models import Member, MemberSearch, MemberSearchKey

BATCH = 2000
SORT_LENGTH = 400


def compact(text: str) -> str:
    """Letters and digits of a text, folded: 'Aigerim.K@Mail.kz' → 'aigerimkmailkz'."""
    return "".join(char for char in fold(text) if char.isalnum())[:MAX_KEY_LENGTH]


def member_keys(first_name: str, last_name: str, barcode: str, email: str | None,
                phone: str | None) -> set[str]:
    keys = set(keys_of_words(words(f"{first_name} {last_name}")))
    keys.add(compact(barcode))
    if email:
        keys.add(compact(email))
    if phone:
        digits = phone_digits(phone)
        keys.update({digits, digits[-10:], digits[-9:]})
    return {key[:MAX_KEY_LENGTH] for key in keys if key}


def sort_name(first_name: str, last_name: str) -> str:
    return " ".join(words(last_name) + words(first_name))[:SORT_LENGTH]


def index_members(session: Session, member_ids: Iterable[int]) -> None:
    """(Re)indexes these members from their rows; ids of deleted members are unindexed."""
    ids = sorted(set(member_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        session.execute(delete(MemberSearchKey).where(MemberSearchKey.member_id.in_(chunk)))
        session.execute(delete(MemberSearch).where(MemberSearch.member_id.in_(chunk)))
        _write(session, select(Member.id, Member.first_name, Member.last_name, Member.barcode,
                               Member.email, Member.phone).where(Member.id.in_(chunk)))


def rebuild_member_index(session: Session) -> int:
    """Indexes every member again (after the demo or a bulk load); returns how many."""
    session.execute(delete(MemberSearchKey))
    session.execute(delete(MemberSearch))
    return _write(session, select(Member.id, Member.first_name, Member.last_name,
                                  Member.barcode, Member.email, Member.phone))


def _write(session: Session, query: object) -> int:
    rows = session.execute(query).all()  # type: ignore[call-overload]
    sorts: list[dict[str, object]] = []
    keys: list[dict[str, object]] = []
    for member_id, first, last, barcode, email, phone in rows:
        name = sort_name(first, last)
        sorts.append({"member_id": member_id, "sort_name": name})
        keys.extend({"key": key, "member_id": member_id, "sort_name": name}
                    for key in member_keys(first, last, barcode, email, phone))
    for start in range(0, len(sorts), BATCH):
        session.execute(insert(MemberSearch), sorts[start:start + BATCH])
    for start in range(0, len(keys), BATCH * 4):
        session.execute(insert(MemberSearchKey), keys[start:start + BATCH * 4])
    return len(sorts)

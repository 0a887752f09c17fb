"""Which cards and labels to print, read from the database: the services the CLI and the UI
call. They only read (nothing to audit); the caller owns the session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediatheque.errors import NothingToPrint, UnknownBarcode
from mediatheque.i18n import LANGUAGES
from mediatheque.models import Copy, Member, MemberCategory
from mediatheque.models.vocabulary import MemberStatus
from mediatheque.permissions import Actor, Permission
from mediatheque.printing.cards import CardData
from mediatheque.printing.labels import LabelData
from mediatheque.settings import LibrarySettings, load_library_settings

MAX_BATCH = 20_000


@dataclass(frozen=True)
class CardSelection:
    """One of: the members given (ids or card barcodes, in that order), every active member,
    the active members registered since a date, or those of a category."""

    member_ids: tuple[int, ...] = ()
    barcodes: tuple[str, ...] = ()
    all_members: bool = False
    registered_since: date | None = None
    category_id: int | None = None


@dataclass(frozen=True)
class LabelSelection:
    """Copies given by barcode or id (in that order), or catalogued since a date."""

    barcodes: tuple[str, ...] = ()
    copy_ids: tuple[int, ...] = ()
    catalogued_since: date | None = None


def _start_of(day: date, settings: LibrarySettings) -> datetime:
    """Midnight of `day` in the library's time zone, as a UTC instant."""
    return datetime.combine(day, time(0), tzinfo=settings.zone).astimezone(UTC)


def card_data(session: Session, actor: Actor, selection: CardSelection) -> list[CardData]:
    """The cards to print, in a stable order; UnknownBarcode for a card barcode that is no
    member's, NothingToPrint for an empty selection."""
    actor.require(Permission.MEMBERS)
    settings = load_library_settings(session)
    query = select(Member, MemberCategory.name).join(
        MemberCategory, Member.category_id == MemberCategory.id)
    rows: list[tuple[Member, str]]
    if selection.member_ids or selection.barcodes:
        by_id = {row[0].id: (row[0], row[1]) for row in session.execute(
            query.where(Member.id.in_(selection.member_ids)))} if selection.member_ids else {}
        by_code = {row[0].barcode: (row[0], row[1]) for row in session.execute(
            query.where(Member.barcode.in_(selection.barcodes)))} if selection.barcodes else {}
        rows = []
        for member_id in selection.member_ids:
            if member_id in by_id:
                rows.append(by_id[member_id])
        for code in selection.barcodes:
            if code not in by_code:
                raise UnknownBarcode(code)
            rows.append(by_code[code])
    else:
        query = query.where(Member.status == MemberStatus.ACTIVE)
        if selection.registered_since is not None:
            query = query.where(Member.created_at >= _start_of(selection.registered_since,
                                                                settings))
        if selection.category_id is not None:
            query = query.where(Member.category_id == selection.category_id)
        if not (selection.all_members or selection.registered_since is not None
                or selection.category_id is not None):
            raise NothingToPrint("cards")
        query = query.order_by(Member.last_name, Member.first_name, Member.id).limit(MAX_BATCH)
        rows = [(row[0], row[1]) for row in session.execute(query)]
    if not rows:
        raise NothingToPrint("cards")
    return [_card(member, category, settings.language) for member, category in rows]


def _card(member: Member, category: str, library_language: str) -> CardData:
    language = member.preferred_language
    if language not in LANGUAGES:
        language = library_language
    name = " ".join(part for part in (member.first_name.strip(), member.last_name.strip())
                    if part)
    return CardData(barcode=member.barcode, name=name, category=category,
                    expiry=member.membership_expiry, language=language)


def label_data(session: Session, actor: Actor, selection: LabelSelection) -> list[LabelData]:
    """The labels to print; UnknownBarcode for a barcode that is no copy's, NothingToPrint
    for an empty selection."""
    actor.require(Permission.CATALOGUE)
    query = select(Copy.id, Copy.barcode, Copy.call_number)
    labels: list[LabelData] = []
    if selection.barcodes or selection.copy_ids:
        by_code = {row.barcode: row for row in session.execute(
            query.where(Copy.barcode.in_(selection.barcodes)))} if selection.barcodes else {}
        by_id = {row.id: row for row in session.execute(
            query.where(Copy.id.in_(selection.copy_ids)))} if selection.copy_ids else {}
        for code in selection.barcodes:
            if code not in by_code:
                raise UnknownBarcode(code)
            labels.append(LabelData(code, by_code[code].call_number or ""))
        for copy_id in selection.copy_ids:
            if copy_id in by_id:
                row = by_id[copy_id]
                labels.append(LabelData(row.barcode, row.call_number or ""))
    elif selection.catalogued_since is not None:
        since = _start_of(selection.catalogued_since, load_library_settings(session))
        rows = session.execute(query.where(Copy.created_at >= since)
                               .order_by(Copy.created_at, Copy.id).limit(MAX_BATCH))
        labels = [LabelData(row.barcode, row.call_number or "") for row in rows]
    if not labels:
        raise NothingToPrint("labels")
    return labels


def library_short_name(settings: LibrarySettings) -> str:
    return settings.short_name or settings.name or settings.code


def count_cards(session: Session, actor: Actor, selection: CardSelection) -> int:
    """How many cards a selection would print (0 when empty), for the dialogs."""
    try:
        return len(card_data(session, actor, selection))
    except NothingToPrint:
        return 0


def unique(values: Sequence[str]) -> tuple[str, ...]:
    """Barcodes in their first order, repeats dropped (a scan read twice)."""
    return tuple(dict.fromkeys(values))

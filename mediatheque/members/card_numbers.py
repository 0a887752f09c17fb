"""Member card barcodes: generated (DESIGN.md §4) or kept from a previous system, unique
among current cards, replaced (lost) cards and copies — one scan field serves the desk."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mediatheque.barcodes import BarcodeKind, allocate_barcodes
from mediatheque.catalogue.copies import clean_barcode
from mediatheque.errors import DuplicateBarcode
from mediatheque.models import Copy, Member, ReplacedCard
from mediatheque.settings import load_library_settings


def barcodes_taken(session: Session, codes: list[str]) -> set[str]:
    """Those of `codes` already on a card, a replaced card or a copy."""
    taken: set[str] = set()
    unique = sorted(set(codes))
    for start in range(0, len(unique), 500):
        chunk = unique[start:start + 500]
        for column in (Member.barcode, ReplacedCard.barcode, Copy.barcode):
            taken.update(session.scalars(select(column).where(column.in_(chunk))))
    return taken


def free_barcode(session: Session, text: str, *, member_id: int | None = None) -> str:
    """A typed or scanned card barcode, cleaned; DuplicateBarcode when another member, a
    replaced card or a copy carries it (`member_id`: the member it may already belong to)."""
    code = clean_barcode(text)
    owner = session.scalar(select(Member.id).where(Member.barcode == code))
    if owner is not None and owner == member_id:
        return code
    others = session.scalar(select(func.count()).select_from(ReplacedCard)
                            .where(ReplacedCard.barcode == code))
    if owner is not None or others or session.scalar(
            select(func.count()).select_from(Copy).where(Copy.barcode == code)):
        raise DuplicateBarcode(code)
    return code


def new_member_barcodes(session: Session, count: int) -> list[str]:
    """`count` generated card barcodes with the library's prefix, skipping any number
    already carried (by a card from an older system, say)."""
    prefix = load_library_settings(session).barcode_prefix
    barcodes: list[str] = []
    while len(barcodes) < count:
        fresh = allocate_barcodes(session, prefix, BarcodeKind.MEMBER, count - len(barcodes))
        taken = barcodes_taken(session, fresh)
        barcodes += [code for code in fresh if code not in taken]
    return barcodes

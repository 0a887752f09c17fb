"""What a scanned (or typed) code is: a member card, a copy, a replaced card, an ISBN."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mediatheque.catalogue.isbn import is_bookland_ean, looks_like_isbn, parse_isbn
from mediatheque.errors import InvalidIsbn
from mediatheque.models import Copy, Member, Record, ReplacedCard

MAX_CODE_LENGTH = 40


class ScanKind(StrEnum):
    MEMBER = "member"
    COPY = "copy"
    ISBN = "isbn"
    REPLACED_CARD = "replaced_card"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ScanTarget:
    kind: ScanKind
    code: str  # the code as normalised (stripped)
    member_id: int | None = None  # MEMBER, REPLACED_CARD (the member who now has a new card)
    copy_id: int | None = None  # COPY
    record_id: int | None = None  # COPY, ISBN (when the ISBN is held)
    isbn13: str | None = None  # ISBN


def normalise_code(code: str) -> str:
    return code.strip()


def classify_scan(session: Session, code: str) -> ScanTarget:
    """Classifies a code; never raises for unknown or garbage codes (kind UNKNOWN).

    Existing barcodes win over the ISBN shape: a copy barcode from a previous system that
    happens to look like an ISBN is still that copy."""
    clean = normalise_code(code)
    if not clean or len(clean) > MAX_CODE_LENGTH:
        return ScanTarget(ScanKind.UNKNOWN, clean[:MAX_CODE_LENGTH])
    member_id = session.scalar(select(Member.id).where(Member.barcode == clean))
    if member_id is not None:
        return ScanTarget(ScanKind.MEMBER, clean, member_id=member_id)
    copy = session.execute(
        select(Copy.id, Copy.record_id).where(Copy.barcode == clean)
    ).first()
    if copy is not None:
        return ScanTarget(ScanKind.COPY, clean, copy_id=copy.id, record_id=copy.record_id)
    replaced = session.scalar(select(ReplacedCard.member_id).where(ReplacedCard.barcode == clean))
    if replaced is not None:
        return ScanTarget(ScanKind.REPLACED_CARD, clean, member_id=replaced)
    if looks_like_isbn(clean) or is_bookland_ean(clean):
        try:
            isbn13 = parse_isbn(clean).isbn13
        except InvalidIsbn:
            return ScanTarget(ScanKind.UNKNOWN, clean)
        record_id = session.scalar(
            select(Record.id)
            .where(or_(Record.isbn13 == isbn13, Record.ean == isbn13))
            .order_by(Record.id)
            .limit(1)
        )
        return ScanTarget(ScanKind.ISBN, clean, record_id=record_id, isbn13=isbn13)
    return ScanTarget(ScanKind.UNKNOWN, clean)

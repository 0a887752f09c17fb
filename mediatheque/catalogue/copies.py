"""Copies (exemplaires): add, edit, delete, and the call number to suggest for them.

A copy has its own barcode, never the ISBN: generated (DESIGN.md §4, `allocate_barcodes`
with the library's prefix) or kept from a previous system. A barcode is unique among copies
and member cards alike, since one scan field serves the whole desk.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mediatheque.audit import changes, record_audit
from mediatheque.barcodes import BarcodeKind, allocate_barcodes
from mediatheque.catalogue.search import index_records
from mediatheque.errors import (
    DuplicateBarcode,
    InvalidValue,
    RecordHasLoans,
    UnknownBarcode,
    UnknownRecord,
)
from mediatheque.frozen import quick_init
from mediatheque.models import Contribution, Contributor, Copy, Loan, Location, Member, Record
from mediatheque.models.vocabulary import AcquisitionMode, CopyStatus, MediaType, words
from mediatheque.permissions import Actor, Permission
from mediatheque.settings import load_library_settings

MAX_COPIES_AT_ONCE = 500
MAX_BARCODE = 40
# Shelf marks of the media that are not shelved by Dewey class (FM21.md §3.1 item types).
MEDIA_SHELVES = {
    MediaType.COMIC: "BD",
    MediaType.DVD: "DVD",
    MediaType.MUSIC_CD: "CD",
    MediaType.AUDIOBOOK: "LA",
    MediaType.PERIODICAL: "PER",
    MediaType.KIT: "KIT",
    MediaType.GAME: "JEU",
    MediaType.DIGITAL: "NUM",
}
TITLE_ARTICLES = frozenset({
    "le", "la", "les", "l'", "un", "une", "des", "du", "the", "a", "an", "der", "die", "das",
    "el", "los", "las", "il", "lo", "gli",
})


@quick_init
@dataclass(frozen=True)
class CopyInput:
    """A copy as a person gives it. `barcode` None: a barcode is generated."""

    barcode: str | None = None
    call_number: str | None = None
    location_code: str | None = None
    status: str = CopyStatus.AVAILABLE
    acquired_on: date | None = None
    acquisition_mode: str = AcquisitionMode.PURCHASE
    price: Decimal | None = None
    public_note: str | None = None
    notes: str | None = None


def clean_barcode(text: str) -> str:
    """A barcode as typed or scanned, without surrounding blanks; InvalidValue if it cannot
    be one (empty, too long, blanks or control characters inside)."""
    code = text.strip()
    if not code or len(code) > MAX_BARCODE or any(
        c.isspace() or unicodedata.category(c).startswith("C") for c in code
    ):
        raise InvalidValue("barcode", text[:MAX_BARCODE])
    return code


def barcode_in_use(session: Session, code: str) -> bool:
    """True when a copy or a member card already carries this barcode."""
    return bool(
        session.scalar(select(func.count()).select_from(Copy).where(Copy.barcode == code))
        or session.scalar(select(func.count()).select_from(Member).where(Member.barcode == code))
    )


def add_copies(session: Session, actor: Actor, record_id: int, template: CopyInput,
               count: int = 1, *, now: datetime) -> list[str]:
    """Adds `count` copies like `template` to a record; returns their barcodes. A given
    barcode is only possible for one copy; otherwise barcodes are generated. Without a call
    number, the suggested one is used."""
    actor.require(Permission.CATALOGUE)
    record = session.get(Record, record_id)
    if record is None:
        raise UnknownRecord(record_id)
    if not 1 <= count <= MAX_COPIES_AT_ONCE or (template.barcode and count != 1):
        raise InvalidValue("copies", str(count))
    _check_values(session, template)
    if template.barcode:
        code = clean_barcode(template.barcode)
        if barcode_in_use(session, code):
            raise DuplicateBarcode(code)
        barcodes = [code]
    else:
        barcodes = generate_copy_barcodes(session, count)
    call_number = (template.call_number or "").strip() or record_call_number(session, record)
    for barcode in barcodes:
        session.add(Copy(
            record_id=record_id, barcode=barcode, call_number=call_number[:100] or None,
            location_code=template.location_code or None, status=template.status,
            acquired_on=template.acquired_on, acquisition_mode=template.acquisition_mode,
            price=template.price, public_note=(template.public_note or "").strip() or None,
            notes=(template.notes or "").strip() or None, created_at=now, updated_at=now,
        ))
    record.updated_at = now
    session.flush()
    index_records(session, [record_id])
    record_audit(session, actor, action="copies_add", entity="record", entity_id=record_id,
                 now=now, details={"barcodes": barcodes})
    return barcodes


def generate_copy_barcodes(session: Session, count: int) -> list[str]:
    """`count` new copy barcodes with the library's prefix, skipping any number a previous
    system's barcode happens to occupy already."""
    prefix = load_library_settings(session).barcode_prefix
    barcodes: list[str] = []
    while len(barcodes) < count:
        fresh = allocate_barcodes(session, prefix, BarcodeKind.COPY, count - len(barcodes))
        taken = set(session.scalars(select(Copy.barcode).where(Copy.barcode.in_(fresh))))
        taken |= set(session.scalars(select(Member.barcode).where(Member.barcode.in_(fresh))))
        barcodes += [code for code in fresh if code not in taken]
    return barcodes


def update_copy(session: Session, actor: Actor, barcode: str, data: CopyInput, *,
                now: datetime) -> str:
    """Replaces the copy's details with `data`; a new barcode in `data` renames it.
    Returns the copy's barcode (new or unchanged)."""
    actor.require(Permission.CATALOGUE)
    copy = _copy(session, barcode)
    _check_values(session, data)
    before = _copy_values(copy)
    if data.barcode and clean_barcode(data.barcode) != copy.barcode:
        new_code = clean_barcode(data.barcode)
        if barcode_in_use(session, new_code):
            raise DuplicateBarcode(new_code)
        copy.barcode = new_code
    copy.call_number = (data.call_number or "").strip()[:100] or None
    copy.location_code = data.location_code or None
    copy.status = data.status
    copy.acquired_on = data.acquired_on
    copy.acquisition_mode = data.acquisition_mode
    copy.price = data.price
    copy.public_note = (data.public_note or "").strip() or None
    copy.notes = (data.notes or "").strip() or None
    copy.updated_at = now
    copy.record.updated_at = now
    session.flush()
    index_records(session, [copy.record_id])
    record_audit(session, actor, action="copy_update", entity="copy", entity_id=copy.id,
                 now=now, details=changes(before, _copy_values(copy)))
    return copy.barcode


def delete_copy(session: Session, actor: Actor, barcode: str, *, now: datetime) -> None:
    """Deletes a copy; refused (RecordHasLoans) while it is on loan. Its loan history stays
    (the loans' copy link becomes empty)."""
    actor.require(Permission.DELETE)
    copy = _copy(session, barcode)
    record_id = copy.record_id
    on_loan = session.scalar(select(func.count()).select_from(Loan).where(
        Loan.copy_id == copy.id, Loan.returned_at.is_(None)))
    if on_loan:
        raise RecordHasLoans(record_id=record_id, on_loan=on_loan)
    copy.record.updated_at = now
    record_audit(session, actor, action="copy_delete", entity="copy", entity_id=copy.id,
                 now=now, details={"barcode": copy.barcode, "record_id": record_id})
    session.flush()
    session.execute(delete(Copy).where(Copy.id == copy.id))
    session.expunge(copy)
    index_records(session, [record_id])


def _copy(session: Session, barcode: str) -> Copy:
    copy = session.scalars(select(Copy).where(Copy.barcode == barcode.strip())).first()
    if copy is None:
        raise UnknownBarcode(barcode)
    return copy


def copy_input(session: Session, barcode: str) -> CopyInput:
    """A copy's current details, as the copy editor shows them (UnknownBarcode if none)."""
    copy = _copy(session, barcode)
    return CopyInput(
        barcode=copy.barcode, call_number=copy.call_number, location_code=copy.location_code,
        status=copy.status, acquired_on=copy.acquired_on,
        acquisition_mode=copy.acquisition_mode, price=copy.price,
        public_note=copy.public_note, notes=copy.notes,
    )


def _copy_values(copy: Copy) -> dict[str, object]:
    return {name: getattr(copy, name) for name in (
        "barcode", "call_number", "location_code", "status", "acquired_on",
        "acquisition_mode", "price", "public_note", "notes",
    )}


def _check_values(session: Session, data: CopyInput) -> None:
    if data.status not in words(CopyStatus):
        raise InvalidValue("status", data.status)
    if data.acquisition_mode not in words(AcquisitionMode):
        raise InvalidValue("acquisition_mode", data.acquisition_mode)
    if data.price is not None and (data.price < 0 or data.price >= Decimal("1e10")):
        raise InvalidValue("price", str(data.price))
    if data.location_code and session.get(Location, data.location_code) is None:
        raise InvalidValue("location", data.location_code)


def record_call_number(session: Session, record: Record) -> str:
    surname = session.scalar(
        select(Contributor.surname).join(Contribution)
        .where(Contribution.record_id == record.id).order_by(Contribution.position).limit(1)
    )
    return suggest_call_number(record.dewey, record.media_type, surname, record.title,
                               cefr_level=record.cefr_level)


def suggest_call_number(dewey: str | None, media_type: str, first_author_surname: str | None,
                        title: str, *, cefr_level: str | None = None) -> str:
    """The call number (cote) to print on the spine: a shelf mark — the Dewey class for
    books, BD, DVD, CD, FLE with its level… — then the first three letters of the first
    author's surname, or of the title without its article. Latin accents are removed;
    Cyrillic letters are kept (a call number is read by people): `843 HUG`, `BD HER`,
    `FLE A1 GIR`, `891.7 ТОЛ`."""
    letters = three_letters(first_author_surname or "") or title_letters(title)
    if media_type == MediaType.FLE_METHOD:
        shelf = f"FLE {cefr_level}" if cefr_level else "FLE"
    elif media_type in MEDIA_SHELVES:
        shelf = MEDIA_SHELVES[MediaType(media_type)]
    else:
        shelf = dewey_class(dewey)
    return " ".join(part for part in (shelf, letters) if part)


def dewey_class(dewey: str | None) -> str:
    """The Dewey number as shelved: digits and one point, at most three decimals
    ('843/.914' → '843.914', '  641.5 ' → '641.5')."""
    if not dewey:
        return ""
    kept = "".join(c for c in dewey if c.isascii() and (c.isdigit() or c == "."))
    whole, _, decimals = kept.partition(".")
    decimals = decimals.replace(".", "")[:3]
    if len(whole) != 3:
        return ""
    return f"{whole}.{decimals}" if decimals else whole


def three_letters(text: str) -> str:
    letters: list[str] = []
    for char in text:
        if not char.isalpha():
            continue
        base = unicodedata.normalize("NFKD", char)[:1]
        letters.append((base if base.isascii() else char).upper())
        if len(letters) == 3:
            break
    return "".join(letters)


def title_letters(title: str) -> str:
    words_ = title.replace("'", "' ").replace("’", "' ").split()
    while len(words_) > 1 and words_[0].lower() in TITLE_ARTICLES:
        words_ = words_[1:]
    return three_letters("".join(words_))

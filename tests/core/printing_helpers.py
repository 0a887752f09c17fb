"""Proof of scannability: render every PDF page as a scanner would see a print (203 and
300 dpi, greyscale) and decode every barcode with an independent reader (zxing-cpp)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pypdfium2 as pdfium
import zxingcpp
from sqlalchemy import select
from sqlalchemy.orm import Session

from mediatheque.models import Copy, Member, MemberCategory, Record

DPIS = (203, 300)


@dataclass(frozen=True)
class Decoded:
    page: int
    text: str
    x: float  # centre, in mm from the page's left edge
    y: float  # centre, in mm from the page's top edge


def decode_pdf(pdf: bytes, dpi: int) -> list[Decoded]:
    document = pdfium.PdfDocument(pdf)
    found = []
    try:
        for number, page in enumerate(document):
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128):
                corners = result.position
                xs = [corners.top_left.x, corners.top_right.x, corners.bottom_left.x,
                      corners.bottom_right.x]
                ys = [corners.top_left.y, corners.top_right.y, corners.bottom_left.y,
                      corners.bottom_right.y]
                found.append(Decoded(number, result.text, sum(xs) / 4 / dpi * 25.4,
                                     sum(ys) / 4 / dpi * 25.4))
    finally:
        document.close()
    return found


def decoded_texts(pdf: bytes, dpi: int) -> list[str]:
    return sorted(item.text for item in decode_pdf(pdf, dpi))


def page_texts(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def page_count(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def add_member(session: Session, barcode: str, *, first: str = "Айгерім",
               last: str = "Сәрсенова", category: str = "ADULT", language: str = "kk",
               created: datetime = datetime(2026, 11, 1, 10, tzinfo=UTC),
               status: str = "active") -> int:
    category_id = session.scalar(select(MemberCategory.id).where(MemberCategory.code == category))
    member = Member(barcode=barcode, first_name=first, last_name=last, category_id=category_id,
                    preferred_language=language, membership_start=date(2026, 1, 1),
                    membership_expiry=date(2027, 6, 30), status=status, created_at=created,
                    updated_at=created)
    session.add(member)
    session.flush()
    return member.id


def add_copies(session: Session, barcodes: list[str], *, call_number: str = "843 HUG m",
               created: datetime = datetime(2026, 11, 1, 10, tzinfo=UTC)) -> list[int]:
    record = Record(title="Les Misérables", created_at=created, updated_at=created)
    session.add(record)
    session.flush()
    copies = [Copy(record_id=record.id, barcode=code, call_number=call_number,
                   created_at=created, updated_at=created) for code in barcodes]
    session.add_all(copies)
    session.flush()
    return [copy.id for copy in copies]

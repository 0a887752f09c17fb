"""Reference catalogues: FM21 packages (or MARC files) of other libraries, kept apart from
the library's own records, consulted by the ISBN lookup for copy cataloguing (FM21.md §6)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mediatheque.models.base import Base, UTCDateTime


class ReferenceCatalogue(Base):
    __tablename__ = "reference_catalogue"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(500))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    generated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReferenceRecord(Base):
    """One record of a reference catalogue, as BookMetadata JSON (catalogue.lookup)."""

    __tablename__ = "reference_record"
    __table_args__ = (
        Index("ix_reference_record_isbn13", "isbn13"),
        Index("ix_reference_record_ean", "ean"),
        Index("ix_reference_record_catalogue", "catalogue_id", "control_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_id: Mapped[int] = mapped_column(
        ForeignKey("reference_catalogue.id", ondelete="CASCADE"))
    control_number: Mapped[str | None] = mapped_column(String(100))
    isbn13: Mapped[str | None] = mapped_column(String(13))
    ean: Mapped[str | None] = mapped_column(String(13))
    title: Mapped[str] = mapped_column(String(1000))
    payload: Mapped[str] = mapped_column(Text)

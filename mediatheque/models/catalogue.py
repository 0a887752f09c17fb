"""Records (notices), their contributors, subjects, keywords and languages, and copies."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediatheque.models.base import Base, UTCDateTime, in_list
from mediatheque.models.vocabulary import (
    AcquisitionMode,
    Audience,
    CefrLevel,
    ContributorRole,
    CopyStatus,
    MediaType,
    SubjectScheme,
    words,
)


class Record(Base):
    """One bibliographic record (notice): a title held by the library."""

    __tablename__ = "record"
    __table_args__ = (
        CheckConstraint(in_list("media_type", words(MediaType)), name="media_type"),
        CheckConstraint(in_list("audience", words(Audience)), name="audience"),
        CheckConstraint(
            "cefr_level IS NULL OR " + in_list("cefr_level", words(CefrLevel)), name="cefr_level"
        ),
        CheckConstraint("year IS NULL OR (year BETWEEN 0 AND 9999)", name="year"),
        Index("ix_record_isbn13", "isbn13"),
        Index("ix_record_ean", "ean"),
        Index("ix_record_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(1000))
    subtitle: Mapped[str | None] = mapped_column(String(1000))
    responsibility: Mapped[str | None] = mapped_column(String(1000))
    part_number: Mapped[str | None] = mapped_column(String(100))
    part_name: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(500))
    place: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(SmallInteger)
    edition: Mapped[str | None] = mapped_column(String(200))
    isbn13: Mapped[str | None] = mapped_column(String(13))
    ean: Mapped[str | None] = mapped_column(String(13))
    country: Mapped[str | None] = mapped_column(String(2))
    original_language: Mapped[str | None] = mapped_column(String(3))
    media_type: Mapped[str] = mapped_column(String(20), default=MediaType.BOOK)
    audience: Mapped[str] = mapped_column(String(20), default=Audience.UNKNOWN)
    cefr_level: Mapped[str | None] = mapped_column(String(2))
    dewey: Mapped[str | None] = mapped_column(String(40))
    series: Mapped[str | None] = mapped_column(String(500))
    series_number: Mapped[str | None] = mapped_column(String(50))
    extent: Mapped[str | None] = mapped_column(String(200))
    illustrations: Mapped[str | None] = mapped_column(String(200))
    dimensions: Mapped[str | None] = mapped_column(String(100))
    accompanying_material: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    metadata_source: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    languages: Mapped[list[RecordLanguage]] = relationship(
        back_populates="record",
        cascade="all, delete-orphan",
        order_by="RecordLanguage.position",
    )
    contributions: Mapped[list[Contribution]] = relationship(
        back_populates="record",
        cascade="all, delete-orphan",
        order_by="Contribution.position",
    )
    subjects: Mapped[list[Subject]] = relationship(secondary="record_subject")
    keywords: Mapped[list[Keyword]] = relationship(secondary="record_keyword")
    copies: Mapped[list[Copy]] = relationship(back_populates="record")
    cover: Mapped[RecordCover | None] = relationship(cascade="all, delete-orphan")


class RecordLanguage(Base):
    """Language of the text, ISO 639-2/B (`fre`, `rus`, `kaz`…); position 0 is the main one."""

    __tablename__ = "record_language"
    __table_args__ = (Index("ix_record_language_code", "code", "record_id"),)

    record_id: Mapped[int] = mapped_column(
        ForeignKey("record.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    code: Mapped[str] = mapped_column(String(3))

    record: Mapped[Record] = relationship(back_populates="languages")


class Contributor(Base):
    """A person or body named in records (authors, translators, illustrators…)."""

    __tablename__ = "contributor"
    __table_args__ = (Index("ix_contributor_surname", "surname"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    surname: Mapped[str] = mapped_column(String(300))
    forenames: Mapped[str | None] = mapped_column(String(300))
    dates: Mapped[str | None] = mapped_column(String(50))
    is_corporate: Mapped[bool] = mapped_column(default=False)


class Contribution(Base):
    """A contributor's part in one record, with a UNIMARC relator code."""

    __tablename__ = "contribution"
    __table_args__ = (
        CheckConstraint(in_list("role", words(ContributorRole)), name="role"),
        Index("ix_contribution_contributor_id", "contributor_id"),
    )

    record_id: Mapped[int] = mapped_column(
        ForeignKey("record.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    contributor_id: Mapped[int] = mapped_column(ForeignKey("contributor.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(3), default=ContributorRole.AUTHOR)

    record: Mapped[Record] = relationship(back_populates="contributions")
    contributor: Mapped[Contributor] = relationship()


class Subject(Base):
    __tablename__ = "subject"
    __table_args__ = (CheckConstraint(in_list("scheme", words(SubjectScheme)), name="scheme"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    heading: Mapped[str] = mapped_column(String(500), unique=True)
    scheme: Mapped[str] = mapped_column(String(20), default=SubjectScheme.LOCAL)


class RecordSubject(Base):
    __tablename__ = "record_subject"
    __table_args__ = (Index("ix_record_subject_subject_id", "subject_id"),)

    record_id: Mapped[int] = mapped_column(
        ForeignKey("record.id", ondelete="CASCADE"), primary_key=True
    )
    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subject.id", ondelete="RESTRICT"), primary_key=True
    )


class Keyword(Base):
    __tablename__ = "keyword"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(200), unique=True)


class RecordKeyword(Base):
    __tablename__ = "record_keyword"
    __table_args__ = (Index("ix_record_keyword_keyword_id", "keyword_id"),)

    record_id: Mapped[int] = mapped_column(
        ForeignKey("record.id", ondelete="CASCADE"), primary_key=True
    )
    keyword_id: Mapped[int] = mapped_column(
        ForeignKey("keyword.id", ondelete="RESTRICT"), primary_key=True
    )


class RecordCover(Base):
    """The cover image, kept apart so that record rows stay small."""

    __tablename__ = "record_cover"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("record.id", ondelete="CASCADE"), primary_key=True
    )
    mime_type: Mapped[str] = mapped_column(String(50))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    source: Mapped[str | None] = mapped_column(String(500))


class RecordTombstone(Base):
    """A deleted record, remembered so that delta exports (FM21.md §2) can announce it."""

    __tablename__ = "record_tombstone"
    __table_args__ = (Index("ix_record_tombstone_deleted_at", "deleted_at"),)

    record_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Location(Base):
    """A shelving location (FM21 manifest `codes.locations`)."""

    __tablename__ = "location"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))


class Copy(Base):
    """A physical copy (exemplaire) with its own barcode — never the ISBN."""

    __tablename__ = "copy"
    __table_args__ = (
        CheckConstraint(in_list("status", words(CopyStatus)), name="status"),
        CheckConstraint(
            in_list("acquisition_mode", words(AcquisitionMode)), name="acquisition_mode"
        ),
        CheckConstraint("price IS NULL OR price >= 0", name="price"),
        Index("ix_copy_record_id", "record_id"),
        Index("ix_copy_acquired_on", "acquired_on"),
        Index("ix_copy_created_at", "created_at"),
        # With the record: "has a copy there" (the location filter of the catalogue
        # search) answered from the index alone (migration 0008).
        Index("ix_copy_location_code_record_id", "location_code", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="RESTRICT"))
    barcode: Mapped[str] = mapped_column(String(40), unique=True)
    call_number: Mapped[str | None] = mapped_column(String(100))
    location_code: Mapped[str | None] = mapped_column(
        ForeignKey("location.code", ondelete="RESTRICT", onupdate="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(20), default=CopyStatus.AVAILABLE)
    acquired_on: Mapped[date | None] = mapped_column(Date)
    acquisition_mode: Mapped[str] = mapped_column(String(20), default=AcquisitionMode.PURCHASE)
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    public_note: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    record: Mapped[Record] = relationship(back_populates="copies")
    location: Mapped[Location | None] = relationship()

"""Members (lecteurs), their categories, and card barcodes they no longer carry."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediatheque.models.base import Base, UTCDateTime, in_list
from mediatheque.models.vocabulary import LANGUAGE_PREFERENCES, MemberStatus, words


class MemberCategory(Base):
    """AF student, adult, child, staff, partner…: drives membership length and loan rules."""

    __tablename__ = "member_category"
    __table_args__ = (CheckConstraint("membership_months > 0", name="membership_months"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    membership_months: Mapped[int] = mapped_column(SmallInteger, default=12)


class Member(Base):
    __tablename__ = "member"
    __table_args__ = (
        CheckConstraint(in_list("preferred_language", LANGUAGE_PREFERENCES), name="language"),
        CheckConstraint(in_list("status", words(MemberStatus)), name="status"),
        CheckConstraint("membership_expiry >= membership_start", name="membership_dates"),
        Index("ix_member_last_name", "last_name"),
        Index("ix_member_category_id", "category_id"),
        Index("ix_member_created_at", "created_at"),
        Index("ix_member_email", "email"),
        Index("ix_member_phone", "phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    barcode: Mapped[str] = mapped_column(String(40), unique=True)
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(String(500))
    preferred_language: Mapped[str] = mapped_column(String(2), default="fr")
    category_id: Mapped[int] = mapped_column(
        ForeignKey("member_category.id", ondelete="RESTRICT")
    )
    membership_start: Mapped[date] = mapped_column(Date)
    membership_expiry: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=MemberStatus.ACTIVE)
    history_opt_in: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    category: Mapped[MemberCategory] = relationship()


class ReplacedCard(Base):
    """A card barcode replaced after a loss: refused at the desk with a clear reason."""

    __tablename__ = "replaced_card"
    __table_args__ = (Index("ix_replaced_card_member_id", "member_id"),)

    barcode: Mapped[str] = mapped_column(String(40), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MemberSearch(Base):
    """What member lists sort on: the folded names, one narrow row per member, kept up
    to date by mediatheque.members.search_index."""

    __tablename__ = "member_search"
    __table_args__ = (Index("ix_member_search_sort_name", "sort_name", "member_id"),)

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    sort_name: Mapped[str] = mapped_column(String(400))


class MemberSearchKey(Base):
    """One search key of a member (a transliterated name word, the card barcode, the
    phone digits, the e-mail letters): searches are prefix ranges on `key`. Keys are
    letters and digits only, so the range is the same under any collation."""

    __tablename__ = "member_search_key"
    __table_args__ = (
        Index("ix_member_search_key_member_id", "member_id"),
        Index("ix_member_search_key_sorted", "key", "sort_name", "member_id"),
    )

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    # The member's sort name again: a page of matches is read from one index, in order.
    sort_name: Mapped[str] = mapped_column(String(400))

"""Overdue notices sent: one row per loan and notice level, so nobody gets the same notice
twice (a letter or an e-mail to a member covers all the loans listed in it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from mediatheque.models.base import Base, UTCDateTime, in_list

NOTICE_CHANNELS = ("letter", "email")


class NoticeSent(Base):
    __tablename__ = "notice_sent"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 3", name="level"),
        CheckConstraint(in_list("channel", NOTICE_CHANNELS), name="channel"),
        Index("uq_notice_sent_loan_level", "loan_id", "level", unique=True),
        Index("ix_notice_sent_member_id", "member_id"),
        Index("ix_notice_sent_sent_at", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    level: Mapped[int] = mapped_column(SmallInteger)
    channel: Mapped[str] = mapped_column(String(10))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))

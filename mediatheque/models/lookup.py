"""ISBN lookup: the cache of provider answers and the queue of records awaiting details."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mediatheque.models.base import Base, UTCDateTime, in_list
from mediatheque.models.vocabulary import LookupStatus, words


class LookupCacheEntry(Base):
    """What one provider answered for one ISBN (JSON), so it is asked only once."""

    __tablename__ = "lookup_cache"
    __table_args__ = (
        CheckConstraint(in_list("status", words(LookupStatus)), name="status"),
        Index("ix_lookup_cache_fetched_at", "fetched_at"),
    )

    isbn13: Mapped[str] = mapped_column(String(13), primary_key=True)
    provider: Mapped[str] = mapped_column(String(30), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    payload: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PendingLookup(Base):
    """A record saved without (all of) its details, waiting for the network."""

    __tablename__ = "pending_lookup"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts"),
        Index("ix_pending_lookup_queued_at", "queued_at"),
    )

    record_id: Mapped[int] = mapped_column(
        ForeignKey("record.id", ondelete="CASCADE"), primary_key=True
    )
    isbn13: Mapped[str] = mapped_column(String(13))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))

"""What the catalogue search filters and sorts on, one narrow row per record.

The words themselves are indexed by each engine its own way, outside the models (see
mediatheque.catalogue.search): an FTS5 table on SQLite, a tsvector table on PostgreSQL.
This table is the same on both and maintained with them: small rows and indexes, so that
browsing 200,000 records by title, author, year or date of cataloguing, filtered, is one
index scan.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from mediatheque.models.base import Base, UTCDateTime


class RecordSearch(Base):
    __tablename__ = "record_search"
    __table_args__ = (
        Index("ix_record_search_sort_title", "sort_title", "record_id"),
        Index("ix_record_search_sort_author", "sort_author", "record_id"),
        Index("ix_record_search_sort_year", "sort_year", "record_id"),
        Index("ix_record_search_created_at", "created_at", "record_id"),
        Index("ix_record_search_media_type", "media_type"),
        Index("ix_record_search_audience", "audience"),
        Index("ix_record_search_cefr_level", "cefr_level"),
    )

    record_id: Mapped[int] = mapped_column(
        ForeignKey("record.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    media_type: Mapped[str] = mapped_column(String(20))
    audience: Mapped[str] = mapped_column(String(20))
    cefr_level: Mapped[str | None] = mapped_column(String(2))
    # Folded, leading article dropped; '' when unknown (sorts first, on both engines).
    sort_title: Mapped[str] = mapped_column(String(200))
    sort_author: Mapped[str] = mapped_column(String(200))
    sort_year: Mapped[int] = mapped_column(SmallInteger)  # 0 when unknown
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Copies on the shelf now (status available, no open loan). Kept up to date by triggers
    # on `copy` and `loan` (migration 0002), so that circulation need not know about search.
    available: Mapped[int] = mapped_column(SmallInteger, default=0)

"""Library settings (key → JSON value) and named counters for generated barcodes."""

from __future__ import annotations

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mediatheque.models.base import Base


class Setting(Base):
    """One library setting, stored as JSON text; typed access is in mediatheque.settings."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Counter(Base):
    """The last number handed out in a sequence (member cards, copy barcodes…)."""

    __tablename__ = "counter"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)

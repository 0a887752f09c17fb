"""Loans, renewals, holds, loan rules and the library calendar."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mediatheque.models.base import Base, UTCDateTime, in_list
from mediatheque.models.vocabulary import ClosureKind, HoldStatus, MediaType, words


class Loan(Base):
    """One loan of one copy. Open while `returned_at` is null; at most one open per copy.

    The member, category, media type and language at the time of the loan are kept so
    that statistics survive anonymisation and the deletion of copies and members.
    """

    __tablename__ = "loan"
    __table_args__ = (
        CheckConstraint("returned_at IS NULL OR returned_at >= loaned_at", name="returned_after"),
        CheckConstraint("renewals >= 0", name="renewals"),
        CheckConstraint(in_list("media_type", words(MediaType)), name="media_type"),
        # The guard that makes two desks lending one copy at once impossible.
        Index(
            "uq_loan_open_copy",
            "copy_id",
            unique=True,
            sqlite_where=text("returned_at IS NULL"),
            postgresql_where=text("returned_at IS NULL"),
        ),
        Index(
            "ix_loan_open_member",
            "member_id",
            sqlite_where=text("returned_at IS NULL"),
            postgresql_where=text("returned_at IS NULL"),
        ),
        Index(
            "ix_loan_open_due",
            "due_on",
            sqlite_where=text("returned_at IS NULL"),
            postgresql_where=text("returned_at IS NULL"),
        ),
        Index("ix_loan_member_id", "member_id"),
        Index("ix_loan_member_returned", "member_id", "returned_at"),
        Index("ix_loan_copy_id", "copy_id"),
        Index("ix_loan_record_id", "record_id"),
        Index("ix_loan_loaned_at", "loaned_at"),
        Index("ix_loan_returned_at", "returned_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    copy_id: Mapped[int | None] = mapped_column(ForeignKey("copy.id", ondelete="SET NULL"))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("record.id", ondelete="SET NULL"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    member_category_id: Mapped[int | None] = mapped_column(
        ForeignKey("member_category.id", ondelete="SET NULL")
    )
    media_type: Mapped[str] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(3))
    loaned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_on: Mapped[date] = mapped_column(Date)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    renewals: Mapped[int] = mapped_column(SmallInteger, default=0)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))

    renewal_events: Mapped[list[Renewal]] = relationship(
        back_populates="loan", cascade="all, delete-orphan", order_by="Renewal.renewed_at"
    )


class Renewal(Base):
    """Each renewal of a loan, dated, for the monthly statistics."""

    __tablename__ = "renewal"
    __table_args__ = (
        Index("ix_renewal_loan_id", "loan_id"),
        Index("ix_renewal_renewed_at", "renewed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"))
    renewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    previous_due_on: Mapped[date] = mapped_column(Date)
    new_due_on: Mapped[date] = mapped_column(Date)

    loan: Mapped[Loan] = relationship(back_populates="renewal_events")


class Hold(Base):
    """A member's hold on a record, served in order of `placed_at`."""

    __tablename__ = "hold"
    __table_args__ = (
        CheckConstraint(in_list("status", words(HoldStatus)), name="status"),
        Index("ix_hold_record_status", "record_id", "status", "placed_at"),
        Index("ix_hold_member_status", "member_id", "status"),
        Index("ix_hold_copy_id", "copy_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("record.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=HoldStatus.WAITING)
    copy_id: Mapped[int | None] = mapped_column(ForeignKey("copy.id", ondelete="SET NULL"))
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pickup_by: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoanRule(Base):
    """Loan conditions for a member category × media type. A null side is a wildcard;
    the rule with both null is the default. The most specific rule wins."""

    __tablename__ = "loan_rule"
    __table_args__ = (
        CheckConstraint(
            "media_type IS NULL OR " + in_list("media_type", words(MediaType)), name="media_type"
        ),
        CheckConstraint("loan_days > 0", name="loan_days"),
        CheckConstraint("max_loans >= 0", name="max_loans"),
        CheckConstraint("max_renewals >= 0", name="max_renewals"),
        CheckConstraint("max_holds >= 0", name="max_holds"),
        # One rule per scope, wildcards included (NULLs are not equal in a plain UNIQUE).
        Index(
            "uq_loan_rule_scope",
            func.coalesce(text("member_category_id"), 0),
            func.coalesce(text("media_type"), "*"),
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_category_id: Mapped[int | None] = mapped_column(
        ForeignKey("member_category.id", ondelete="CASCADE")
    )
    media_type: Mapped[str | None] = mapped_column(String(20))
    loan_days: Mapped[int] = mapped_column(SmallInteger, default=21)
    max_loans: Mapped[int] = mapped_column(SmallInteger, default=5)
    max_renewals: Mapped[int] = mapped_column(SmallInteger, default=1)
    max_holds: Mapped[int] = mapped_column(SmallInteger, default=3)
    renew_when_overdue: Mapped[bool] = mapped_column(default=False)


class ClosedWeekday(Base):
    """A day of the week the library is closed (0 = Monday … 6 = Sunday)."""

    __tablename__ = "closed_weekday"
    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),)

    weekday: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)


class Closure(Base):
    """Dated closure: a public holiday, a planned closure, or an emergency."""

    __tablename__ = "closure"
    __table_args__ = (
        CheckConstraint("end_on >= start_on", name="dates"),
        CheckConstraint(in_list("kind", words(ClosureKind)), name="kind"),
        Index("ix_closure_start_on", "start_on", "end_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20), default=ClosureKind.CLOSURE)
    reason: Mapped[str | None] = mapped_column(String(300))


class BorrowerMonth(Base):
    """That a member borrowed at least once in a month (YYYY-MM in the library's time
    zone). The director's "active borrowers" come from here, so they survive the
    anonymisation of returned loans; no title, no date, no count is kept. When a member is
    deleted the row stays, without the member: they were active that month all the same."""

    __tablename__ = "borrower_month"
    __table_args__ = (
        UniqueConstraint("month", "member_id", name="uq_borrower_month_member"),
        CheckConstraint("length(month) = 7", name="month"),
        Index("ix_borrower_month_member_id", "member_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )
    member_category_id: Mapped[int | None] = mapped_column(
        ForeignKey("member_category.id", ondelete="SET NULL")
    )

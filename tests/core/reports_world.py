"""A small fixture builder for the report tests: rows written directly in the tables."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from mediatheque.circulation.activity import month_of, note_borrower
from mediatheque.models import Copy, Loan, Member, MemberCategory, Record, Renewal
from mediatheque.settings import LibrarySettings, save_library_settings

T0 = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass
class World:
    session: Session
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def library(self, **changes: str) -> None:
        values = {"name": "Médiathèque de l'Alliance Française d'Almaty", "code": "AF-ALA",
                  "city": "Almaty", "short_name": "AF Almaty"}
        values.update(changes)
        save_library_settings(self.session, LibrarySettings(**values))

    def category(self, code: str, name: str | None = None) -> int:
        category = MemberCategory(code=code, name=name or code.title(), membership_months=12)
        self.session.add(category)
        self.session.flush()
        return category.id

    def member(self, category_id: int, *, first: str = "Aruzhan", last: str = "Seitkali",
               email: str | None = None, lang: str = "fr", created: datetime = T0,
               address: str | None = None) -> int:
        n = next(self.counter)
        member = Member(
            barcode=f"1001{n:08d}", first_name=first, last_name=last, email=email,
            preferred_language=lang, category_id=category_id, address=address,
            membership_start=date(2020, 1, 1), membership_expiry=date(2030, 1, 1),
            created_at=created, updated_at=created,
        )
        self.session.add(member)
        self.session.flush()
        return member.id

    def record(self, title: str, *, media: str = "book", cefr: str | None = None,
               responsibility: str | None = None) -> int:
        record = Record(title=title, media_type=media, cefr_level=cefr,
                        responsibility=responsibility, created_at=T0, updated_at=T0)
        self.session.add(record)
        self.session.flush()
        return record.id

    def copy(self, record_id: int, *, created: datetime = T0, acquired: date | None = None,
             status: str = "available") -> int:
        n = next(self.counter)
        copy = Copy(record_id=record_id, barcode=f"1002{n:08d}", created_at=created,
                    updated_at=created, acquired_on=acquired, status=status)
        self.session.add(copy)
        self.session.flush()
        return copy.id

    def loan(self, copy_id: int, member_id: int | None, *, at: datetime, due: date,
             returned: datetime | None = None, media: str = "book",
             language: str | None = "fre", category_id: int | None = None) -> int:
        copy = self.session.get(Copy, copy_id)
        assert copy is not None
        if category_id is None and member_id is not None:
            member = self.session.get(Member, member_id)
            assert member is not None
            category_id = member.category_id
        loan = Loan(copy_id=copy_id, record_id=copy.record_id, member_id=member_id,
                    member_category_id=category_id, media_type=media, language=language,
                    loaned_at=at, due_on=due, returned_at=returned, renewals=0,
                    recorded_at=at)
        self.session.add(loan)
        self.session.flush()
        if member_id is not None:  # as check_out does: the month's active borrowers
            note_borrower(self.session, member_id, category_id,
                          month_of(at, ZoneInfo("Asia/Almaty")))
        return loan.id

    def renew(self, loan_id: int, *, at: datetime, new_due: date) -> None:
        loan = self.session.get(Loan, loan_id)
        assert loan is not None
        self.session.add(Renewal(loan_id=loan_id, renewed_at=at, previous_due_on=loan.due_on,
                                 new_due_on=new_due))
        loan.due_on = new_due
        loan.renewals += 1
        self.session.flush()

    def borrowed(self, member_id: int, title: str, *, due: date, media: str = "book",
                 at: datetime | None = None) -> int:
        """A record, a copy and an open loan due on `due`, in one call."""
        copy_id = self.copy(self.record(title, media=media))
        when = at or datetime.combine(due - timedelta(days=21), datetime.min.time(), UTC)
        return self.loan(copy_id, member_id, at=when, due=due, media=media)

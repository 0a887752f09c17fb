"""Is this book already in the catalogue? By ISBN/EAN, or by title + first author + year
compared without case, accents or punctuation ("Les Misérables", HUGO Victor, 1862 is the same
as "les miserables", Victor Hugo, 1862).

`find_duplicates` warns a person about both kinds. Automatic matching (spreadsheet import)
matches a row that has an ISBN or EAN by that number only — two editions of one title in
the same year with different ISBNs are different books — and a row without one by title,
first author and year.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from mediatheque.models import Contribution, Contributor, Record

ISBN, TITLE_AUTHOR_YEAR = "isbn", "title_author_year"


@dataclass(frozen=True)
class DuplicateCandidate:
    record_id: int
    title: str
    reason: str  # "isbn" or "title_author_year"


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str | None) -> str:
    """Lower case, no diacritics (é→e, й→и, ё→е), punctuation as blanks, blanks collapsed."""
    if not text:
        return ""
    folded = text.casefold()
    if not folded.isascii():
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    return _NOT_WORD.sub(" ", folded).strip()


def person_key(surname: str | None, forenames: str | None = None) -> str:
    """Name words in sorted order, so 'Hugo, Victor' and 'Victor Hugo' agree."""
    return " ".join(sorted(fold(f"{surname or ''} {forenames or ''}").split()))


def title_key(title: str, first_author_key: str, year: int | None) -> tuple[str, str, int | None]:
    return fold(title), first_author_key, year


def find_duplicates(
    session: Session,
    *,
    isbn13: str | None = None,
    ean: str | None = None,
    title: str | None = None,
    first_author: str | None = None,
    year: int | None = None,
    exclude_record_id: int | None = None,
) -> list[DuplicateCandidate]:
    """Records that look like the same book. `first_author` as people write it ("Victor
    Hugo" or "Hugo, Victor")."""
    found: dict[int, DuplicateCandidate] = {}
    for column, value in ((Record.isbn13, isbn13), (Record.ean, ean)):
        if value:
            for record_id, record_title in session.execute(
                select(Record.id, Record.title).where(column == value).order_by(Record.id)
            ):
                found.setdefault(record_id, DuplicateCandidate(record_id, record_title, ISBN))
    if title:
        wanted = title_key(title, person_key(first_author), year)
        year_clause = Record.year == year if year is not None else Record.year.is_(None)
        query = (
            select(Record.id, Record.title, Contributor.surname, Contributor.forenames)
            .outerjoin(Contribution, and_(Contribution.record_id == Record.id,
                                          Contribution.position == 0))
            .outerjoin(Contributor, Contributor.id == Contribution.contributor_id)
            .where(year_clause).order_by(Record.id)
        )
        for record_id, record_title, surname, forenames in session.execute(query):
            key = title_key(record_title, person_key(surname, forenames), year)
            if key == wanted:
                found.setdefault(
                    record_id, DuplicateCandidate(record_id, record_title, TITLE_AUTHOR_YEAR)
                )
    found.pop(exclude_record_id or 0, None)
    return list(found.values())


@dataclass
class DuplicateIndex:
    """The catalogue's identifiers and title keys in memory, for matching thousands of
    spreadsheet rows without one query each."""

    by_isbn: dict[str, int] = field(default_factory=dict)
    by_ean: dict[str, int] = field(default_factory=dict)
    by_title: dict[tuple[str, str, int | None], int] = field(default_factory=dict)

    def match(self, isbn13: str | None, ean: str | None,
              key: tuple[str, str, int | None] | None) -> int | None:
        if isbn13 or ean:
            found = self.by_isbn.get(isbn13) if isbn13 else None
            if found is None and ean:
                found = self.by_ean.get(ean)
            return found
        return self.by_title.get(key) if key is not None else None

    def add(self, record_id: int, isbn13: str | None, ean: str | None,
            key: tuple[str, str, int | None] | None) -> None:
        """`key` None: titles will not be asked for (every row to match has an ISBN)."""
        if isbn13:
            self.by_isbn.setdefault(isbn13, record_id)
        if ean:
            self.by_ean.setdefault(ean, record_id)
        if key is not None:
            self.by_title.setdefault(key, record_id)


def load_duplicate_index(session: Session, *, titles: bool = True) -> DuplicateIndex:
    """The catalogue's ISBNs and EANs, and with `titles` its title keys too (folding every
    title of a large catalogue takes a while: skipped when no row needs it)."""
    index = DuplicateIndex()
    if not titles:
        for record_id, isbn13, ean in session.execute(
            select(Record.id, Record.isbn13, Record.ean)
            .where((Record.isbn13.is_not(None)) | (Record.ean.is_not(None)))
            .order_by(Record.id)
        ):
            index.add(record_id, isbn13, ean, None)
        return index
    query = (
        select(Record.id, Record.isbn13, Record.ean, Record.title, Record.year,
               Contributor.surname, Contributor.forenames)
        .outerjoin(Contribution, and_(Contribution.record_id == Record.id,
                                      Contribution.position == 0))
        .outerjoin(Contributor, Contributor.id == Contribution.contributor_id)
        .order_by(Record.id)
    )
    for record_id, isbn13, ean, title, year, surname, forenames in session.execute(query):
        index.add(record_id, isbn13, ean, title_key(title, person_key(surname, forenames), year))
    return index

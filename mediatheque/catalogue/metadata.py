"""What a metadata source knows about a book, before it becomes a record.

Providers (BnF, Open Library, Google Books, the local and reference catalogues) each return a
`BookMetadata`; `merge` combines them field by field, the first source that knows a field
winning; the cataloguing services turn the result into a Record.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from mediatheque.frozen import quick_init
from mediatheque.models.vocabulary import ContributorRole


@quick_init
@dataclass(frozen=True)
class Person:
    """A contributor as a source names them: `surname` always, `forenames` when known."""

    surname: str
    forenames: str | None = None
    dates: str | None = None
    role: str = ContributorRole.AUTHOR
    is_corporate: bool = False

    def display(self) -> str:
        """'Surname, Forenames' as catalogues write it."""
        return f"{self.surname}, {self.forenames}" if self.forenames else self.surname


@quick_init
@dataclass(frozen=True)
class BookMetadata:
    """Every field optional; tuples, not lists, so values stay hashable and frozen.

    `languages` are ISO 639-2/B codes (`fre`, `rus`, `kaz`, `eng`); `year` a 4-digit year;
    `extent` as catalogues write it (`186 p.`); `cover_url` where the cover can be fetched;
    `sources` names the providers that contributed (`bnf`, `openlibrary`, `google`, …).
    """

    isbn13: str | None = None
    ean: str | None = None
    title: str | None = None
    subtitle: str | None = None
    responsibility: str | None = None
    contributors: tuple[Person, ...] = ()
    publisher: str | None = None
    place: str | None = None
    year: int | None = None
    edition: str | None = None
    extent: str | None = None
    languages: tuple[str, ...] = ()
    country: str | None = None
    series: str | None = None
    series_number: str | None = None
    subjects: tuple[str, ...] = ()
    dewey: str | None = None
    summary: str | None = None
    cover_url: str | None = None
    media_type: str | None = None
    sources: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return not self.title

    def missing_fields(self) -> list[str]:
        return [f.name for f in fields(self) if f.name != "sources" and not getattr(self, f.name)]


def merge(*results: BookMetadata) -> BookMetadata:
    """Field by field, the first result that has a value wins; sources are all kept."""
    merged = BookMetadata()
    for result in results:
        updates = {
            f.name: getattr(result, f.name)
            for f in fields(BookMetadata)
            if f.name != "sources" and not getattr(merged, f.name) and getattr(result, f.name)
        }
        if updates or result.sources:
            sources = merged.sources + tuple(s for s in result.sources if s not in merged.sources)
            merged = replace(merged, **updates, sources=sources)
    return merged

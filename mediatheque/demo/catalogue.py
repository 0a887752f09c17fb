"""Demo catalogue rows: contributors, subjects, keywords and records.

Rows are plain dicts for Core bulk inserts, with primary keys assigned here. What the copies
and the loans need to know about each record is kept in `RecordFacts` (parallel lists, so
that 200,000 records stay cheap).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from mediatheque.demo import pools, text
from mediatheque.demo.proportions import (
    AUTHOR_LANGUAGE,
    BOOK_AUDIENCE,
    BRANDED_METHODS,
    CEFR,
    CHILDREN_MAGAZINES,
    CORPORATE,
    EDITION,
    FICTION_DEWEY,
    FICTION_SUBJECTS,
    ILLUSTRATED,
    LANGUAGE_SHARES,
    LITERATURE_SUBJECT,
    MEDIA_LANGUAGES,
    MEDIA_POPULARITY,
    MEDIA_SHARES,
    ORIGINS,
    PAGES,
    POETRY_DEWEY,
    RECORD_COLUMNS,
    SOURCE_LANGUAGE,
    YOUTH,
    Picker,
)
from mediatheque.demo.timeline import Timeline
from mediatheque.models.vocabulary import Audience, ContributorRole, MediaType, SubjectScheme

Row = dict[str, Any]


@dataclass
class Contributors:
    rows: list[Row] = field(default_factory=list)
    names: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    famous: dict[str, int] = field(default_factory=dict)
    corporate: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, Picker] = field(default_factory=dict)  # generated people only

    def display(self, contributor_id: int) -> str:
        surname, forenames = self.names[contributor_id]
        return f"{forenames} {surname}" if forenames else surname


def make_contributors(rng: random.Random, count: int, first_id: int) -> Contributors:
    """The famous authors (who only sign their own works) plus `count` generated people,
    each with a productivity weight."""
    pool = Contributors()
    weighted: dict[str, list[tuple[int, float]]] = {language: [] for language in ORIGINS}
    seen: set[tuple[str, str | None]] = set()

    def add(surname: str, forenames: str | None, dates: str | None, corporate: bool) -> int:
        contributor_id = first_id + len(pool.rows)
        pool.rows.append({"id": contributor_id, "surname": surname, "forenames": forenames,
                          "dates": dates, "is_corporate": corporate})
        pool.names[contributor_id] = (surname, forenames)
        seen.add((surname, forenames))
        return contributor_id

    for key, _language, surname, forenames, dates in pools.FAMOUS_AUTHORS:
        pool.famous[key] = add(surname, forenames, dates, False)
    for name, language in CORPORATE:
        pool.corporate[language] = add(name, None, None, True)
    language_of = Picker(LANGUAGE_SHARES)
    for _ in range(count):
        language = language_of(rng)
        for _attempt in range(5):
            surname, forenames = text.person(rng, language)
            if (surname, forenames) not in seen:
                break
        born = rng.randint(1935, 1998)
        died = born + rng.randint(40, 85)
        dates = rng.choice((None, None, f"{born}-", f"{born}-{died}" if died < 2024 else None))
        weighted[language].append((add(surname, forenames, dates, False), rng.paretovariate(1.3)))
    pool.by_language = {language: Picker(entries) for language, entries in weighted.items()}
    return pool


def vocabulary_rows(
    words: list[str], existing: dict[str, int], first_id: int, column: str
) -> tuple[list[Row], dict[str, int]]:
    """Rows for the words not yet in the table, and the id of every word."""
    ids = dict(existing)
    rows: list[Row] = []
    for word in words:
        if word not in ids:
            ids[word] = first_id + len(rows)
            row: Row = {"id": ids[word], column: word}
            if column == "heading":
                row["scheme"] = SubjectScheme.RAMEAU if " -- " in word else SubjectScheme.LOCAL
            rows.append(row)
    return rows, ids


@dataclass
class RecordFacts:
    """What copies and loans need to know of each record (index = record id - first id)."""

    media: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    call_number: list[str] = field(default_factory=list)
    location: list[str] = field(default_factory=list)
    popularity: list[float] = field(default_factory=list)
    catalogued: list[date] = field(default_factory=list)


@dataclass
class Draft:
    """A record being made: its row and what the shapers decided."""

    row: Row
    media: str
    language: str
    origin: str
    year: int
    title: str = ""
    audience: str = Audience.ADULTS
    shelf: str = "R"
    people: list[tuple[int, str]] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)


def translated(language: str, origin: str, name: str) -> str:
    source = SOURCE_LANGUAGE[language][origin]
    return {"fre": f"traduit {source} par {name}", "rus": f"перевод {source}: {name}",
            "kaz": f"{source} аударған {name}", "eng": f"translated {source} by {name}"}[language]


class CatalogueMaker:
    def __init__(self, rng: random.Random, timeline: Timeline, contributors: Contributors,
                 subjects: dict[str, int], keywords: dict[str, int]) -> None:
        self.rng = rng
        self.timeline = timeline
        self.today = timeline.today
        self.contributors = contributors
        self.subjects = subjects
        self.keyword_ids = {lang: [i for w, i in keywords.items() if _script(w) == lang]
                            for lang in ORIGINS}
        self.facts = RecordFacts()
        self.media_of = Picker(MEDIA_SHARES)
        self.language_of = {media: Picker(shares) for media, shares in MEDIA_LANGUAGES.items()}
        self.origin_of = {language: Picker(shares) for language, shares in ORIGINS.items()}
        self.cefr_of = Picker(CEFR)
        self.publishers: dict[tuple[str, str], list[tuple[str, ...]]] = {}
        for entry in pools.PUBLISHERS:
            self.publishers.setdefault((entry[0], entry[1]), []).append(entry)
        self.works = {lang: [(k, t[lang]) for k, t in pools.FAMOUS_WORKS if lang in t]
                      for lang in ORIGINS}
        self.shapers = {
            MediaType.BOOK: self._text_work, MediaType.AUDIOBOOK: self._text_work,
            MediaType.COMIC: self._comic, MediaType.FLE_METHOD: self._fle,
            MediaType.DVD: self._recording, MediaType.MUSIC_CD: self._recording,
            MediaType.PERIODICAL: self._periodical, MediaType.KIT: self._object,
            MediaType.GAME: self._object,
        }
        self.next_number: dict[str, int] = {}
        self.used: dict[str, int] = {}
        self.issued: set[str] = set()

    # -- identifiers --

    def _number(self, prefix: str) -> str | None:
        """The next unused ISBN/EAN of a publisher: from its registrant block, then from
        further blocks (as publishers are given new ones) once a block is full."""
        for attempt in range(10):
            block = prefix[:-1] + str((int(prefix[-1]) + attempt) % 10)
            room = 10 ** (12 - len(block))
            if self.used.get(block, 0) >= room:
                continue
            number = self.next_number.get(block)
            if number is None:
                number = self.rng.randrange(room)
            for _ in range(room):
                code = text.ean13(block, number % room)
                number += 1
                if code not in self.issued:
                    self.issued.add(code)
                    self.next_number[block] = number
                    self.used[block] = self.used.get(block, 0) + 1
                    return code
            self.used[block] = room
        return None

    def _publisher(self, language: str, kind: str) -> tuple[str, ...]:
        choices = (self.publishers.get((language, kind)) or self.publishers.get((language, "book"))
                   or self.publishers[("fre", kind)])
        return self.rng.choice(choices)

    # -- records --

    def records(self, first_id: int, count: int) -> dict[str, list[Row]]:
        out: dict[str, list[Row]] = {name: [] for name in (
            "record", "record_language", "contribution", "record_subject", "record_keyword")}
        for record_id in range(first_id, first_id + count):
            self._record(record_id, out)
        return out

    def _record(self, record_id: int, out: dict[str, list[Row]]) -> None:
        rng, today = self.rng, self.today
        media = self.media_of(rng)
        language = self.language_of[media](rng) if media in self.language_of else "fre"
        # Publication dates: most recent, a long tail back to 1950 (mean age 12 years).
        published = today - timedelta(days=int(rng.expovariate(1 / (12 * 365.25))))
        draft = Draft(row=dict.fromkeys(RECORD_COLUMNS), media=media, language=language,
                      origin=language, year=max(1950, published.year))
        draft.row.update(id=record_id, media_type=media, metadata_source="demo")
        self.shapers[media](draft)
        draft.year = min(draft.year, today.year)
        if media != MediaType.PERIODICAL:
            self._imprint(draft)
        self._physical(draft)
        self._credits(draft)
        row = draft.row
        row.update(title=draft.title, audience=draft.audience, year=draft.year)
        row["responsibility"] = self._responsibility(draft) or None
        self._links(record_id, draft, out)
        earliest = max(date(draft.year, 1, 1), today - timedelta(days=25 * 365))
        catalogued = earliest + timedelta(days=rng.randrange(max(1, (today - earliest).days + 1)))
        row["created_at"] = row["updated_at"] = self.timeline.past_instant(rng, catalogued)
        out["record"].append(row)
        surname = self.contributors.names[draft.people[0][0]][0] if draft.people else None
        facts = self.facts
        facts.media.append(media)
        facts.language.append(draft.language)
        facts.call_number.append(text.call_number(draft.shelf, surname, draft.title))
        facts.location.append(
            "FLE" if media in (MediaType.FLE_METHOD, MediaType.KIT)
            else "MED" if media in (MediaType.DVD, MediaType.MUSIC_CD, MediaType.AUDIOBOOK,
                                    MediaType.GAME)
            else "JEU" if draft.audience in YOUTH else "ADU"
        )
        recent = 1.4 if today.year - draft.year <= 3 else 1.0
        facts.popularity.append(
            rng.lognormvariate(0, 1.0) * recent * MEDIA_POPULARITY.get(media, 1.0)
        )
        facts.catalogued.append(catalogued)

    def _author(self, language: str) -> int:
        return cast(int, self.contributors.by_language[language](self.rng))

    def _text_work(self, draft: Draft) -> None:
        """Books and audiobooks: fiction (sometimes a famous work) or non-fiction."""
        rng, language, row = self.rng, draft.language, draft.row
        if rng.random() < 0.82:
            works = self.works[language]
            if works and rng.random() < 0.05:
                key, draft.title = rng.choice(works)
                author = self.contributors.famous[key]
                draft.origin = AUTHOR_LANGUAGE[key]
            else:
                draft.origin = self.origin_of[language](rng)
                draft.title = text.fiction_title(rng, language)
                author = self._author(draft.origin)
                if rng.random() < 0.3:
                    row["subtitle"] = text.genre(rng, language)
            draft.people.append((author, ContributorRole.AUTHOR))
            row["dewey"] = (POETRY_DEWEY if rng.random() < 0.12 else FICTION_DEWEY)[draft.origin]
            draft.subjects.append(LITERATURE_SUBJECT[draft.origin])
            if rng.random() < 0.3:
                draft.subjects.append(rng.choice(FICTION_SUBJECTS))
            draft.audience = BOOK_AUDIENCE(rng)
        else:
            topic = rng.choice(pools.TOPICS)
            subject = topic[2 + list(ORIGINS).index(language)]
            if rng.random() < 0.3:
                draft.title = subject
                if rng.random() < 0.5:
                    row["subtitle"] = rng.choice(pools.TOPIC_ASPECTS[language])
            else:  # a striking title, the subject as subtitle: "Ұлы дала: Қазақстан тарихы"
                draft.title, row["subtitle"] = text.fiction_title(rng, language), subject
            row["dewey"] = topic[0]
            draft.subjects.append(topic[1])
            corporate = self.contributors.corporate.get(language) if rng.random() < 0.05 else None
            draft.people.append((corporate or self._author(language), ContributorRole.AUTHOR))
        draft.shelf = "LA" if draft.media == MediaType.AUDIOBOOK else row["dewey"]

    def _comic(self, draft: Draft) -> None:
        rng, famous = self.rng, self.contributors.famous
        draft.origin = "fre"
        draft.title = text.fiction_title(rng, draft.language)
        series, *creators = rng.choice(pools.COMIC_SERIES).split(":")
        draft.row.update(series=series, dewey="741.5", series_number=str(rng.randint(1, 40)),
                         illustrations="ill. en coul.")
        writer = famous[creators[0]] if creators else self._author("fre")
        artist = famous[creators[1]] if creators else self._author("fre")
        draft.people.append((writer, ContributorRole.AUTHOR))
        if artist != writer:
            draft.people.append((artist, ContributorRole.ILLUSTRATOR))
        draft.subjects.append("Bandes dessinées")
        draft.audience = rng.choice((Audience.AGES_9_14, Audience.TEENAGERS, Audience.ADULTS))
        draft.shelf, draft.year = "BD", max(draft.year, 1960)

    def _fle(self, draft: Draft) -> None:
        rng, row = self.rng, draft.row
        level = self.cefr_of(rng)
        index = rng.randrange(len(pools.FLE_METHODS))
        method = pools.FLE_METHODS[index]
        # Course books carry their level in the title (Édito B1), the others a subtitle.
        draft.title = f"{method} {level}" if index < BRANDED_METHODS else method
        row["subtitle"] = None if index < BRANDED_METHODS else f"niveau {level}"
        row.update(cefr_level=level, part_name=rng.choice(pools.FLE_PARTS), dewey="448.24")
        if rng.random() < 0.4:
            row["accompanying_material"] = "1 CD audio"
        draft.people.append((self._author("fre"), ContributorRole.AUTHOR))
        draft.subjects.append("Français (langue) -- Manuels pour allophones")
        draft.audience = rng.choice((Audience.ADULTS, Audience.ADULTS, Audience.TEENAGERS))
        draft.shelf = f"FLE {level}"
        draft.year = max(draft.year, self.today.year - rng.randint(0, 15))

    def _recording(self, draft: Draft) -> None:
        rng, row, dvd = self.rng, draft.row, draft.media == MediaType.DVD
        draft.title = text.fiction_title(rng, draft.language)
        draft.people.append((self._author(draft.language), ContributorRole.AUTHOR))
        minutes = rng.randint(80, 150) if dvd else rng.randint(35, 75)
        row["extent"] = f"1 DVD vidéo ({minutes} min)" if dvd else f"1 CD audio ({minutes} min)"
        row["dewey"] = "791.43" if dvd else "781.63"
        draft.subjects.append("Cinéma français" if dvd else "Chanson française"
                              if draft.language == "fre" else "Musique kazakhe")
        draft.shelf, draft.year = ("DVD" if dvd else "CD"), max(draft.year, 1990)

    def _periodical(self, draft: Draft) -> None:
        rng = self.rng
        language, draft.title, publisher, place = rng.choice(pools.PERIODICALS)
        draft.language = draft.origin = language
        draft.year = self.today.year - rng.randint(0, 3)
        mark = "n°" if language == "fre" else "№"
        draft.row.update(part_number=f"{mark} {rng.randint(1, 480)}", publisher=publisher,
                         place=place, dewey="050")
        young = draft.title in CHILDREN_MAGAZINES
        draft.audience = Audience.AGES_9_14 if young else Audience.ADULTS
        draft.shelf = "PER"

    def _object(self, draft: Draft) -> None:
        kit = draft.media == MediaType.KIT
        draft.title = self.rng.choice(pools.KITS if kit else pools.GAMES)
        draft.row["dewey"] = "448.24" if kit else "794"
        draft.audience = Audience.TEENAGERS if kit else Audience.UNKNOWN
        draft.shelf, draft.year = ("KIT" if kit else "JEU"), max(draft.year, 2005)
        if not kit:
            draft.subjects.append("Jeux de société")

    def _imprint(self, draft: Draft) -> None:
        """Publisher, place, country and ISBN (books since 1972) or EAN (recordings, games)."""
        kind = "fle" if draft.media == MediaType.FLE_METHOD else draft.media
        _, _, publisher, place, country, prefix = self._publisher(draft.language, kind)
        draft.row.update(publisher=publisher, place=place, country=country)
        if draft.media == MediaType.KIT:
            return
        if not prefix.startswith(("978", "979")):
            draft.row["ean"] = self._number(prefix)
        elif draft.year >= 1972:
            draft.row["isbn13"] = self._number(prefix)

    def _physical(self, draft: Draft) -> None:
        rng, media = self.rng, draft.media
        if media not in (MediaType.BOOK, MediaType.COMIC, MediaType.FLE_METHOD):
            return
        short = media == MediaType.COMIC or draft.audience in (Audience.CHILDREN,
                                                               Audience.AGES_5_10)
        pages = rng.randint(24, 64) if short else rng.randint(64, 900)
        draft.row["extent"] = f"{pages} {PAGES[draft.language]}"
        height = 30 if media == MediaType.COMIC else rng.randint(17, 24)
        draft.row["dimensions"] = f"{height} cm"
        if rng.random() < 0.08:
            draft.row["edition"] = EDITION[draft.language]

    def _credits(self, draft: Draft) -> None:
        """Translator of a translated work, illustrators, a co-author, a preface."""
        rng, language, people = self.rng, draft.language, draft.people
        if draft.origin != language:
            draft.row["original_language"] = draft.origin
            people.append((self._author(language), ContributorRole.TRANSLATOR))
        if draft.media != MediaType.BOOK:
            return
        if draft.audience in YOUTH and rng.random() < 0.6:
            people.append((self._author(language), ContributorRole.ILLUSTRATOR))
        if rng.random() < 0.04:
            people.insert(1, (self._author(language), ContributorRole.AUTHOR))
        if rng.random() < 0.02:
            people.append((self._author(language), ContributorRole.PREFACE))

    def _responsibility(self, draft: Draft) -> str:
        display = self.contributors.display
        authors = [display(p) for p, role in draft.people if role == ContributorRole.AUTHOR]
        parts = [", ".join(authors)] if authors else []
        for person_id, role in draft.people:
            if role == ContributorRole.TRANSLATOR:
                parts.append(translated(draft.language, draft.origin, display(person_id)))
            elif role == ContributorRole.ILLUSTRATOR:
                parts.append(f"{ILLUSTRATED[draft.language]} {display(person_id)}")
        return " ; ".join(parts)

    def _links(self, record_id: int, draft: Draft, out: dict[str, list[Row]]) -> None:
        rng = self.rng
        out["record_language"].append(
            {"record_id": record_id, "position": 0, "code": draft.language}
        )
        if rng.random() < 0.04:
            second = "rus" if draft.language != "rus" else rng.choice(("kaz", "fre"))
            out["record_language"].append({"record_id": record_id, "position": 1, "code": second})
        for position, (person_id, role) in enumerate(draft.people):
            out["contribution"].append({"record_id": record_id, "position": position,
                                        "contributor_id": person_id, "role": role})
        if rng.random() >= 0.35:  # not every record has been indexed
            for heading in dict.fromkeys(draft.subjects):
                out["record_subject"].append({"record_id": record_id,
                                              "subject_id": self.subjects[heading]})
        candidates = self.keyword_ids[draft.origin] or self.keyword_ids["fre"]
        count = min(len(candidates), rng.choice((0, 0, 1, 2, 3)))
        for keyword_id in rng.sample(candidates, k=count):
            out["record_keyword"].append({"record_id": record_id, "keyword_id": keyword_id})


def _script(word: str) -> str:
    if any(char in text.KAZAKH_SPECIFIC for char in word):
        return "kaz"
    if word.isascii():
        return "fre"
    return "rus" if any("а" <= char <= "я" for char in word) else "eng"


def subject_headings() -> list[str]:
    headings = list(pools.SUBJECTS) + [topic[1] for topic in pools.TOPICS]
    headings += list(LITERATURE_SUBJECT.values())
    return list(dict.fromkeys(headings))

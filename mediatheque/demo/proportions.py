"""Proportions of the demo library: media, languages, audiences, statuses, prices…

`Picker` draws among weighted options quickly (cumulative weights built once).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from itertools import accumulate
from typing import Any

from mediatheque.demo import pools
from mediatheque.models.vocabulary import (
    AcquisitionMode,
    Audience,
    CopyStatus,
    MediaType,
)


class Picker:
    """Weighted choice among fixed options, fast (cumulative weights built once)."""

    def __init__(self, weights: Mapping[Any, float] | list[tuple[Any, float]]) -> None:
        items = list(weights.items()) if isinstance(weights, Mapping) else weights
        self.options = [option for option, _ in items]
        self.cumulative = list(accumulate(weight for _, weight in items))

    def __call__(self, rng: random.Random) -> Any:
        return rng.choices(self.options, cum_weights=self.cumulative)[0]


LANGUAGE_SHARES = {"fre": 38, "rus": 30, "kaz": 24, "eng": 8}
MEDIA_SHARES: dict[str, float] = {
    MediaType.BOOK: 73, MediaType.COMIC: 11, MediaType.FLE_METHOD: 2, MediaType.DVD: 5.5,
    MediaType.MUSIC_CD: 3.5, MediaType.AUDIOBOOK: 2.3, MediaType.PERIODICAL: 2.5,
    MediaType.KIT: 0.07, MediaType.GAME: 0.13,
}
MEDIA_LANGUAGES: dict[str, dict[str, float]] = {
    MediaType.BOOK: {"fre": 48, "rus": 30, "kaz": 16, "eng": 6},
    MediaType.COMIC: {"fre": 88, "rus": 12},
    MediaType.DVD: {"fre": 60, "rus": 25, "kaz": 15},
    MediaType.MUSIC_CD: {"fre": 50, "rus": 25, "kaz": 25},
    MediaType.AUDIOBOOK: {"fre": 70, "rus": 30},
}
ORIGINS = {  # language of the original work, by language of the edition
    "fre": {"fre": 78, "rus": 10, "kaz": 6, "eng": 6},
    "rus": {"rus": 75, "fre": 12, "kaz": 8, "eng": 5},
    "kaz": {"kaz": 80, "rus": 12, "fre": 8},
    "eng": {"eng": 85, "fre": 10, "rus": 5},
}
FICTION_DEWEY = {"fre": "843", "rus": "891.73", "kaz": "894.345", "eng": "823"}
POETRY_DEWEY = {"fre": "841", "rus": "891.71", "kaz": "894.345", "eng": "821"}
LITERATURE_SUBJECT = {"fre": "Littérature française -- 20e siècle", "rus": "Littérature russe",
                      "kaz": "Littérature kazakhe", "eng": "Romans"}
PAGES = {"fre": "p.", "rus": "с.", "kaz": "б.", "eng": "p."}
EDITION = {"fre": "2e éd.", "rus": "2-е изд.", "kaz": "2-басылым", "eng": "2nd ed."}
SOURCE_LANGUAGE = {  # "translated from …" in the language of the edition
    "fre": {"rus": "du russe", "kaz": "du kazakh", "eng": "de l'anglais"},
    "rus": {"fre": "с французского", "kaz": "с казахского", "eng": "с английского"},
    "kaz": {"fre": "француз тілінен", "rus": "орыс тілінен", "eng": "ағылшын тілінен"},
    "eng": {"fre": "from the French", "rus": "from the Russian", "kaz": "from the Kazakh"},
}
ILLUSTRATED = {"fre": "illustrations de", "rus": "иллюстрации:", "kaz": "суретін салған",
               "eng": "illustrated by"}
CEFR = {"A1": 25, "A2": 25, "B1": 22, "B2": 15, "C1": 9, "C2": 4}
YOUTH = {Audience.CHILDREN, Audience.AGES_5_10, Audience.AGES_9_14, Audience.TEENAGERS}
PRICES: dict[str, tuple[int, int]] = {  # KZT
    MediaType.BOOK: (1500, 12000), MediaType.COMIC: (5000, 9000),
    MediaType.FLE_METHOD: (9000, 18000), MediaType.DVD: (3000, 7000),
    MediaType.MUSIC_CD: (2500, 6000), MediaType.AUDIOBOOK: (4000, 9000),
    MediaType.PERIODICAL: (1500, 4000), MediaType.KIT: (20000, 60000),
    MediaType.GAME: (8000, 25000),
}
STATUS_SHARES = {CopyStatus.AVAILABLE: 955, CopyStatus.REFERENCE: 20, CopyStatus.REPAIR: 10,
                 CopyStatus.LOST: 7, CopyStatus.MISSING: 3, CopyStatus.WITHDRAWN: 5}
MODE_SHARES = {AcquisitionMode.PURCHASE: 60, AcquisitionMode.GIFT: 25,
               AcquisitionMode.PROGRAMME: 12, AcquisitionMode.EXCHANGE: 2,
               AcquisitionMode.UNKNOWN: 1}
CORPORATE = (("Alliance française d'Almaty", "fre"), ("Институт истории и этнологии", "rus"),
             ("Қазақстан Республикасының Ұлттық кітапханасы", "kaz"))
BOOK_AUDIENCE = Picker([(Audience.ADULTS, 62), (Audience.TEENAGERS, 10), (Audience.AGES_9_14, 10),
                       (Audience.AGES_5_10, 10), (Audience.CHILDREN, 4), (Audience.UNKNOWN, 4)])
AUTHOR_LANGUAGE = {entry[0]: entry[1] for entry in pools.FAMOUS_AUTHORS}
BRANDED_METHODS = 15  # the first FLE_METHODS are course books named with a level
FICTION_SUBJECTS = pools.SUBJECTS[:2] + pools.SUBJECTS[10:24]
RECORD_COLUMNS = (
    "subtitle", "responsibility", "part_number", "part_name", "publisher", "place", "year",
    "edition", "isbn13", "ean", "country", "original_language", "cefr_level", "dewey",
    "series", "series_number", "extent", "illustrations", "dimensions",
    "accompanying_material", "summary", "note",
)
MEDIA_POPULARITY: dict[str, float] = {  # FLE methods: few records, many copies, much lent
    MediaType.DVD: 2.0, MediaType.COMIC: 1.8, MediaType.FLE_METHOD: 2.5,
    MediaType.PERIODICAL: 0.3, MediaType.KIT: 0.4,
}
CHILDREN_MAGAZINES = ("Okapi", "J'aime lire", "Балдырған")
COPY_NOTES = {CopyStatus.REFERENCE: "Consultation sur place", CopyStatus.REPAIR: "En reliure",
              CopyStatus.LOST: "Déclaré perdu", CopyStatus.MISSING: "Introuvable à l'inventaire",
              CopyStatus.WITHDRAWN: "Désherbé"}

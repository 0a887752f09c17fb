"""Combining the pools into titles, people's names, ISBN/EAN numbers and call numbers.

Every function takes the generator's `random.Random`, so that a seed gives the same library.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect_right
from itertools import accumulate

from mediatheque.catalogue.copies import three_letters, title_letters
from mediatheque.demo import pools

FRENCH_VOWELS = set("aeiouyéèêëâàîïôûœh")
KAZAKH_VOWELS = set("аәеиоөұүыіуэюя")
KAZAKH_SPECIFIC = set("ӘҒҚҢӨҰҮҺІәғқңөұүһі")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- Titles ---------------------------------------------------------------------------


def _french_noun(rng: random.Random) -> tuple[str, str, bool]:
    word, gender = rng.choice(pools.FRENCH_NOUNS).split(":")
    return word, gender, word[0] in FRENCH_VOWELS


def _fr_the(word: str, gender: str, elided: bool) -> str:
    if elided:
        return "l'" + word
    return ("le " if gender == "m" else "la ") + word


def _fr_of(word: str, gender: str, elided: bool) -> str:
    if elided:
        return "de l'" + word
    return ("du " if gender == "m" else "de la ") + word


def _fr_adj(rng: random.Random, gender: str) -> str:
    masculine, feminine = rng.choice(pools.FRENCH_ADJECTIVES).split("/")
    return masculine if gender == "m" else feminine


def _form(rng: random.Random, cumulative: tuple[float, ...]) -> int:
    """Which sentence pattern: the ones with more combinations are drawn more often, so
    that 200,000 titles stay varied."""
    return bisect_right(cumulative, rng.random() * cumulative[-1])


FRENCH_FORMS = tuple(accumulate((1, 1, 1.5, 1.5, 2.5, 0.6, 0.2, 3)))
RUSSIAN_FORMS = tuple(accumulate((1, 1.5, 1.5, 0.8, 3, 3)))
KAZAKH_FORMS = tuple(accumulate((1, 1.5, 0.6, 0.5, 1.5, 2, 3, 1.5)))
ENGLISH_FORMS = tuple(accumulate((1, 1, 1, 2)))


def french_title(rng: random.Random) -> str:
    word, gender, elided = _french_noun(rng)
    the = _fr_the(word, gender, elided)
    form = _form(rng, FRENCH_FORMS)
    if form == 0:
        return _cap(f"{the} {_fr_adj(rng, gender)}")
    if form == 1:
        return _cap(f"{the} de {rng.choice(pools.FRENCH_PLACES)}")
    if form == 2:
        return _cap(f"{the} et {_fr_the(*_french_noun(rng))}")
    if form == 3:
        return _cap(f"{the} {_fr_of(*_french_noun(rng))}")
    if form == 4:
        return _cap(f"{the} {_fr_adj(rng, gender)} de {rng.choice(pools.FRENCH_PLACES)}")
    if form == 5:
        article = "Un" if gender == "m" else "Une"
        return f"{article} {word} à {rng.choice(pools.FRENCH_PLACES)}"
    if form == 6:
        opening = rng.choice(("Retour à", "Lettres de", "Souvenirs de", "Nuits de"))
        return f"{opening} {rng.choice(pools.FRENCH_PLACES)}"
    return _cap(f"{the} {_fr_adj(rng, gender)} {_fr_of(*_french_noun(rng))}")


def _russian_noun(rng: random.Random) -> tuple[str, str, str]:
    nominative, genitive, gender = rng.choice(pools.RUSSIAN_NOUNS).split("/")
    return nominative, genitive, gender


def _ru_adj(rng: random.Random, gender: str) -> str:
    forms = rng.choice(pools.RUSSIAN_ADJECTIVES).split("/")
    return forms["mfn".index(gender)]


def russian_title(rng: random.Random) -> str:
    noun, _genitive, gender = _russian_noun(rng)
    form = _form(rng, RUSSIAN_FORMS)
    if form == 0:
        return _cap(f"{_ru_adj(rng, gender)} {noun}")
    if form == 1:
        return _cap(f"{noun} {_russian_noun(rng)[1]}")
    if form == 2:
        return _cap(f"{noun} и {_russian_noun(rng)[0]}")
    if form == 3:
        place_genitive = rng.choice(pools.RUSSIAN_PLACES).split("/")[1]
        return _cap(f"{noun} из {place_genitive}")
    if form == 4:
        return _cap(f"{_ru_adj(rng, gender)} {noun} {_russian_noun(rng)[1]}")
    return _cap(f"{_ru_adj(rng, gender)} {noun} и {_russian_noun(rng)[0]}")


def kazakh_and(word: str) -> str:
    """The comitative particle after `word`: мен after vowels and sonorants, бен after
    ж/з, пен after voiceless consonants (Қан мен тер, Жұлдыз бен ай, Құс пен гүл)."""
    last = word[-1].lower()
    if last in KAZAKH_VOWELS or last in "лмнңрй":
        return "мен"
    if last in "жз":
        return "бен"
    return "пен"


def kazakh_title(rng: random.Random) -> str:
    noun, possessive = rng.choice(pools.KAZAKH_NOUNS).split("/")
    adjective = rng.choice(pools.KAZAKH_ADJECTIVES)
    form = _form(rng, KAZAKH_FORMS)
    if form == 0:
        return _cap(f"{adjective} {noun}")
    if form == 1:
        return _cap(f"{noun} және {rng.choice(pools.KAZAKH_NOUNS).split('/')[0]}")
    if form == 2:
        return f"{rng.choice(pools.KAZAKH_PLACES)} {possessive}"
    if form == 3:
        return _cap(f"{noun} туралы {rng.choice(pools.KAZAKH_GENRES)}")
    if form == 4:
        other = rng.choice(pools.KAZAKH_NOUNS).split("/")[0]
        return _cap(f"{noun} {kazakh_and(noun)} {other}")
    if form == 5:
        return _cap(f"{adjective} {noun}: {rng.choice(pools.KAZAKH_GENRES)}")
    if form == 6:
        other = rng.choice(pools.KAZAKH_NOUNS).split("/")[0]
        return _cap(f"{adjective} {noun} {kazakh_and(noun)} {other}")
    return f"{rng.choice(pools.KAZAKH_PLACES)} {possessive}: {rng.choice(pools.KAZAKH_GENRES)}"


def english_title(rng: random.Random) -> str:
    noun = rng.choice(pools.ENGLISH_NOUNS)
    form = _form(rng, ENGLISH_FORMS)
    if form == 0:
        return f"The {_cap(rng.choice(pools.ENGLISH_ADJECTIVES))} {_cap(noun)}"
    if form == 1:
        return f"The {_cap(noun)} of {rng.choice(pools.ENGLISH_PLACES)}"
    if form == 2:
        article = "An" if noun[0] in "aeiou" else "A"
        return f"{article} {_cap(noun)} in {rng.choice(pools.ENGLISH_PLACES)}"
    adjective = _cap(rng.choice(pools.ENGLISH_ADJECTIVES))
    return f"The {adjective} {_cap(noun)} of {rng.choice(pools.ENGLISH_PLACES)}"


TITLE_MAKERS = {
    "fre": french_title, "rus": russian_title, "kaz": kazakh_title, "eng": english_title,
}
GENRES = {
    "fre": pools.FRENCH_GENRES, "rus": pools.RUSSIAN_GENRES, "kaz": pools.KAZAKH_GENRES,
    "eng": ("a novel", "stories", "poems"),
}


def fiction_title(rng: random.Random, language: str) -> str:
    return TITLE_MAKERS[language](rng)


def genre(rng: random.Random, language: str) -> str:
    return rng.choice(GENRES[language])


# --- People ---------------------------------------------------------------------------


def russian_feminine(surname: str) -> str:
    if surname.endswith("ский"):
        return surname[:-4] + "ская"
    if surname.endswith("ской"):
        return surname[:-4] + "ская"
    if surname.endswith("ой"):
        return surname[:-2] + "ая"
    return surname + "а"


def kazakh_surname(root: str, female: bool, patronymic: bool) -> str:
    """Құнанбай → Құнанбаев / Құнанбаева, or Құнанбайұлы / Құнанбайқызы."""
    if patronymic:
        return root + ("қызы" if female else "ұлы")
    if root.endswith("й"):
        base = root[:-1] + "ев"
    elif root[-1] in KAZAKH_VOWELS or root[-1] in "шжщч":
        base = root + "ев"
    else:
        base = root + "ов"
    return base + ("а" if female else "")


def person(rng: random.Random, language: str, female: bool | None = None) -> tuple[str, str]:
    """(surname, forenames) of a plausible person writing or reading in `language`."""
    if female is None:
        female = rng.random() < 0.5
    if language == "fre":
        forename = rng.choice(pools.FRENCH_WOMEN if female else pools.FRENCH_MEN)
        return rng.choice(pools.FRENCH_SURNAMES), forename
    if language == "rus":
        surname = rng.choice(pools.RUSSIAN_SURNAMES)
        forename = rng.choice(pools.RUSSIAN_WOMEN if female else pools.RUSSIAN_MEN)
        return (russian_feminine(surname) if female else surname), forename
    if language == "kaz":
        root = rng.choice(pools.KAZAKH_SURNAME_ROOTS)
        forename = rng.choice(pools.KAZAKH_WOMEN if female else pools.KAZAKH_MEN)
        return kazakh_surname(root, female, patronymic=rng.random() < 0.3), forename
    forename = rng.choice(pools.ENGLISH_WOMEN if female else pools.ENGLISH_MEN)
    return rng.choice(pools.ENGLISH_SURNAMES), forename


def latin(text: str) -> str:
    """Lower-case ASCII for e-mail addresses (Кожа → kozha, Әйгерім → aigerim, Léa → lea)."""
    out = []
    for char in text.lower():
        if char in pools.TRANSLIT:
            out.append(pools.TRANSLIT[char])
        else:
            base = unicodedata.normalize("NFKD", char)[:1]
            if base.isascii() and base.isalnum():
                out.append(base)
    return "".join(out)


# --- Identifiers ----------------------------------------------------------------------


def check_digit_13(body: str) -> str:
    """Check digit of an EAN-13 / ISBN-13 from its first 12 digits."""
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return str((10 - total % 10) % 10)


def ean13(prefix: str, number: int) -> str:
    body = prefix + str(number).zfill(12 - len(prefix))
    if len(body) != 12:
        raise ValueError(f"number {number} does not fit after prefix {prefix}")
    return body + check_digit_13(body)


def is_valid_isbn13(code: str) -> bool:
    return (len(code) == 13 and code.isdigit() and code[:3] in ("978", "979")
            and check_digit_13(code[:12]) == code[12])


# --- Call numbers ---------------------------------------------------------------------


def call_number(shelf_class: str, surname: str | None, title: str) -> str:
    return f"{shelf_class} {three_letters(surname) if surname else title_letters(title)}"

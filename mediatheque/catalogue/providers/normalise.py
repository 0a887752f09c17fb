"""Small normalisations shared by the providers: language codes to ISO 639-2/B, names
written "Forenames Surname" to a Person, years out of free-text dates, marks to strip."""

from __future__ import annotations

import json
import re
from typing import Any

from mediatheque.catalogue.metadata import Person
from mediatheque.errors import LookupFailed
from mediatheque.models.vocabulary import ContributorRole

# ISO 639-1 → 639-2/B for the languages an Alliance Française meets (Google gives 639-1).
_ISO1_TO_B = {
    "fr": "fre", "en": "eng", "ru": "rus", "kk": "kaz", "uz": "uzb", "ky": "kir",
    "tg": "tgk", "tk": "tuk", "mn": "mon", "az": "aze", "hy": "arm", "ka": "geo",
    "uk": "ukr", "be": "bel", "de": "ger", "es": "spa", "it": "ita", "pt": "por",
    "nl": "dut", "ar": "ara", "fa": "per", "tr": "tur", "zh": "chi", "ja": "jpn",
    "ko": "kor", "pl": "pol", "cs": "cze", "sk": "slo", "hu": "hun", "ro": "rum",
    "bg": "bul", "sr": "srp", "hr": "hrv", "sl": "slv", "el": "gre", "he": "heb",
    "la": "lat", "sv": "swe", "da": "dan", "no": "nor", "nb": "nob", "fi": "fin",
    "et": "est", "lv": "lav", "lt": "lit", "sq": "alb", "eu": "baq", "ca": "cat",
    "ga": "gle", "cy": "wel", "is": "ice", "mk": "mac", "ms": "may", "id": "ind",
    "vi": "vie", "th": "tha", "hi": "hin", "ur": "urd", "bn": "ben", "ta": "tam",
    "sw": "swa", "eo": "epo", "ug": "uig", "tt": "tat", "ba": "bak", "ps": "pus",
}
# ISO 639-2/T (terminology) codes that differ from the bibliographic ones libraries use.
_T_TO_B = {
    "fra": "fre", "deu": "ger", "zho": "chi", "ces": "cze", "nld": "dut", "ell": "gre",
    "fas": "per", "hye": "arm", "kat": "geo", "ron": "rum", "slk": "slo", "sqi": "alb",
    "eus": "baq", "msa": "may", "mya": "bur", "isl": "ice", "mkd": "mac", "cym": "wel",
    "bod": "tib", "mri": "mao",
}
_CODE3 = re.compile(r"^[a-z]{3}$")


def language_code(raw: str | None) -> str | None:
    """'fr', 'fr-FR', 'FRA', 'fre', '/languages/fre' → 'fre'; None when not a code."""
    if not raw:
        return None
    code = raw.strip().lower().rsplit("/", 1)[-1].replace("_", "-").split("-", 1)[0]
    if len(code) == 2:
        return _ISO1_TO_B.get(code)
    if _CODE3.match(code):
        return _T_TO_B.get(code, code)
    return None


def languages(raws: list[str | None]) -> tuple[str, ...]:
    found: list[str] = []
    for raw in raws:
        code = language_code(raw)
        if code and code not in found:
            found.append(code)
    return tuple(found)


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def year_of(text: str | None) -> int | None:
    """The first plausible year in '2011', 'DL 2019-', 'July 28, 2008', '[1994?]'."""
    if not text:
        return None
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


# Non-sorting marks (NSB/NSE) in UNIMARC: ISO 6429 (U+0088/U+0089) and the older
# U+0098/U+009C; they hide "Le " from sorting and must never reach the screen.
_MARKS = dict.fromkeys(map(ord, "\u0088\u0089\u0098\u009c"))
_ANY_MARK = re.compile("[\u0088\u0089\u0098\u009c]")


def clean(text: str | None) -> str | None:
    if text is None:
        return None
    # translate() looks every character up in a dict: 22 µs for a 350-character summary,
    # where looking for a mark first costs 3 (an import cleans millions of values).
    if not text.isascii() and _ANY_MARK.search(text):
        text = text.translate(_MARKS)
    return " ".join(text.split()) or None


# Kazakh and Russian patronymic endings tell a name written surname-first ("Толстой Лев
# Николаевич"); otherwise the last word is the surname, and particles stay with the
# forenames as French catalogues write them ("Saint-Exupéry, Antoine de").
_PATRONYMIC = re.compile(r"(ович|евич|ич|овна|евна|ична|инична|ұлы|улы|қызы|кызы)$",
                         re.IGNORECASE)


def person_from_name(name: str, role: str = ContributorRole.AUTHOR.value) -> Person | None:
    """Best effort for names as Open Library and Google write them: 'Victor Hugo' →
    Hugo, Victor; 'Hugo, Victor' kept; 'Лев Николаевич Толстой' → Толстой, Лев
    Николаевич; 'Толстой Лев Николаевич' (patronymic last) → the same."""
    text = clean(name)
    if not text:
        return None
    if "," in text:
        surname, _, forenames = text.partition(",")
        return Person(surname.strip(), forenames.strip() or None, role=role)
    words = text.split()
    if len(words) == 1:
        return Person(words[0], role=role)
    if len(words) == 3 and _PATRONYMIC.search(words[2]) and not _PATRONYMIC.search(words[1]):
        return Person(words[0], f"{words[1]} {words[2]}", role=role)
    return Person(words[-1], " ".join(words[:-1]), role=role)


def json_object(body: bytes, provider: str) -> dict[str, Any]:
    """A provider's JSON answer, which must be an object; anything else (an HTML error
    page, a truncated body) is a `bad_response`."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise LookupFailed(provider, "bad_response", f"JSON: {error}") from None
    if not isinstance(data, dict):
        raise LookupFailed(provider, "bad_response", "not a JSON object")
    return data

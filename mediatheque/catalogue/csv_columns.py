"""What the columns of a catalogue spreadsheet mean, and how their cells are read.

Headers are recognised without regard to case, accents, blanks or punctuation, in English,
French and Russian (title / titre / название / заглавие…). Cells are read leniently —
`9/16/2006` is the year 2006, `en-US` is `eng`, `J.K. Rowling/Mary GrandPré` two people —
and a cell that cannot be read returns None so that the caller can report it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from mediatheque.catalogue.metadata import Person
from mediatheque.models.vocabulary import (
    AcquisitionMode,
    Audience,
    ContributorRole,
    CopyStatus,
    MediaType,
    words,
)

FIELDS = (
    "title", "subtitle", "authors", "isbn", "isbn13", "isbn10", "ean", "publisher", "place",
    "year", "edition", "language", "pages", "extent", "media_type", "audience", "cefr_level",
    "dewey", "series", "series_number", "subjects", "keywords", "summary", "note", "copies",
    "barcode", "call_number", "location", "status", "acquired_on", "acquisition_mode",
    "price",
)

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": ("title", "titre", "название", "заглавие", "наименование", "book title",
              "titre propre", "атауы"),
    "subtitle": ("subtitle", "sous titre", "подзаголовок", "complement du titre"),
    "authors": ("author", "authors", "auteur", "auteurs", "автор", "авторы", "writer",
                "creator", "creators", "contributors", "auteur s", "автор ы"),
    "isbn": ("isbn", "isbn s", "isbn issn", "isbn ean"),
    "isbn13": ("isbn13", "isbn 13", "ean isbn13"),
    "isbn10": ("isbn10", "isbn 10"),
    "ean": ("ean", "ean13", "ean 13", "upc", "gtin", "code ean"),
    "publisher": ("publisher", "editeur", "editeurs", "maison d edition", "издательство",
                  "издатель", "publishers", "edition publisher"),
    "place": ("place", "lieu", "lieu d edition", "ville", "место издания", "город",
              "place of publication"),
    "year": ("year", "annee", "annee d edition", "date", "date d edition", "год",
             "год издания", "publication date", "publication year", "date published",
             "published", "original publication year", "year published"),
    "edition": ("edition", "издание", "mention d edition"),
    "language": ("language", "languages", "langue", "langues", "язык", "языки",
                 "language code", "lang", "тілі"),
    "pages": ("pages", "num pages", "number of pages", "nb pages", "nombre de pages",
              "страниц", "количество страниц", "кол во страниц", "pagination"),
    "extent": ("extent", "collation", "description physique", "объем"),
    "media_type": ("media type", "media", "type", "support", "type de document",
                   "вид документа", "тип", "item type", "format"),
    "audience": ("audience", "public", "public cible", "читательское назначение"),
    "cefr_level": ("cefr", "cefr level", "cecrl", "niveau", "niveau cecrl", "level",
                   "уровень"),
    "dewey": ("dewey", "ddc", "classe", "classification", "indice", "indice dewey",
              "ббк", "удк"),
    "series": ("series", "serie", "collection", "серия"),
    "series_number": ("series number", "numero dans la serie", "numero de serie",
                      "номер в серии", "tome", "volume"),
    "subjects": ("subjects", "subject", "sujet", "sujets", "matiere", "vedettes matiere",
                 "тема", "темы", "рубрика", "рубрики"),
    "keywords": ("keywords", "keyword", "tags", "mots cles", "mot cle",
                 "ключевые слова"),
    "summary": ("summary", "resume", "description", "аннотация", "описание"),
    "note": ("note", "notes", "remarque", "примечание", "comment", "comments"),
    "copies": ("copies", "copy count", "exemplaires", "nombre d exemplaires", "nb ex",
               "экземпляры", "количество экземпляров", "кол во экз", "quantity",
               "qty"),
    "barcode": ("barcode", "code barre", "code barres", "штрихкод", "штрих код",
                "item barcode", "numero d exemplaire", "инвентарный номер"),
    "call_number": ("call number", "callnumber", "cote", "шифр", "шифр хранения",
                    "shelfmark", "полочный индекс"),
    "location": ("location", "localisation", "emplacement", "section",
                 "место хранения", "расположение"),
    "status": ("status", "statut", "etat", "статус", "состояние"),
    "acquired_on": ("acquired on", "acquisition date", "date d acquisition",
                    "date acquisition", "дата поступления", "date added"),
    "acquisition_mode": ("acquisition mode", "mode d acquisition", "acquisition",
                         "provenance", "способ поступления", "источник поступления"),
    "price": ("price", "prix", "цена", "стоимость", "cost"),
}


def fold_header(text: str) -> str:
    """'Année d’édition' → 'annee d edition', '  num_pages' → 'num pages', 'ISBN-13' → 'isbn 13'."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\ufeff", "").casefold())
    kept = "".join(
        c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c)
    )
    spaced = re.sub(r"(?<=[a-z])(?=\d)", " ", " ".join(kept.split()))
    return spaced


_BY_HEADER: dict[str, str] = {
    fold_header(synonym): field for field, synonyms in _SYNONYMS.items() for synonym in synonyms
}
_BY_HEADER.update({fold_header(field): field for field in FIELDS})


def field_for_header(header: str) -> str | None:
    folded = fold_header(header)
    return _BY_HEADER.get(folded) or _BY_HEADER.get(folded.replace(" ", ""))


# --- Languages -------------------------------------------------------------------------

_TWO_LETTER = {
    "fr": "fre", "en": "eng", "ru": "rus", "kk": "kaz", "kz": "kaz", "de": "ger", "es": "spa",
    "it": "ita", "pt": "por", "zh": "chi", "ja": "jpn", "ar": "ara", "nl": "dut", "sv": "swe",
    "no": "nor", "nb": "nob", "tr": "tur", "uz": "uzb", "ky": "kir", "tg": "tgk", "uk": "ukr",
    "be": "bel", "pl": "pol", "cs": "cze", "el": "gre", "fa": "per", "hy": "arm", "ka": "geo",
    "ms": "may", "sr": "srp", "gl": "glg", "cy": "wel", "gd": "gla", "la": "lat", "ko": "kor",
    "he": "heb", "hi": "hin", "fi": "fin", "da": "dan", "hu": "hun", "ro": "rum", "bg": "bul",
    "ca": "cat", "eu": "baq", "sq": "alb", "is": "ice", "mk": "mac", "sk": "slo", "az": "aze",
    "tk": "tuk", "mn": "mon", "ga": "gle", "hr": "hrv", "sl": "slv", "et": "est", "lv": "lav",
    "lt": "lit", "vi": "vie", "th": "tha", "id": "ind",
}
# ISO 639-2/T codes whose bibliographic (/B) form differs.
_TERMINOLOGIC = {
    "fra": "fre", "deu": "ger", "zho": "chi", "nld": "dut", "ces": "cze", "ell": "gre",
    "fas": "per", "hye": "arm", "kat": "geo", "msa": "may", "mkd": "mac", "sqi": "alb",
    "eus": "baq", "ron": "rum", "slk": "slo", "bod": "tib", "cym": "wel", "isl": "ice",
    "mya": "bur",
}
_NAMES = {
    "french": "fre", "francais": "fre", "французский": "fre", "francuzskii": "fre",
    "english": "eng", "anglais": "eng", "английский": "eng", "ағылшын": "eng",
    "russian": "rus", "russe": "rus", "русский": "rus", "орыс": "rus",
    "kazakh": "kaz", "kazakh language": "kaz", "казахский": "kaz", "қазақ": "kaz",
    "qazaq": "kaz", "german": "ger", "allemand": "ger", "немецкий": "ger", "spanish": "spa",
    "espagnol": "spa", "испанский": "spa", "italian": "ita", "italien": "ita",
    "uzbek": "uzb", "ouzbek": "uzb", "узбекский": "uzb", "kyrgyz": "kir", "kirghiz": "kir",
    "киргизский": "kir", "кыргызский": "kir", "chinese": "chi", "chinois": "chi",
    "китайский": "chi", "japanese": "jpn", "japonais": "jpn", "японский": "jpn",
    "arabic": "ara", "arabe": "ara", "арабский": "ara", "multiple": "mul", "multilingue": "mul",
}


def language_code(text: str) -> str | None:
    """ISO 639-2/B from 'fre', 'fra', 'fr', 'fr-FR', 'en_US', 'Français', 'русский'…"""
    folded = unicodedata.normalize("NFC", text.strip().casefold())
    if not folded:
        return None
    plain = "".join(c for c in unicodedata.normalize("NFKD", folded)
                    if not unicodedata.combining(c))
    if plain in _NAMES or folded in _NAMES:
        return _NAMES.get(plain) or _NAMES[folded]
    base = re.split(r"[-_]", plain, maxsplit=1)[0]
    if len(base) == 2 and base.isascii():
        return _TWO_LETTER.get(base)
    if len(base) == 3 and base.isascii() and base.isalpha():
        return _TERMINOLOGIC.get(base, base)
    return None


@lru_cache(maxsize=4096)
def language_codes(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Codes of a cell that may list several ('fre; rus', 'fr/en'); and the parts not read."""
    codes: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[;,/|]", text):
        if not part.strip():
            continue
        code = language_code(part)
        if code is None:
            unknown.append(part.strip())
        elif code not in codes:
            codes.append(code)
    return tuple(codes), tuple(unknown)


# --- People ----------------------------------------------------------------------------

_ROLES = {
    "illustrator": ContributorRole.ILLUSTRATOR, "illustrateur": ContributorRole.ILLUSTRATOR,
    "illustratrice": ContributorRole.ILLUSTRATOR, "ill": ContributorRole.ILLUSTRATOR,
    "иллюстратор": ContributorRole.ILLUSTRATOR, "художник": ContributorRole.ILLUSTRATOR,
    "cover artist": ContributorRole.ILLUSTRATOR, "artist": ContributorRole.ILLUSTRATOR,
    "translator": ContributorRole.TRANSLATOR, "traducteur": ContributorRole.TRANSLATOR,
    "traductrice": ContributorRole.TRANSLATOR, "trad": ContributorRole.TRANSLATOR,
    "переводчик": ContributorRole.TRANSLATOR, "пер": ContributorRole.TRANSLATOR,
    "editor": ContributorRole.EDITOR, "editeur": ContributorRole.EDITOR,
    "directeur de publication": ContributorRole.EDITOR, "редактор": ContributorRole.EDITOR,
    "ed": ContributorRole.EDITOR, "preface": ContributorRole.PREFACE,
    "prefacier": ContributorRole.PREFACE, "foreword": ContributorRole.PREFACE,
    "introduction": ContributorRole.PREFACE, "author": ContributorRole.AUTHOR,
    "auteur": ContributorRole.AUTHOR, "автор": ContributorRole.AUTHOR,
}
_PEOPLE_SEPARATOR = re.compile(r"\s*[/;|]\s*")
_ROLE_SUFFIX = re.compile(r"\s*\(([^()]*)\)\s*$")
_PARTICLES = frozenset({"de", "du", "des", "d'", "van", "von", "der", "den", "da", "di",
                        "del", "della", "le", "la", "ter", "ten", "zu", "dos", "das"})
_PATRONYMIC = re.compile(r"(вич|вна|ична|инична|оглы|кызы|улы|ұлы|қызы)$", re.IGNORECASE)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def split_people(text: str) -> list[Person]:
    """'J.K. Rowling/Mary GrandPré (Illustrator)' → two people, in order. Names are split
    on '/', ';' and '|'; a comma inside one name means 'Surname, Forenames'."""
    people: list[Person] = []
    for part in _PEOPLE_SEPARATOR.split(text):
        person = parse_person(part)
        if person is not None:
            people.append(person)
    return people


@lru_cache(maxsize=65536)
def parse_person(text: str) -> Person | None:
    """'Victor Hugo' → Hugo, Victor; 'Hugo, Victor' too; 'Antoine de Saint-Exupéry' →
    Saint-Exupéry, Antoine de; 'Лев Николаевич Толстой' and 'Толстой Лев Николаевич' →
    Толстой, Лев Николаевич. A role in brackets at the end sets the relator code."""
    name = " ".join(text.split())
    role: str = ContributorRole.AUTHOR
    found = _ROLE_SUFFIX.search(name)
    if found:
        role_word = fold_header(found.group(1))
        if role_word in _ROLES:
            role = _ROLES[role_word]
            name = name[: found.start()].strip()
    name = name.strip(" ,;")
    if not name:
        return None
    head, _, tail = name.rpartition(",")
    if head and tail.strip().casefold() in _SUFFIXES:
        name = head.strip()  # 'Sam Bass Warner, Jr.'
    if "," in name:
        surname, _, forenames = name.partition(",")
        return Person(surname.strip(), forenames.strip() or None, role=role)
    parts = name.split()
    while len(parts) > 1 and parts[-1].casefold() in _SUFFIXES:
        parts.pop()
    if len(parts) == 1:
        return Person(parts[0], None, role=role)
    if len(parts) == 3 and _PATRONYMIC.search(parts[2]) and not _PATRONYMIC.search(parts[1]):
        return Person(parts[0], f"{parts[1]} {parts[2]}", role=role)  # Толстой Лев Николаевич
    surname_start = len(parts) - 1
    while surname_start > 1 and parts[surname_start - 1].casefold() in _PARTICLES:
        surname_start -= 1
    particles = parts[surname_start:-1]
    forenames = " ".join(parts[:surname_start] + particles)
    return Person(parts[-1], forenames or None, role=role)


# --- Other cells -----------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def parse_year(text: str, *, latest: int) -> int | None:
    """The year of '2006', '9/16/2006', '2006-09-16', '16.09.2006', 'c1998', '[2001?]'."""
    found = _YEAR.findall(text)
    if len(found) != 1:
        return None
    year = int(found[0])
    return year if 1000 <= year <= latest else None


def parse_count(text: str, *, most: int) -> int | None:
    cleaned = text.strip()
    if not cleaned.isascii() or not cleaned.isdigit():
        return None
    value = int(cleaned)
    return value if 0 <= value <= most else None


def parse_price(text: str) -> Decimal | None:
    cleaned = re.sub(r"[^\d,.\-]", "", text).replace(",", ".")
    if cleaned.count(".") > 1:
        whole, _, decimals = cleaned.rpartition(".")
        cleaned = whole.replace(".", "") + "." + decimals
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value.quantize(Decimal("0.01")) if 0 <= value < Decimal("1e10") else None


_MEDIA = {
    "livre": MediaType.BOOK, "book": MediaType.BOOK, "liv": MediaType.BOOK,
    "книга": MediaType.BOOK, "bd": MediaType.COMIC, "bande dessinee": MediaType.COMIC,
    "comic": MediaType.COMIC, "comics": MediaType.COMIC, "комикс": MediaType.COMIC,
    "fle": MediaType.FLE_METHOD, "methode fle": MediaType.FLE_METHOD,
    "methode": MediaType.FLE_METHOD, "rev": MediaType.PERIODICAL,
    "revue": MediaType.PERIODICAL, "magazine": MediaType.PERIODICAL,
    "журнал": MediaType.PERIODICAL, "periodique": MediaType.PERIODICAL,
    "dvd": MediaType.DVD, "video": MediaType.DVD, "film": MediaType.DVD,
    "cd": MediaType.MUSIC_CD, "cd audio": MediaType.MUSIC_CD, "music": MediaType.MUSIC_CD,
    "liva": MediaType.AUDIOBOOK, "livre audio": MediaType.AUDIOBOOK,
    "audiobook": MediaType.AUDIOBOOK, "аудиокнига": MediaType.AUDIOBOOK,
    "kit": MediaType.KIT, "jeu": MediaType.GAME, "game": MediaType.GAME,
    "игра": MediaType.GAME, "num": MediaType.DIGITAL, "numerique": MediaType.DIGITAL,
    "ebook": MediaType.DIGITAL, "e book": MediaType.DIGITAL,
}
_STATUS = {
    "disponible": CopyStatus.AVAILABLE, "en rayon": CopyStatus.AVAILABLE,
    "on loan": CopyStatus.AVAILABLE, "on_loan": CopyStatus.AVAILABLE,
    "en pret": CopyStatus.AVAILABLE, "consultation sur place": CopyStatus.REFERENCE,
    "exclu du pret": CopyStatus.REFERENCE, "reparation": CopyStatus.REPAIR,
    "perdu": CopyStatus.LOST, "manquant": CopyStatus.MISSING, "retire": CopyStatus.WITHDRAWN,
    "pilonne": CopyStatus.WITHDRAWN,
}
_MODES = {
    "achat": AcquisitionMode.PURCHASE, "don": AcquisitionMode.GIFT,
    "programme": AcquisitionMode.PROGRAMME, "echange": AcquisitionMode.EXCHANGE,
    "покупка": AcquisitionMode.PURCHASE, "дар": AcquisitionMode.GIFT,
    "подарок": AcquisitionMode.GIFT, "обмен": AcquisitionMode.EXCHANGE,
}


def _vocabulary(text: str, own: tuple[str, ...], extra: Mapping[str, str]) -> str | None:
    folded = fold_header(text)
    underscored = folded.replace(" ", "_")
    if underscored in own:
        return underscored
    return extra.get(folded)


def media_type(text: str) -> str | None:
    return _vocabulary(text, words(MediaType), _MEDIA)


def copy_status(text: str) -> str | None:
    """On loan is not a copy status (it is an open loan): a copy listed on loan is
    imported as available."""
    return _vocabulary(text, words(CopyStatus), _STATUS)


def acquisition_mode(text: str) -> str | None:
    return _vocabulary(text, words(AcquisitionMode), _MODES)


def audience(text: str) -> str | None:
    return _vocabulary(text, words(Audience), {
        "jeunesse": Audience.CHILDREN, "enfants": Audience.CHILDREN, "adulte": Audience.ADULTS,
        "adultes": Audience.ADULTS, "ado": Audience.TEENAGERS, "ados": Audience.TEENAGERS,
        "adolescents": Audience.TEENAGERS, "детям": Audience.CHILDREN,
        "взрослым": Audience.ADULTS,
    })


_LIST_SEPARATOR = re.compile(r"\s*[;|]\s*")


def split_list(text: str) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(part.strip() for part in _LIST_SEPARATOR.split(text) if part.strip())

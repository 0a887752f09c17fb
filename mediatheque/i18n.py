"""One message catalogue for the core, the CLI and the UI (DESIGN.md §7).

Messages are written in English in the code and wrapped in `_()` / `ngettext()`; the
catalogues are gettext `.po` files in translations/, read with Babel when a language is
chosen (no compiled `.mo` to keep in step). French is the default language.
"""

from __future__ import annotations

import gettext
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from mediatheque.paths import translations_dir

LANGUAGES: tuple[str, ...] = ("fr", "ru", "kk", "en")
DEFAULT_LANGUAGE = "fr"
# Each language named in itself, for language menus.
LANGUAGE_NAMES: dict[str, str] = {
    "fr": "Français",
    "ru": "Русский",
    "kk": "Қазақша",
    "en": "English",
}

_state = threading.local()
_default: list[str] = [DEFAULT_LANGUAGE]


class UnknownLanguage(ValueError):
    pass


def normalise_language(code: str | None) -> str:
    """'fr_FR', 'ru-RU', 'KK' → a supported language code; raises UnknownLanguage."""
    if not code:
        return DEFAULT_LANGUAGE
    short = code.replace("-", "_").split("_")[0].lower()
    if short not in LANGUAGES:
        raise UnknownLanguage(code)
    return short


@cache
def translations(language: str) -> gettext.GNUTranslations:
    """The catalogue of one language, compiled in memory from its .po file."""
    path = translations_dir() / f"{language}.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_language(language: str) -> None:
    """Sets the process-wide language (the UI and the CLI call it once, or on a switch)."""
    _default[0] = normalise_language(language)
    _state.__dict__.pop("language", None)


def current_language() -> str:
    return getattr(_state, "language", _default[0])


@contextmanager
def language(code: str) -> Iterator[None]:
    """Temporarily writes in another language in this thread (a letter in the member's)."""
    previous = getattr(_state, "language", None)
    _state.language = normalise_language(code)
    try:
        yield
    finally:
        if previous is None:
            del _state.language
        else:
            _state.language = previous


def _(message: str) -> str:
    return translations(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for extraction where it is translated later (constant tables)."""
    return message

"""People's names for the vocabularies shown in reports (core side; the same English
messages as the interface's, so they share their translations)."""

from __future__ import annotations

from collections.abc import Callable

from mediatheque.i18n import _
from mediatheque.models.vocabulary import AcquisitionMode, MediaType

_MEDIA: dict[str, Callable[[], str]] = {
    MediaType.BOOK: lambda: _("Book"),
    MediaType.COMIC: lambda: _("Comic"),
    MediaType.FLE_METHOD: lambda: _("French course (FLE)"),
    MediaType.PERIODICAL: lambda: _("Periodical"),
    MediaType.DVD: lambda: _("DVD"),
    MediaType.MUSIC_CD: lambda: _("Music CD"),
    MediaType.AUDIOBOOK: lambda: _("Audiobook"),
    MediaType.KIT: lambda: _("Kit"),
    MediaType.GAME: lambda: _("Game"),
    MediaType.DIGITAL: lambda: _("Digital resource"),
}
_MODES: dict[str, Callable[[], str]] = {
    AcquisitionMode.PURCHASE: lambda: _("Purchase"),
    AcquisitionMode.GIFT: lambda: _("Gift"),
    AcquisitionMode.PROGRAMME: lambda: _("Programme funding"),
    AcquisitionMode.EXCHANGE: lambda: _("Exchange"),
    AcquisitionMode.UNKNOWN: lambda: _("Unknown"),
}
_LANGUAGES: dict[str, Callable[[], str]] = {
    "fre": lambda: _("French"),
    "rus": lambda: _("Russian"),
    "kaz": lambda: _("Kazakh"),
    "eng": lambda: _("English"),
    "uzb": lambda: _("Uzbek"),
    "ger": lambda: _("German"),
    "spa": lambda: _("Spanish"),
    "ita": lambda: _("Italian"),
    "ara": lambda: _("Arabic"),
}


def media_type_label(word: str) -> str:
    known = _MEDIA.get(word)
    return known() if known else word


def acquisition_label(word: str) -> str:
    known = _MODES.get(word)
    return known() if known else word


def language_label(code: str | None) -> str:
    if not code:
        return _("Not specified")
    known = _LANGUAGES.get(code)
    return known() if known else code

"""People's names for the catalogue's vocabularies (media types, audiences, copy statuses,
acquisition modes, contributor roles, languages), in the current language: one place for
the interface, the reports and the workbooks alike.

The words stored in the database are stable identifiers; these functions are called each
time a text is shown, so a language switch is taken into account at once.
"""

from __future__ import annotations

from collections.abc import Callable

from mediatheque.i18n import _
from mediatheque.models.vocabulary import (
    AcquisitionMode,
    Audience,
    CefrLevel,
    ContributorRole,
    CopyStatus,
    MediaType,
)

Labels = dict[str, Callable[[], str]]

MEDIA_TYPES: Labels = {
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
AUDIENCES: Labels = {
    Audience.CHILDREN: lambda: _("Children"),
    Audience.AGES_5_10: lambda: _("Ages 5–10"),
    Audience.AGES_9_14: lambda: _("Ages 9–14"),
    Audience.TEENAGERS: lambda: _("Teenagers"),
    Audience.ADULTS: lambda: _("Adults"),
    Audience.UNKNOWN: lambda: _("Not specified"),
}
COPY_STATUSES: Labels = {
    CopyStatus.AVAILABLE: lambda: _("Available"),
    CopyStatus.REFERENCE: lambda: _("Reference only"),
    CopyStatus.REPAIR: lambda: _("In repair"),
    CopyStatus.LOST: lambda: _("Lost"),
    CopyStatus.MISSING: lambda: _("Missing"),
    CopyStatus.WITHDRAWN: lambda: _("Withdrawn"),
}
ACQUISITION_MODES: Labels = {
    AcquisitionMode.PURCHASE: lambda: _("Purchase"),
    AcquisitionMode.GIFT: lambda: _("Gift"),
    AcquisitionMode.PROGRAMME: lambda: _("Programme funding"),
    AcquisitionMode.EXCHANGE: lambda: _("Exchange"),
    AcquisitionMode.UNKNOWN: lambda: _("Unknown"),
}
ROLES: Labels = {
    ContributorRole.AUTHOR: lambda: _("Author"),
    ContributorRole.TRANSLATOR: lambda: _("Translator"),
    ContributorRole.ILLUSTRATOR: lambda: _("Illustrator"),
    ContributorRole.EDITOR: lambda: _("Editor"),
    ContributorRole.PREFACE: lambda: _("Preface"),
    ContributorRole.OTHER: lambda: _("Other contribution"),
}
# ISO 639-2/B codes met in the network's collections, in the order they are offered.
LANGUAGES: Labels = {
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
CEFR_LEVELS: tuple[str, ...] = tuple(level.value for level in CefrLevel)


def label(labels: Labels, word: str | None) -> str:
    """The name of `word`; the word itself when it is not in the vocabulary."""
    if not word:
        return ""
    known = labels.get(word)
    return known() if known else word


def language_names(codes: tuple[str, ...] | list[str]) -> str:
    return ", ".join(label(LANGUAGES, code) for code in codes)

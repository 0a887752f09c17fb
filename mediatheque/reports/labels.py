"""The vocabulary names the reports use (from mediatheque.vocabulary_labels, shared with
the interface)."""

from __future__ import annotations

from mediatheque.i18n import _
from mediatheque.vocabulary_labels import ACQUISITION_MODES, LANGUAGES, MEDIA_TYPES, label


def media_type_label(word: str) -> str:
    return label(MEDIA_TYPES, word)


def acquisition_label(word: str) -> str:
    return label(ACQUISITION_MODES, word)


def language_label(code: str | None) -> str:
    if not code:
        return _("Not specified")
    return label(LANGUAGES, code)

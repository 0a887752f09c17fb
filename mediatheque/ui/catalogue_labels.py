"""Combo boxes filled with the catalogue's vocabularies; the names themselves are in
mediatheque.vocabulary_labels (shared with the reports)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from mediatheque.vocabulary_labels import (  # noqa: F401 (the interface's names for them)
    ACQUISITION_MODES,
    AUDIENCES,
    CEFR_LEVELS,
    COPY_STATUSES,
    LANGUAGES,
    MEDIA_TYPES,
    ROLES,
    Labels,
    label,
    language_names,
)


def fill_combo(
    combo: QComboBox, labels: Labels | tuple[str, ...], *, everything: str | None = None
) -> None:
    """Fills (or refills after a language switch) a combo with a vocabulary; the item data
    is the stored word ('' for the `everything` entry). Keeps the chosen word."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if everything is not None:
        combo.addItem(everything, "")
    if isinstance(labels, dict):
        for word, name in labels.items():
            combo.addItem(name(), str(word))
    else:
        for word in labels:
            combo.addItem(word, word)
    index = combo.findData(chosen) if chosen is not None else -1
    combo.setCurrentIndex(max(0, index))
    combo.blockSignals(False)


def set_combo_word(combo: QComboBox, word: str | None) -> None:
    index = combo.findData(word or "")
    if index < 0 and word:
        combo.addItem(word, word)  # a word from elsewhere (an import) is kept, not lost
        index = combo.count() - 1
    combo.setCurrentIndex(max(0, index))

"""Extracts the messages from the code into translations/messages.pot and merges them into
each language's .po file, keeping existing translations.

    python tools/update_translations.py      (or: make messages)

English is the language of the code, so en.po is filled with the messages themselves;
fr, ru and kk are translated by people. tests/core/test_translations.py fails while any
message lacks a translation.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "mediatheque"
OUTPUT = ROOT / "translations"
LANGUAGES = ("fr", "ru", "kk", "en")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    template = Catalog(project="mediatheque", msgid_bugs_address="", charset="utf-8")
    method_map = [("**/migrations/**", "ignore"), ("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        SOURCES, method_map=method_map, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        template.add(
            message,
            None,
            [(f"mediatheque/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return template


def merge(template: Catalog, language: str) -> Catalog:
    path = OUTPUT / f"{language}.po"
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
    else:
        catalog = Catalog(locale=language, project="mediatheque", charset="utf-8")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False
    if language == "en":
        for message in catalog:
            if (message.id and not message.string) or (
                isinstance(message.string, tuple) and not all(message.string)
            ):
                message.string = message.id
            message.flags.discard("fuzzy")
    return catalog


def main() -> int:
    template = extract()
    with (OUTPUT / "messages.pot").open("wb") as handle:
        write_po(handle, template, width=100, omit_header=False, sort_output=True)
    for language in LANGUAGES:
        catalog = merge(template, language)
        with (OUTPUT / f"{language}.po").open("wb") as handle:
            write_po(handle, catalog, width=100, sort_output=True, include_previous=False)
    missing = {
        language: sum(1 for m in read_po((OUTPUT / f"{language}.po").open("rb")) if m.id and not (
            all(m.string) if isinstance(m.string, tuple) else m.string))
        for language in LANGUAGES
    }
    print(f"{len(template)} messages; untranslated: {missing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""DESIGN.md §7: every message is translated in every shipped language, with the same
placeholders, and plural forms fit each language."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from mediatheque.i18n import LANGUAGES, _, language, ngettext
from mediatheque.paths import translations_dir

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from update_translations import extract  # noqa: E402

PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
PLURAL_FORMS = {"fr": 2, "ru": 3, "kk": 2, "en": 2}


@pytest.fixture(scope="module")
def messages_in_code() -> set[str]:
    return {message.id if isinstance(message.id, str) else message.id[0]
            for message in extract() if message.id}


def _catalogue(lang: str):  # type: ignore[no-untyped-def]
    with (translations_dir() / f"{lang}.po").open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_of_the_code_is_translated(lang: str, messages_in_code: set[str]) -> None:
    catalogue = _catalogue(lang)
    translated = set()
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings):
            translated.add(message.id if isinstance(message.id, str) else message.id[0])
    missing = sorted(messages_in_code - translated)
    assert missing == [], f"{len(missing)} untranslated in {lang}.po (make messages)"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang: str) -> None:
    wrong = []
    for message in _catalogue(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) != expected:
                wrong.append((ids[0], string))
    assert wrong == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_fit_the_language(lang: str) -> None:
    assert _catalogue(lang).num_plurals == PLURAL_FORMS[lang]


def test_russian_uses_three_plural_forms() -> None:
    with language("ru"):
        forms = {
            ngettext("Integrity: {n} problem found", "Integrity: {n} problems found", n)
            for n in (1, 2, 5)
        }
    assert len(forms) == 3


def test_kazakh_is_written_with_kazakh_letters() -> None:
    kazakh_letters = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
    texts = [m.string for m in _catalogue("kk") if m.id and isinstance(m.string, str)]
    joined = "".join(texts)
    assert set(joined) & kazakh_letters, "kk.po must be Kazakh, not Russian"


def test_switching_language_changes_the_text() -> None:
    seen = set()
    for lang in LANGUAGES:
        with language(lang):
            seen.add(_("Adult"))
    assert len(seen) == len(LANGUAGES)


def test_no_message_is_hidden_inside_an_f_string() -> None:
    """The extractor cannot see `_()` inside an f-string: such a text is never translated."""
    import ast

    hidden = []
    for path in sorted((ROOT / "mediatheque").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)
                            and inner.func.id in ("_", "ngettext")):
                        hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert hidden == []

"""tools/guide_pdf.py renders the Markdown user guide to a PDF with its fonts embedded."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pypdfium2

ROOT = Path(__file__).resolve().parents[2]


def _guide_pdf() -> ModuleType:
    spec = importlib.util.spec_from_file_location("guide_pdf", ROOT / "tools" / "guide_pdf.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("guide_pdf", module)
    spec.loader.exec_module(module)
    return module


def _text(path: Path) -> str:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_the_guides_render_with_french_headings_and_cyrillic(tmp_path: Path) -> None:
    guide_pdf = _guide_pdf()
    french = guide_pdf.build_pdf(ROOT / "docs" / "guide" / "fr.md", tmp_path / "guide-fr.pdf")
    russian = guide_pdf.build_pdf(ROOT / "docs" / "guide" / "ru.md", tmp_path / "guide-ru.pdf")
    french_text = _text(french)
    assert "Premier démarrage" in french_text
    assert "Sommaire" in french_text  # the table of contents
    russian_text = _text(russian)
    assert "Кафедра выдачи и сканер" in russian_text
    assert "Содержание" in russian_text
    assert len(pypdfium2.PdfDocument(str(russian))) > 5


def test_the_markdown_subset(tmp_path: Path) -> None:
    guide_pdf = _guide_pdf()
    image = ROOT / "docs" / "guide" / "images" / "catalogue-fr.png"
    source = tmp_path / "test.md"
    source.write_text(
        "# Titre\n\n## Section à lire\n\nDu **gras**, de l’*italique* et du `code` <ici>.\n\n"
        "- un\n- deux\n  suite\n\n1. premier\n2. second\n\n```\nmake run\n```\n\n"
        f"![Légende]({image})\n\n### Sous-section\n\nТекст на казахском: Әуезов, Қазақстан.\n",
        encoding="utf-8",
    )
    blocks = guide_pdf.parse(source.read_text(encoding="utf-8"))
    assert [b.kind for b in blocks] == [
        "heading", "heading", "paragraph", "bullets", "numbers", "code", "image", "heading",
        "paragraph",
    ]
    assert blocks[3].items == ("un", "deux suite")
    assert guide_pdf.inline("**a** *b* `<c>`") == (
        '<b>a</b> <font color="#1f4e79">b</font> <font color="#8b1a1a">&lt;c&gt;</font>'
    )
    text = _text(guide_pdf.build_pdf(source, tmp_path / "out.pdf", language="fr"))
    for expected in ("Section à lire", "premier", "make run", "Légende", "Әуезов, Қазақстан"):
        assert expected in text

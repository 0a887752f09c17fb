"""Renders the user guide (docs/guide/<lang>.md) to PDF (resources/guide/guide-<lang>.pdf).

    python tools/guide_pdf.py                 (or: make guide)
    python tools/guide_pdf.py docs/guide/fr.md --out /tmp/guide-fr.pdf

Only the Markdown the guide uses is understood: `#`, `##`, `###` headings, paragraphs,
**bold**, *italic* (printed in colour: the embedded DejaVu font has no italic) and `code`
spans, `-` bullets and `1.` numbered lists, fenced code blocks and images alone on their line
(`![text](images/…)`, scaled to the page width). A table of contents follows the title. The
fonts are embedded (mediatheque.pdf.fonts) so that Cyrillic and Kazakh letters print.
resources/ is shipped in the wheel and the frozen bundle; the Help menu opens these files.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    Preformatted,
    SimpleDocTemplate,
    Spacer,
)
from reportlab.platypus.tableofcontents import TableOfContents

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mediatheque.pdf.fonts import pdf_fonts  # noqa: E402

GUIDE_DIR = ROOT / "docs" / "guide"
OUTPUT_DIR = ROOT / "resources" / "guide"
LANGUAGES = ("fr", "ru")
CONTENTS_TITLE = {"fr": "Sommaire", "ru": "Содержание"}
ACCENT_HEX = "#1f4e79"
ACCENT = colors.HexColor(ACCENT_HEX)
CODE_COLOUR = "#8b1a1a"
MARGIN = 20 * mm


# Markdown → blocks


@dataclass(frozen=True)
class Block:
    kind: str  # heading, paragraph, bullets, numbers, code, image
    text: str = ""
    level: int = 0
    items: tuple[str, ...] = ()
    target: str = ""


_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_NUMBER = re.compile(r"^\d+[.)]\s+(.*)$")
_IMAGE = re.compile(r"^!\[([^\]]*)\]\(([^)]+)\)\s*$")


def parse(markdown: str) -> list[Block]:
    blocks: list[Block] = []
    lines = markdown.splitlines()
    index = 0
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", " ".join(line.strip() for line in paragraph)))
            paragraph.clear()

    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if stripped.startswith("```"):
            flush()
            code: list[str] = []
            index += 1
            while index < len(lines) and not lines[index].strip().startswith("```"):
                code.append(lines[index])
                index += 1
            blocks.append(Block("code", "\n".join(code)))
            index += 1
            continue
        if not stripped:
            flush()
        elif heading := _HEADING.match(stripped):
            flush()
            blocks.append(Block("heading", heading.group(2).strip(), len(heading.group(1))))
        elif image := _IMAGE.match(stripped):
            flush()
            blocks.append(Block("image", image.group(1), target=image.group(2)))
        elif (kind := _list_kind(stripped)) and not paragraph:
            items: list[str] = []
            while index < len(lines) and lines[index].strip():
                current = lines[index].strip()
                item = _item_text(current, kind)
                if item is not None:
                    items.append(item)
                elif items:  # a continuation line of the previous item
                    items[-1] += " " + current
                index += 1
            blocks.append(Block(kind, items=tuple(items)))
            continue
        else:
            paragraph.append(line)
        index += 1
    flush()
    return blocks


def _list_kind(line: str) -> str | None:
    if _BULLET.match(line):
        return "bullets"
    if _NUMBER.match(line):
        return "numbers"
    return None


def _item_text(line: str, kind: str) -> str | None:
    match = (_BULLET if kind == "bullets" else _NUMBER).match(line)
    return match.group(1) if match else None


_CODE_SPAN = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


def inline(text: str) -> str:
    """Markdown spans → reportlab's paragraph markup (code spans are left untouched)."""
    pieces = _CODE_SPAN.split(text)
    out = []
    for position, raw in enumerate(pieces):
        piece = raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if position % 2:
            out.append(f'<font color="{CODE_COLOUR}">{piece}</font>')
            continue
        piece = _BOLD.sub(r"<b>\1</b>", piece)
        out.append(_ITALIC.sub(rf'<font color="{ACCENT_HEX}">\1</font>', piece))
    return "".join(out)


# blocks → flowables


class GuideTemplate(SimpleDocTemplate):
    """Feeds the table of contents and the PDF outline from the headings."""

    def afterFlowable(self, flowable: Flowable) -> None:
        level = getattr(flowable, "guide_level", None)
        if level is None:
            return
        text = flowable.getPlainText()  # type: ignore[attr-defined]
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, text, self.page, key))


def _styles() -> dict[str, ParagraphStyle]:
    fonts = pdf_fonts()
    # <b> in a paragraph needs the font family; there is no italic face (see the docstring).
    registerFontFamily(
        fonts.regular, normal=fonts.regular, bold=fonts.bold, italic=fonts.regular,
        boldItalic=fonts.bold,
    )
    body = ParagraphStyle(
        "body", fontName=fonts.regular, fontSize=10, leading=14, spaceAfter=5,
        alignment=TA_LEFT,
    )
    return {
        "body": body,
        "title": ParagraphStyle(
            "title", parent=body, fontName=fonts.bold, fontSize=22, leading=28,
            textColor=ACCENT, spaceAfter=14,
        ),
        "h1": ParagraphStyle(
            "h1", parent=body, fontName=fonts.bold, fontSize=15, leading=19, keepWithNext=1,
            textColor=ACCENT, spaceBefore=12, spaceAfter=7,
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=fonts.bold, fontSize=11.5, leading=15, keepWithNext=1,
            spaceBefore=8, spaceAfter=4,
        ),
        "code": ParagraphStyle(
            "code", parent=body, fontSize=7.5, leading=9.5, backColor=colors.HexColor("#f2f2f2"),
            borderPadding=4, spaceBefore=4, spaceAfter=8, leftIndent=4, rightIndent=4,
        ),
        "caption": ParagraphStyle(
            "caption", parent=body, fontSize=8.5, leading=11, textColor=colors.grey,
            spaceAfter=10,
        ),
        "toc1": ParagraphStyle("toc1", parent=body, fontName=fonts.bold, leftIndent=0),
        "toc2": ParagraphStyle("toc2", parent=body, fontSize=9, leading=12, leftIndent=14,
                               spaceAfter=1),
    }


def flowables(blocks: list[Block], base: Path, language: str) -> Iterator[Flowable]:
    styles = _styles()
    width = A4[0] - 2 * MARGIN
    max_height = (A4[1] - 2 * MARGIN) * 0.55
    for block in blocks:
        if block.kind == "heading" and block.level == 1:
            yield Paragraph(inline(block.text), styles["title"])
            toc = TableOfContents(levelStyles=[styles["toc1"], styles["toc2"]], dotsMinLevel=0)
            yield Paragraph(CONTENTS_TITLE.get(language, "Contents"), styles["h1"])
            yield toc
            yield PageBreak()
        elif block.kind == "heading":
            paragraph = Paragraph(inline(block.text), styles["h1" if block.level == 2 else "h2"])
            paragraph.guide_level = block.level - 2  # type: ignore[attr-defined]
            yield paragraph
        elif block.kind == "paragraph":
            yield Paragraph(inline(block.text), styles["body"])
        elif block.kind in ("bullets", "numbers"):
            items = [ListItem(Paragraph(inline(text), styles["body"])) for text in block.items]
            options: dict[str, Any] = (
                {"bulletType": "bullet", "start": "•"} if block.kind == "bullets"
                else {"bulletType": "1", "bulletFormat": "%s."}
            )
            yield ListFlowable(
                items, leftIndent=16, bulletFontName=pdf_fonts().regular, bulletFontSize=10,
                **options,
            )
        elif block.kind == "code":
            characters = int(width / (styles["code"].fontSize * 0.6)) - 2
            yield Preformatted(
                block.text, styles["code"], maxLineLength=characters, newLineChars="  ",
            )
        elif block.kind == "image":
            path = (base / block.target).resolve()
            reader = ImageReader(str(path))
            pixels_wide, pixels_high = reader.getSize()
            scale = min(width / pixels_wide, max_height / pixels_high)
            picture = Image(str(path), pixels_wide * scale, pixels_high * scale)
            parts: list[Flowable] = [Spacer(1, 4), picture]
            if block.text:
                parts.append(Paragraph(inline(block.text), styles["caption"]))
            yield KeepTogether(parts)


def _keep_headings_with_pictures(story: list[Flowable]) -> list[Flowable]:
    """A heading followed by a picture moves to the next page with it (keepWithNext alone
    does not hold against a picture that has to move)."""
    result: list[Flowable] = []
    for flowable in story:
        previous = result[-1] if result else None
        if isinstance(flowable, KeepTogether) and hasattr(previous, "guide_level"):
            result[-1] = KeepTogether([previous, *flowable._content])
        else:
            result.append(flowable)
    return result


def _footer(title: str) -> Any:
    def draw(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(pdf_fonts().regular, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 10 * mm, title)
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, str(document.page))
        canvas.restoreState()

    return draw


def build_pdf(source: Path, output: Path, language: str | None = None) -> Path:
    """Renders one Markdown guide to `output`; images are read relative to `source`."""
    language = language or source.stem
    blocks = parse(source.read_text(encoding="utf-8"))
    title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), "Médiathèque")
    output.parent.mkdir(parents=True, exist_ok=True)
    rl_config.invariant = 1  # the same Markdown gives the same bytes (commit-friendly)
    document = GuideTemplate(
        str(output), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, title=title, author="Médiathèque", lang=language,
    )
    story = _keep_headings_with_pictures(list(flowables(blocks, source.parent, language)))
    footer = _footer(title)
    document.multiBuild(story, onFirstPage=footer, onLaterPages=footer)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", type=Path, help="Markdown files (default: all)")
    parser.add_argument("--out", type=Path, help="output file (one source) or folder")
    arguments = parser.parse_args(argv)
    sources = arguments.sources or [GUIDE_DIR / f"{lang}.md" for lang in LANGUAGES]
    for source in sources:
        if arguments.out and arguments.out.suffix.lower() == ".pdf":
            output = arguments.out
        else:
            output = (arguments.out or OUTPUT_DIR) / f"guide-{source.stem}.pdf"
        build_pdf(source, output)
        print(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())

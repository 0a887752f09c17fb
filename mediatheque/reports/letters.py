"""Overdue letters as one PDF, a letter (one or more pages) per member, each in the
member's preferred language: letterhead, recipient, the titles with their due dates, the
polite text of the settings (or the default one), all in the embedded DejaVu font."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from mediatheque.errors import ReportCancelled
from mediatheque.i18n import language
from mediatheque.pdf.fonts import pdf_fonts
from mediatheque.reports import texts
from mediatheque.reports.files import atomic_output
from mediatheque.reports.notice_settings import NoticeSettings
from mediatheque.reports.notices import Notice
from mediatheque.settings import LibrarySettings

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class _Styles:
    def __init__(self) -> None:
        fonts = pdf_fonts()
        base = ParagraphStyle("base", fontName=fonts.regular, fontSize=10.5, leading=14.5)
        self.body = base
        self.library = ParagraphStyle("library", parent=base, fontName=fonts.bold,
                                      fontSize=15, leading=19,
                                      textColor=colors.HexColor("#1f3b63"))
        self.letterhead = ParagraphStyle("letterhead", parent=base, fontSize=8.5, leading=11,
                                         textColor=colors.HexColor("#555555"))
        self.place = ParagraphStyle("place", parent=base, alignment=TA_RIGHT)
        self.recipient = ParagraphStyle("recipient", parent=base, leftIndent=95 * mm)
        self.title = ParagraphStyle("title", parent=base, fontName=fonts.bold, fontSize=12,
                                    leading=16, spaceBefore=4 * mm, spaceAfter=3 * mm)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=9.5, leading=12)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=fonts.bold,
                                   textColor=colors.white)
        self.small = ParagraphStyle("small", parent=base, fontSize=8.5, leading=11,
                                    textColor=colors.HexColor("#555555"))


def write_letters(
    path: Path,
    notices: Sequence[Notice],
    *,
    library: LibrarySettings,
    settings: NoticeSettings,
    today: date,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Writes the letters to `path` (whole or not at all); returns the number of letters."""
    styles = _Styles()
    story: list[Flowable] = []
    total = len(notices)
    for index, notice in enumerate(notices):
        if cancelled is not None and cancelled():
            raise ReportCancelled(done=index, total=total)
        if index:
            story.append(PageBreak())
        with language(notice.member.language):
            story.extend(_letter(notice, styles, library, settings, today))
        if progress is not None:
            progress(index + 1, total)
    if not story:
        story.append(Paragraph("", styles.body))
    with atomic_output(path) as temporary:
        document = SimpleDocTemplate(
            str(temporary), pagesize=A4, leftMargin=22 * mm, rightMargin=20 * mm,
            topMargin=18 * mm, bottomMargin=18 * mm,
            title=library.name, author=library.name, creator="Médiathèque",
        )
        document.build(story)
    return total


def _paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    """Blank lines separate paragraphs; single line breaks are kept."""
    result: list[Flowable] = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        if block.strip():
            result.append(Paragraph(escape(block.strip()).replace("\n", "<br/>"), style))
            result.append(Spacer(1, 2.5 * mm))
    return result


def _letter(
    notice: Notice, styles: _Styles, library: LibrarySettings, settings: NoticeSettings,
    today: date,
) -> list[Flowable]:
    member = notice.member
    story: list[Flowable] = [Paragraph(escape(library.name), styles.library)]
    if settings.letterhead:
        story.append(Paragraph(escape(settings.letterhead).replace("\n", " · "),
                               styles.letterhead))
    story.append(HRFlowable(width="100%", thickness=0.8, color=colors.HexColor("#1f3b63"),
                            spaceBefore=2 * mm, spaceAfter=6 * mm))
    recipient = [escape(member.name)]
    if member.address:
        recipient.extend(escape(line.strip()) for line in member.address.splitlines()
                         if line.strip())
    recipient.append(escape(texts.card_line(member.barcode)))
    story.append(Paragraph("<br/>".join(recipient), styles.recipient))
    story.append(Spacer(1, 8 * mm))
    place = f"{library.city}, " if library.city else ""
    story.append(Paragraph(escape(place + texts.long_date(today)), styles.place))
    story.append(Paragraph(escape(texts.level_title(notice.level)), styles.title))
    story.append(Paragraph(escape(texts.greeting(member.name)), styles.body))
    story.append(Spacer(1, 2.5 * mm))
    body = settings.text(member.language) or texts.default_text(notice.level)
    story.extend(_paragraphs(body, styles.body))
    story.append(_loans_table(notice, styles))
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph(escape(texts.closing()), styles.body))
    story.append(Spacer(1, 8 * mm))
    signature = settings.signature or library.name
    story.extend(_paragraphs(signature, styles.body))
    return story


def _loans_table(notice: Notice, styles: _Styles) -> Table:
    head = [Paragraph(escape(text), styles.head) for text in texts.column_titles()]
    rows: list[list[object]] = [head]
    for loan in notice.member.loans:
        rows.append([
            Paragraph(escape(loan.title), styles.cell),
            Paragraph(escape(loan.copy_barcode), styles.cell),
            Paragraph(escape(texts.short_date(loan.due_on)), styles.cell),
            Paragraph(str(loan.days_late), styles.cell),
        ])
    table = Table(rows, colWidths=[66 * mm, 31 * mm, 35 * mm, 31 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f3b63")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eef2f7")]),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#b8c4d6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table

"""A member's own data, on request (their right of access): who they are for the library,
their cards, loans (current, and past ones still linked to them), holds, and what the audit
trail recorded about them. As JSON for a machine, as a PDF in the member's language."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from mediatheque import formatting
from mediatheque.audit import record_audit
from mediatheque.errors import UnknownBarcode
from mediatheque.i18n import LANGUAGE_NAMES, LANGUAGES, _, language
from mediatheque.models import AuditEntry, Copy, Hold, Loan, Member, Record, ReplacedCard
from mediatheque.permissions import Actor, Permission
from mediatheque.reports.files import atomic_output, suffix_of
from mediatheque.settings import load_library_settings

FORMATS = (".json", ".pdf")


def export_member_data(
    session: Session, actor: Actor, barcode: str, *, now: datetime
) -> dict[str, Any]:
    """Everything the library holds about the member with this card (current or replaced),
    as plain JSON-ready values. The export itself is audited (member id only)."""
    actor.require(Permission.MEMBERS)
    member = _member(session, barcode.strip())
    library = load_library_settings(session)
    data: dict[str, Any] = {
        "exported_at": now.isoformat(),
        "library": library.name,
        "timezone": library.timezone,
        "member": {
            "barcode": member.barcode,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "email": member.email,
            "phone": member.phone,
            "address": member.address,
            "preferred_language": member.preferred_language,
            "category": member.category.name,
            "membership_start": member.membership_start.isoformat(),
            "membership_expiry": member.membership_expiry.isoformat(),
            "status": member.status,
            "history_opt_in": member.history_opt_in,
            "notes": member.notes,
            "created_at": member.created_at.isoformat(),
            "updated_at": member.updated_at.isoformat(),
        },
        "replaced_cards": [
            {"barcode": card.barcode, "replaced_at": card.replaced_at.isoformat()}
            for card in session.scalars(
                select(ReplacedCard).where(ReplacedCard.member_id == member.id)
                .order_by(ReplacedCard.replaced_at)
            )
        ],
        "loans": _loans(session, member.id),
        "holds": [
            {"title": title, "placed_at": hold.placed_at.isoformat(), "status": hold.status}
            for hold, title in session.execute(
                select(Hold, Record.title).join(Record, Record.id == Hold.record_id)
                .where(Hold.member_id == member.id).order_by(Hold.placed_at, Hold.id)
            )
        ],
        "audit": [
            {"recorded_at": entry.recorded_at.isoformat(), "actor": entry.actor,
             "action": entry.action}
            for entry in session.scalars(
                select(AuditEntry).where(AuditEntry.entity == "member",
                                         AuditEntry.entity_id == str(member.id))
                .order_by(AuditEntry.recorded_at, AuditEntry.id)
            )
        ],
    }
    record_audit(session, actor, action="member_data_export", entity="member",
                 entity_id=member.id, now=now, details={})
    return data


def _member(session: Session, barcode: str) -> Member:
    member = session.scalar(select(Member).where(Member.barcode == barcode))
    if member is None:
        replaced = session.get(ReplacedCard, barcode)
        member = session.get(Member, replaced.member_id) if replaced is not None else None
    if member is None:
        raise UnknownBarcode(barcode)
    return member


def _loans(session: Session, member_id: int) -> list[dict[str, Any]]:
    query = (
        select(Loan, Record.title, Copy.barcode)
        .outerjoin(Record, Record.id == Loan.record_id)
        .outerjoin(Copy, Copy.id == Loan.copy_id)
        .where(Loan.member_id == member_id)
        .order_by(Loan.loaned_at, Loan.id)
    )
    return [
        {
            "title": title,
            "copy": copy_barcode,
            "loaned_at": loan.loaned_at.isoformat(),
            "due_on": loan.due_on.isoformat(),
            "returned_at": loan.returned_at.isoformat() if loan.returned_at else None,
            "renewals": loan.renewals,
        }
        for loan, title, copy_barcode in session.execute(query)
    ]


def write_member_data(data: dict[str, Any], path: Path) -> Path:
    """Writes the export as JSON or PDF (from the file's extension), whole or not at all."""
    suffix = suffix_of(path, FORMATS)
    with atomic_output(path) as temporary:
        if suffix == ".json":
            temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                                 encoding="utf-8")
        else:
            wanted = data["member"].get("preferred_language")
            with language(wanted if wanted in LANGUAGES else "fr"):
                _write_pdf(data, temporary)
    return path


def _zone(name: object) -> ZoneInfo:
    try:
        return ZoneInfo(str(name)) if name else ZoneInfo("Asia/Almaty")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Almaty")


def _write_pdf(data: dict[str, Any], path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from mediatheque.pdf.fonts import pdf_fonts

    fonts = pdf_fonts()
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=10, leading=13.5)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5)
    title = ParagraphStyle("title", parent=body, fontName=fonts.bold, fontSize=15, leading=19,
                           textColor=colors.HexColor("#1f3b63"))
    heading = ParagraphStyle("heading", parent=body, fontName=fonts.bold, fontSize=11.5,
                             leading=15, spaceBefore=5 * mm, spaceAfter=2 * mm)
    member = data["member"]

    def table(rows: list[list[str]], widths: list[float], header: bool = True) -> Table:
        made = Table([[Paragraph(escape(str(v)), cell) for v in row] for row in rows],
                     colWidths=widths, repeatRows=1 if header else 0)
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc"))]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf4")))
        made.setStyle(TableStyle(style))
        return made

    zone = _zone(data.get("timezone"))

    def when(text: str | None) -> str:
        """An instant or a day of the export, as the member's language writes it."""
        if not text:
            return "—"
        try:
            instant = datetime.fromisoformat(text)
        except ValueError:
            return day(text)
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
        return formatting.moment(instant, zone)

    def day(text: str | None) -> str:
        if not text:
            return "—"
        try:
            return formatting.short_day(date.fromisoformat(text[:10]))
        except ValueError:
            return text

    story: list[Any] = [
        Paragraph(escape(data["library"] or "Médiathèque"), title),
        Paragraph(escape(_("Personal data held about {name}").format(
            name=f"{member['first_name']} {member['last_name']}")), heading),
        Paragraph(escape(_("Exported on {when}.").format(when=when(data["exported_at"]))),
                  body),
        Spacer(1, 3 * mm),
    ]
    yes, no = _("yes"), _("no")
    identity = [
        [_("Card"), member["barcode"]],
        [_("First name"), member["first_name"]],
        [_("Last name"), member["last_name"]],
        [_("E-mail"), member["email"] or "—"],
        [_("Phone"), member["phone"] or "—"],
        [_("Address"), member["address"] or "—"],
        [_("Language"), LANGUAGE_NAMES.get(member["preferred_language"],
                                           member["preferred_language"])],
        [_("Category"), member["category"]],
        [_("Membership"),
         f"{day(member['membership_start'])} → {day(member['membership_expiry'])}"],
        [_("Status"), member["status"]],
        [_("Keeps reading history"), yes if member["history_opt_in"] else no],
        [_("Notes"), member["notes"] or "—"],
        [_("Registered"), when(member["created_at"])],
    ]
    story.append(table(identity, [55 * mm, 110 * mm], header=False))
    if data["replaced_cards"]:
        story.append(Paragraph(escape(_("Replaced cards")), heading))
        story.append(table([[_("Card"), _("Replaced")]] + [
            [card["barcode"], when(card["replaced_at"])] for card in data["replaced_cards"]
        ], [55 * mm, 110 * mm]))
    story.append(Paragraph(escape(_("Loans")), heading))
    if data["loans"]:
        story.append(table([[_("Title"), _("Copy"), _("Borrowed"), _("Due"), _("Returned")]] + [
            [loan["title"] or "—", loan["copy"] or "—", when(loan["loaned_at"]),
             day(loan["due_on"]), when(loan["returned_at"])] for loan in data["loans"]
        ], [62 * mm, 25 * mm, 28 * mm, 22 * mm, 28 * mm]))
    else:
        story.append(Paragraph(escape(_("None: returned loans are anonymised.")), body))
    if data["holds"]:
        story.append(Paragraph(escape(_("Holds")), heading))
        story.append(table([[_("Title"), _("Placed"), _("Status")]] + [
            [hold["title"], when(hold["placed_at"]), hold["status"]] for hold in data["holds"]
        ], [95 * mm, 35 * mm, 35 * mm]))
    story.append(Paragraph(escape(_("Changes recorded about this member")), heading))
    story.append(table([[_("When"), _("By"), _("Action")]] + [
        [when(entry["recorded_at"]), entry["actor"], entry["action"]] for entry in data["audit"]
    ], [40 * mm, 40 * mm, 85 * mm]))
    document = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=22 * mm, rightMargin=20 * mm, topMargin=18 * mm,
        bottomMargin=18 * mm, title=_("Personal data"), creator="Médiathèque",
    )
    document.build(story)

"""The chosen member on the Members page: card, contact, category, membership (in red
once expired), current loans and holds."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from mediatheque.formatting import long_day, number, short_day
from mediatheque.i18n import LANGUAGE_NAMES, _, ngettext
from mediatheque.members.reading import MemberDetails
from mediatheque.ui.members_table import EXPIRED_COLOUR


def _unbroken(text: str) -> str:
    """A date that never breaks over two lines in the narrow pane."""
    return text.replace(" ", "\u00a0")


class MemberDetailPane(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details: MemberDetails | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(self.label)
        layout.addStretch(1)
        self.setWidget(inner)
        self.setWidgetResizable(True)
        self.clear()

    def retranslate(self) -> None:
        if self.details is None:
            self.clear()
        else:
            self.show_member(self.details)

    def clear(self) -> None:
        self.details = None
        self.label.setText(_("Choose a member in the list."))

    def show_member(self, details: MemberDetails) -> None:
        self.details = details
        lines = [f"<h2>{escape(details.last_name)} {escape(details.first_name)}</h2>",
                 "<p>" + _("Card: {barcode}").format(barcode=f"<b>{escape(details.barcode)}</b>")
                 + "</p>"]
        expiry = long_day(details.membership_expiry)
        if details.expired:
            membership = "<span style='color:{c}'><b>{t}</b></span>".format(
                c=EXPIRED_COLOUR, t=escape(_("Membership expired on {date}").format(date=expiry)))
        else:
            membership = escape(_("Member until {date}").format(date=expiry))
        lines.append(f"<p>{escape(details.category_name)}<br>{membership}</p>")
        if details.status == "blocked":
            lines.append("<p style='color:{c}'><b>{t}</b></p>".format(
                c=EXPIRED_COLOUR, t=escape(_("Blocked"))))
        contact = [escape(c) for c in (details.email, details.phone, details.address) if c]
        lines.append("<p>" + ("<br>".join(contact) if contact else escape(_("No contact")))
                     + "</p>")
        lines.append("<p>" + escape(_("Language: {language}").format(
            language=LANGUAGE_NAMES.get(details.preferred_language,
                                        details.preferred_language))) + "</p>")
        loans = len(details.loans)
        overdue = sum(1 for loan in details.loans if loan.overdue)
        text = ngettext("{n} current loan", "{n} current loans", loans).format(n=loans)
        if overdue:
            text += " — " + ngettext("{n} overdue", "{n} overdue", overdue).format(n=overdue)
        lines.append(f"<p><b>{escape(text)}</b></p>")
        if details.loans:
            lines.append("<ul>" + "".join(
                f"<li>{escape(loan.title)} — {_unbroken(short_day(loan.due_on))}</li>"
                for loan in details.loans) + "</ul>")
        if details.holds:
            lines.append("<p>" + escape(ngettext("{n} hold", "{n} holds", len(details.holds))
                                        .format(n=len(details.holds))) + "</p>")
        lines.append("<p>" + escape(_("Loans in all: {n}").format(n=number(details.loans_in_all)))
                     + "</p>")
        if details.replaced_cards:
            lines.append("<p>" + escape(_("Replaced cards (refused): {codes}").format(
                codes=", ".join(details.replaced_cards))) + "</p>")
        if details.notes:
            lines.append("<p><i>" + escape(details.notes).replace("\n", "<br>") + "</i></p>")
        self.label.setText("".join(lines))

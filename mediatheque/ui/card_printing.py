"""Printing member cards: the layout (card printer or A4 sheets of 10), which members,
then preview → print or save as PDF. `open_card_printing` is what the Members page calls."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from mediatheque.db import Database
from mediatheque.i18n import _, ngettext
from mediatheque.models import MemberCategory
from mediatheque.permissions import Actor
from mediatheque.printing.batches import CardSelection
from mediatheque.printing.cards import CardLayout
from mediatheque.printing.document import PrintResult
from mediatheque.printing.service import print_member_cards
from mediatheque.printing.settings import load_printing_settings
from mediatheque.ui.context import AppContext
from mediatheque.ui.formatting import day_edit_format
from mediatheque.ui.print_batch import BatchPrintDialog, run_dialog


def render_cards(database: Database, actor: Actor, selection: CardSelection,
                 layout: CardLayout, **kwargs: Any) -> PrintResult:
    with database.read() as session:
        return print_member_cards(session, actor, selection, layout=layout, **kwargs)


def _load_choices(database: Database) -> tuple[str, list[tuple[int, str]]]:
    with database.read() as session:
        layout = load_printing_settings(session).card_layout
        categories = [(row.id, row.name) for row in session.execute(
            select(MemberCategory.id, MemberCategory.name).order_by(MemberCategory.name))]
    return layout, categories


class CardPrintingDialog(BatchPrintDialog):
    def __init__(self, context: AppContext, member_ids: Sequence[int] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.member_ids = tuple(member_ids)
        default_layout, categories = _load_choices(context.database)

        self.layout_box = QGroupBox()
        self.cr80 = QRadioButton()
        self.a4 = QRadioButton()
        (self.a4 if default_layout == CardLayout.A4 else self.cr80).setChecked(True)
        box = QVBoxLayout(self.layout_box)
        box.addWidget(self.cr80)
        box.addWidget(self.a4)

        self.members_box = QGroupBox()
        self.given = QRadioButton()
        self.since = QRadioButton()
        self.category = QRadioButton()
        self.everyone = QRadioButton()
        self.choice = QButtonGroup(self)
        for button in (self.given, self.since, self.category, self.everyone):
            self.choice.addButton(button)
        self.since_date = QDateEdit()
        self.since_date.setCalendarPopup(True)
        self.since_date.setDisplayFormat(day_edit_format())
        today = context.clock().astimezone(context.library().zone).date()
        start = today - timedelta(days=7)
        self.since_date.setDate(QDate(start.year, start.month, start.day))
        self.category_combo = QComboBox()
        for category_id, name in categories:
            self.category_combo.addItem(name, category_id)
        grid = QGridLayout(self.members_box)
        grid.addWidget(self.given, 0, 0, 1, 2)
        grid.addWidget(self.since, 1, 0)
        grid.addWidget(self.since_date, 1, 1)
        grid.addWidget(self.category, 2, 0)
        grid.addWidget(self.category_combo, 2, 1)
        grid.addWidget(self.everyone, 3, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self.given.setVisible(bool(self.member_ids))
        (self.given if self.member_ids else self.since).setChecked(True)
        self.since_date.dateChanged.connect(lambda _d: self.since.setChecked(True))
        self.category_combo.activated.connect(lambda _i: self.category.setChecked(True))

        self.form_layout.addWidget(self.layout_box)
        self.form_layout.addWidget(self.members_box)
        self.retranslate()
        self.resize(520, 0)

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Print member cards"))
        self.layout_box.setTitle(_("Layout"))
        self.cr80.setText(_("One card per page (card printer, CR80 85.6 × 54 mm)"))
        self.a4.setText(_("A4 sheets of 10 cards with crop marks (office printer)"))
        self.members_box.setTitle(_("Members"))
        self.given.setText(ngettext("The chosen member ({count})", "The chosen members ({count})",
                                    len(self.member_ids)).format(count=len(self.member_ids)))
        self.since.setText(_("Registered since"))
        self.category.setText(_("Of the category"))
        self.everyone.setText(_("Every active member"))

    def selection(self) -> CardSelection:
        if self.given.isChecked():
            return CardSelection(member_ids=self.member_ids)
        if self.since.isChecked():
            chosen = self.since_date.date()
            return CardSelection(registered_since=date(chosen.year(), chosen.month(),
                                                       chosen.day()))
        if self.category.isChecked() and self.category_combo.currentIndex() >= 0:
            return CardSelection(category_id=int(self.category_combo.currentData()))
        return CardSelection(all_members=True)

    def layout_choice(self) -> CardLayout:
        return CardLayout.A4 if self.a4.isChecked() else CardLayout.CR80

    def work(self) -> Callable[..., PrintResult]:
        return partial(render_cards, self.context.database, self.context.actor,
                       self.selection(), self.layout_choice())

    def suggested_name(self) -> str:
        return "cards.pdf"

    def summary(self, result: PrintResult) -> str:
        cards = ngettext("{count} card", "{count} cards", result.count).format(
            count=result.count)
        pages = ngettext("{pages} page", "{pages} pages", result.pages).format(
            pages=result.pages)
        return _("{cards}, {pages}.").format(cards=cards, pages=pages)


def open_card_printing(parent: QWidget | None, context: AppContext,
                       member_ids: Sequence[int] = ()) -> CardPrintingDialog:
    """The card printing dialog, for the given members (ids) or a batch chosen in it."""
    dialog = CardPrintingDialog(context, member_ids, parent)
    run_dialog(dialog)
    return dialog

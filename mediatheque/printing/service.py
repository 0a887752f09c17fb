"""The two printing services: member cards and copy labels, from a selection to PDF bytes
(`PrintResult.write(path)` saves them). Settings (library name, logo, calibration, label
sheet) come from the database unless given."""

from __future__ import annotations

from sqlalchemy.orm import Session

from mediatheque.permissions import Actor, Permission
from mediatheque.printing.batches import (
    CardSelection,
    LabelSelection,
    card_data,
    label_data,
    library_short_name,
)
from mediatheque.printing.cards import CardLayout, CardOptions, render_cards
from mediatheque.printing.document import Cancelled, PrintResult, Progress
from mediatheque.printing.labels import (
    LABEL_PRESETS,
    LabelGrid,
    LabelOptions,
    check_start,
    render_labels,
)
from mediatheque.printing.settings import load_printing_settings
from mediatheque.settings import load_library_settings


def print_member_cards(session: Session, actor: Actor, selection: CardSelection, *,
                       layout: CardLayout | None = None, progress: Progress | None = None,
                       cancelled: Cancelled | None = None) -> PrintResult:
    """Cards of the selected members, laid out as `layout` (default: the printing
    settings'), with the library's name, logo and card calibration."""
    actor.require(Permission.MEMBERS)
    printing = load_printing_settings(session)
    options = CardOptions(
        library_name=load_library_settings(session).name,
        layout=CardLayout(layout or printing.card_layout),
        logo_path=printing.logo_path,
        calibration=printing.card_calibration,
    )
    cards = card_data(session, actor, selection)
    return render_cards(cards, options, progress=progress, cancelled=cancelled)


def print_copy_labels(session: Session, actor: Actor, selection: LabelSelection, *,
                      grid: LabelGrid | None = None, start: int = 1,
                      progress: Progress | None = None,
                      cancelled: Cancelled | None = None) -> PrintResult:
    """Labels of the selected copies on sheets of `grid` (default: the printing settings'
    preset), the first one at position `start` (1-based) of the first sheet."""
    actor.require(Permission.CATALOGUE)
    printing = load_printing_settings(session)
    sheet = (grid or LABEL_PRESETS.get(printing.label_preset, LABEL_PRESETS["3x8"])).validated()
    check_start(sheet, start)
    options = LabelOptions(
        short_name=library_short_name(load_library_settings(session)),
        grid=sheet, start=start, calibration=printing.label_calibration,
    )
    labels = label_data(session, actor, selection)
    return render_labels(labels, options, progress=progress, cancelled=cancelled)

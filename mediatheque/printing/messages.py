"""Sentences for the printing errors (cards and labels)."""

from __future__ import annotations

from mediatheque import errors
from mediatheque.i18n import _
from mediatheque.printing.document import PrintWarning


def describe(error: errors.MediathequeError) -> str | None:
    match error:
        case errors.BarcodeTooWide():
            return _(
                "The barcode {barcode} is too long to print here: it needs {width} mm and "
                "only {available} mm are available. Choose larger labels."
            ).format(barcode=error.barcode, width=f"{error.width_mm:.0f}",
                     available=f"{error.available_mm:.0f}")
        case errors.UnprintableBarcode():
            return _(
                "The barcode {barcode} holds characters a Code 128 barcode cannot print; "
                "give this card or copy a new barcode."
            ).format(barcode=error.barcode)
        case errors.LabelStartBeyondSheet():
            return _(
                "Label position {start} is not on the sheet: it has positions 1 to "
                "{capacity}."
            ).format(start=error.start, capacity=error.capacity)
        case errors.NothingToPrint():
            if error.what == "labels":
                return _("No copy matches: there are no labels to print.")
            return _("No member matches: there are no cards to print.")
        case errors.PrintingCancelled():
            return _("Printing was cancelled after {done} of {total}; no file was written."
                     ).format(done=error.done, total=error.total)
    return None


def describe_warning(warning: PrintWarning) -> str:
    if warning.code == "logo_missing":
        return _("Warning: the logo {path} was not found; the cards were printed without "
                 "it.").format(path=warning.path)
    return _("Warning: the logo {path} is not a readable image; the cards were printed "
             "without it.").format(path=warning.path)

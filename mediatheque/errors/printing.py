"""Errors of printing cards and labels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from mediatheque.errors.base import MediathequeError


@dataclass
class BarcodeTooWide(MediathequeError):
    """A barcode does not fit on a card or label even at the narrowest printable module."""

    barcode: str
    width_mm: float
    available_mm: float
    code: ClassVar[str] = "barcode_too_wide"

    def __str__(self) -> str:
        return (f"barcode {self.barcode!r} needs {self.width_mm:.1f} mm, "
                f"only {self.available_mm:.1f} mm available")

    def details(self) -> dict[str, object]:
        return {"barcode": self.barcode, "width_mm": round(self.width_mm, 1),
                "available_mm": round(self.available_mm, 1)}


@dataclass
class UnprintableBarcode(MediathequeError):
    """A barcode holds characters Code 128 cannot encode (e.g. Cyrillic letters)."""

    barcode: str
    code: ClassVar[str] = "unprintable_barcode"

    def __str__(self) -> str:
        return f"barcode {self.barcode!r} cannot be printed as Code 128"

    def details(self) -> dict[str, object]:
        return {"barcode": self.barcode}


@dataclass
class LabelStartBeyondSheet(MediathequeError):
    """The first label position asked for is not on the sheet (positions 1..capacity)."""

    start: int
    capacity: int
    code: ClassVar[str] = "label_start_beyond_sheet"

    def __str__(self) -> str:
        return f"label position {self.start} is not on a sheet of {self.capacity} labels"

    def details(self) -> dict[str, object]:
        return {"start": self.start, "capacity": self.capacity}


@dataclass
class NothingToPrint(MediathequeError):
    """The selection for cards (`what` = "cards") or labels ("labels") is empty."""

    what: str
    code: ClassVar[str] = "nothing_to_print"

    def __str__(self) -> str:
        return f"no {self.what} to print"

    def details(self) -> dict[str, object]:
        return {"what": self.what}


@dataclass
class PrintingCancelled(MediathequeError):
    """The person cancelled rendering cards or labels; no file was written."""

    done: int
    total: int
    code: ClassVar[str] = "cancelled"

    def __str__(self) -> str:
        return f"printing cancelled after {self.done} of {self.total}"

    def details(self) -> dict[str, object]:
        return {"done": self.done, "total": self.total}

"""Copy labels: every barcode decodes at 203 and 300 dpi on every preset sheet, from any
start position, with calibration; a start beyond the sheet is refused before any output."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mediatheque.db import Database
from mediatheque.errors import (
    BarcodeTooWide,
    InvalidValue,
    LabelStartBeyondSheet,
    NothingToPrint,
    PermissionDenied,
    UnknownBarcode,
)
from mediatheque.library import initialise_library
from mediatheque.permissions import Actor
from mediatheque.printing.batches import LabelSelection
from mediatheque.printing.labels import (
    LABEL_PRESETS,
    LabelData,
    LabelGrid,
    LabelOptions,
    render_labels,
)
from mediatheque.printing.service import print_copy_labels
from mediatheque.printing.settings import Calibration, PrintingSettings, save_printing_settings
from mediatheque.settings import LibrarySettings
from tests.core.printing_helpers import (
    DPIS,
    add_copies,
    decode_pdf,
    decoded_texts,
    page_count,
    page_texts,
)

LIBRARIAN = Actor(login="lib", role="librarian")
DIRECTOR = Actor(login="dir", role="director")
CUSTOM = LabelGrid(2, 6, 90.0, 45.0, left_mm=12.0, top_mm=10.0, column_gap_mm=6.0,
                   row_gap_mm=2.0)


def _labels(count: int) -> list[LabelData]:
    calls = ["843.914 HUG m", "", "FLE A2 GRE", "891.7 ПУШ е", "ҚАЗ 894.3 АБА"]
    return [LabelData(f"1002{index:07d}{index % 10}", calls[index % len(calls)])
            for index in range(count)]


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("grid", [*LABEL_PRESETS.values(), CUSTOM],
                         ids=[*LABEL_PRESETS, "custom"])
def test_every_label_decodes_on_every_sheet(grid: LabelGrid, dpi: int) -> None:
    labels = _labels(grid.capacity + 3)  # a full sheet and three on the next
    result = render_labels(labels, LabelOptions("AF Almaty", grid=grid))
    assert decoded_texts(result.pdf, dpi) == sorted(label.barcode for label in labels)
    assert result.pages == page_count(result.pdf) == 2


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("preset", list(LABEL_PRESETS))
def test_start_position_reuses_a_partly_used_sheet(preset: str, dpi: int) -> None:
    grid = LABEL_PRESETS[preset]
    start = grid.columns + 2  # second row, second label
    labels = _labels(grid.capacity - start + 1 + 1)  # fills the first sheet, one more
    result = render_labels(labels, LabelOptions("AF", grid=grid, start=start))
    decoded = decode_pdf(result.pdf, dpi)
    assert sorted(item.text for item in decoded) == sorted(label.barcode for label in labels)
    assert result.pages == 2
    first = next(item for item in decoded if item.text == labels[0].barcode)
    assert first.page == 0
    left = grid.left_mm + (grid.label_width_mm + grid.column_gap_mm)
    top = grid.top_mm + (grid.label_height_mm + grid.row_gap_mm)
    assert left < first.x < left + grid.label_width_mm
    assert top < first.y < top + grid.label_height_mm
    last = next(item for item in decoded if item.text == labels[-1].barcode)
    assert last.page == 1
    assert grid.left_mm < last.x < grid.left_mm + grid.label_width_mm
    assert grid.top_mm < last.y < grid.top_mm + grid.label_height_mm


@pytest.mark.parametrize("dpi", DPIS)
@pytest.mark.parametrize("calibration", [Calibration(3, -2, 100), Calibration(-2, 1.5, 98),
                                         Calibration(0, 0, 102)],
                         ids=["offset", "offset-shrink", "stretch"])
def test_labels_decode_with_calibration(calibration: Calibration, dpi: int) -> None:
    grid = LABEL_PRESETS["4x10"]
    labels = _labels(grid.capacity)
    result = render_labels(labels, LabelOptions("AF", grid=grid, start=1,
                                                calibration=calibration))
    assert decoded_texts(result.pdf, dpi) == sorted(label.barcode for label in labels)


@pytest.mark.parametrize("start", [0, -1, 25, 1000])
def test_start_beyond_the_sheet_is_refused(start: int) -> None:
    with pytest.raises(LabelStartBeyondSheet) as raised:
        render_labels(_labels(2), LabelOptions("AF", grid=LABEL_PRESETS["3x8"], start=start))
    assert raised.value.capacity == 24
    assert raised.value.details() == {"start": start, "capacity": 24}


@pytest.mark.parametrize("grid", [
    LabelGrid(0, 8, 70, 37, 0, 0), LabelGrid(3, 8, 80, 37, 0, 0), LabelGrid(3, 9, 70, 37, 0, 0),
    LabelGrid(3, 8, 10, 37, 0, 0), LabelGrid(3, 8, 60, 30, -1, 0),
])
def test_impossible_grid_is_refused(grid: LabelGrid) -> None:
    with pytest.raises(InvalidValue):
        render_labels(_labels(1), LabelOptions("AF", grid=grid))


def test_a_barcode_too_long_for_the_label_is_refused_before_output() -> None:
    grid = LabelGrid(5, 10, 30, 25, 10, 10)
    with pytest.raises(BarcodeTooWide):
        render_labels([LabelData("100200000015", "")], LabelOptions("AF", grid=grid))


def test_label_text_short_name_and_call_number() -> None:
    result = render_labels(_labels(5), LabelOptions("Médiathèque AF Almaty",
                                                    grid=LABEL_PRESETS["3x7"]))
    text = page_texts(result.pdf)[0]
    assert "Médiathèque AF Almaty" in text
    assert "ҚАЗ 894.3 АБА" in text and "891.7 ПУШ е" in text


def _library(database: Database) -> None:
    with database.write() as session:
        initialise_library(session, LibrarySettings(name="Alliance Française d'Almaty",
                                                    code="KZ-ALA", short_name="AF Almaty"))


def test_label_batches_from_the_database(database: Database) -> None:
    _library(database)
    with database.write() as session:
        add_copies(session, ["100200000015", "OLD-42"],
                   created=datetime(2026, 10, 1, tzinfo=UTC))
        add_copies(session, ["100200000023", "100200000031"], call_number="891.7 ПУШ е",
                   created=datetime(2026, 11, 20, 19, 0, tzinfo=UTC))
        save_printing_settings(session, PrintingSettings(label_preset="4x10", label_x_mm=2))
    with database.read() as session:
        chosen = print_copy_labels(session, LIBRARIAN,
                                   LabelSelection(barcodes=("OLD-42", "100200000023")), start=39)
        since = print_copy_labels(session, LIBRARIAN,
                                  LabelSelection(catalogued_since=date(2026, 11, 21)))
    for dpi in DPIS:
        assert decoded_texts(chosen.pdf, dpi) == ["100200000023", "OLD-42"]
        assert decoded_texts(since.pdf, dpi) == ["100200000023", "100200000031"]
    assert chosen.pages == 1 and chosen.count == 2  # positions 39 and 40 of the 4 × 10 sheet
    assert "AF Almaty" in page_texts(since.pdf)[0]


def test_label_batch_errors(database: Database) -> None:
    _library(database)
    with database.write() as session:
        add_copies(session, ["100200000015"])
    with database.read() as session:
        with pytest.raises(UnknownBarcode):
            print_copy_labels(session, LIBRARIAN, LabelSelection(barcodes=("NOPE",)))
        with pytest.raises(NothingToPrint):
            print_copy_labels(session, LIBRARIAN,
                              LabelSelection(catalogued_since=date(2030, 1, 1)))
        with pytest.raises(LabelStartBeyondSheet):
            print_copy_labels(session, LIBRARIAN, LabelSelection(barcodes=("100200000015",)),
                              start=25)
        with pytest.raises(PermissionDenied):
            print_copy_labels(session, DIRECTOR, LabelSelection(barcodes=("100200000015",)))

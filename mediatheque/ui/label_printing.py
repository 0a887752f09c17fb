"""Printing copy labels: the sheet (a preset or a custom grid), the first free position on
a partly used sheet (shown on a small diagram, click to choose), which copies, then
preview → print or save as PDF. `open_label_printing` is what the Catalogue page calls."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import QDate, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from mediatheque.db import Database
from mediatheque.errors import InvalidValue
from mediatheque.i18n import _, ngettext
from mediatheque.messages import describe_error
from mediatheque.permissions import Actor
from mediatheque.printing.batches import LabelSelection
from mediatheque.printing.document import PrintResult
from mediatheque.printing.labels import A4_HEIGHT_MM, A4_WIDTH_MM, LABEL_PRESETS, LabelGrid
from mediatheque.printing.service import print_copy_labels
from mediatheque.printing.settings import load_printing_settings
from mediatheque.ui.context import AppContext
from mediatheque.ui.formatting import day_edit_format
from mediatheque.ui.print_batch import BatchPrintDialog, run_dialog

CUSTOM = "custom"


def render_labels(database: Database, actor: Actor, selection: LabelSelection,
                  grid: LabelGrid, start: int, **kwargs: Any) -> PrintResult:
    with database.read() as session:
        return print_copy_labels(session, actor, selection, grid=grid, start=start, **kwargs)


def preset_name(key: str) -> str:
    grid = LABEL_PRESETS[key]
    return _("{columns} × {rows} labels of {width} × {height} mm").format(
        columns=grid.columns, rows=grid.rows, width=f"{grid.label_width_mm:g}",
        height=f"{grid.label_height_mm:g}")


def grid_problem(error: InvalidValue) -> str:
    if error.field in ("columns", "rows"):
        return _("With these sizes the labels do not fit on an A4 sheet (210 × 297 mm).")
    return describe_error(error)


class SheetDiagram(QWidget):
    """An A4 sheet in miniature: used positions greyed, the first label to print in
    colour. Clicking a position chooses it."""

    start_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid: LabelGrid | None = None
        self.start = 1
        self.count = 0
        self.setMinimumSize(QSize(150, 212))
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:
        return QSize(170, 240)

    def set_state(self, grid: LabelGrid | None, start: int, count: int) -> None:
        self.grid, self.start, self.count = grid, start, count
        self.update()

    def _sheet_rect(self) -> QRectF:
        height = self.height() - 4
        width = height * A4_WIDTH_MM / A4_HEIGHT_MM
        if width > self.width() - 4:
            width = self.width() - 4
            height = width * A4_HEIGHT_MM / A4_WIDTH_MM
        return QRectF((self.width() - width) / 2, 2, width, height)

    def _cell_rect(self, sheet: QRectF, position: int) -> QRectF:
        assert self.grid is not None
        grid = self.grid
        scale = sheet.width() / A4_WIDTH_MM
        row, column = divmod(position, grid.columns)
        x = grid.left_mm + column * (grid.label_width_mm + grid.column_gap_mm)
        y = grid.top_mm + row * (grid.label_height_mm + grid.row_gap_mm)
        return QRectF(sheet.x() + x * scale, sheet.y() + y * scale,
                      grid.label_width_mm * scale, grid.label_height_mm * scale)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        sheet = self._sheet_rect()
        painter.fillRect(sheet, QColor("white"))
        painter.setPen(QPen(QColor("#666")))
        painter.drawRect(sheet)
        if self.grid is None:
            painter.end()
            return
        first = self.start - 1
        for position in range(self.grid.capacity):
            cell = self._cell_rect(sheet, position).adjusted(0.5, 0.5, -0.5, -0.5)
            if position < first:
                colour = QColor("#bbb")  # already used
            elif position == first:
                colour = QColor("#2a7ae2")
            elif position < first + self.count:
                colour = QColor("#b9d3f5")
            else:
                colour = QColor("#f4f4f4")
            painter.fillRect(cell, colour)
            painter.setPen(QPen(QColor("#999")))
            painter.drawRect(cell)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.grid is None:
            return
        sheet = self._sheet_rect()
        point = event.position()
        for position in range(self.grid.capacity):
            if self._cell_rect(sheet, position).contains(point):
                self.start_chosen.emit(position + 1)
                return


class LabelPrintingDialog(BatchPrintDialog):
    def __init__(self, context: AppContext, barcodes: Sequence[str] = (),  # noqa: PLR0915
                 since: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.barcodes = tuple(barcodes)
        with context.database.read() as session:
            default_preset = load_printing_settings(session).label_preset

        self.sheet_box = QGroupBox()
        self.preset = QComboBox()
        for key in LABEL_PRESETS:
            self.preset.addItem("", key)
        self.preset.addItem("", CUSTOM)
        self.preset.setCurrentIndex(max(0, self.preset.findData(default_preset)))
        self.columns = self._int_spin(1, 30)
        self.rows = self._int_spin(1, 30)
        self.label_width = self._mm_spin(20, 210)
        self.label_height = self._mm_spin(12, 297)
        self.left = self._mm_spin(0, 100)
        self.top = self._mm_spin(0, 100)
        self.column_gap = self._mm_spin(0, 50)
        self.row_gap = self._mm_spin(0, 50)
        self.custom_labels = [QLabel() for _ in range(8)]
        custom = QGridLayout()
        fields = [self.columns, self.rows, self.label_width, self.label_height, self.left,
                  self.top, self.column_gap, self.row_gap]
        for index, (label, field) in enumerate(zip(self.custom_labels, fields, strict=True)):
            label.setBuddy(field)
            custom.addWidget(label, index // 2, (index % 2) * 2)
            custom.addWidget(field, index // 2, (index % 2) * 2 + 1)
        self.start = QSpinBox()
        self.start.setRange(1, 24)
        self.start_label = QLabel()
        self.start_label.setBuddy(self.start)
        self.start_hint = QLabel()
        self.start_hint.setWordWrap(True)
        self.diagram = SheetDiagram()
        sheet_form = QFormLayout()
        sheet_form.addRow(self.preset)
        sheet_form.addRow(custom)
        sheet_form.addRow(self.start_label, self.start)
        sheet_form.addRow(self.start_hint)
        sheet_row = QHBoxLayout(self.sheet_box)
        sheet_row.addLayout(sheet_form, 1)
        sheet_row.addWidget(self.diagram)

        self.copies_box = QGroupBox()
        self.given = QRadioButton()
        self.since = QRadioButton()
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.given)
        self.choice.addButton(self.since)
        self.since_date = QDateEdit()
        self.since_date.setCalendarPopup(True)
        self.since_date.setDisplayFormat(day_edit_format())
        if since is None:
            today = context.clock().astimezone(context.library().zone).date()
            since = today - timedelta(days=7)
        self.since_date.setDate(QDate(since.year, since.month, since.day))
        copies = QGridLayout(self.copies_box)
        copies.addWidget(self.given, 0, 0, 1, 2)
        copies.addWidget(self.since, 1, 0)
        copies.addWidget(self.since_date, 1, 1)
        copies.setColumnStretch(1, 1)
        self.given.setVisible(bool(self.barcodes))
        (self.given if self.barcodes else self.since).setChecked(True)

        self.form_layout.addWidget(self.sheet_box)
        self.form_layout.addWidget(self.copies_box)
        self.preset.currentIndexChanged.connect(self._preset_changed)
        for field in fields:
            field.valueChanged.connect(self._grid_changed)
        self.start.valueChanged.connect(self._grid_changed)
        self.diagram.start_chosen.connect(self.start.setValue)
        self.since_date.dateChanged.connect(lambda _d: self.since.setChecked(True))
        self.choice.buttonToggled.connect(lambda *_a: self._grid_changed())
        self._preset_changed()
        self.retranslate()
        self.resize(640, 0)

    @staticmethod
    def _int_spin(low: int, high: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        return spin

    @staticmethod
    def _mm_spin(low: float, high: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(low, high)
        spin.setDecimals(2)
        spin.setSingleStep(0.5)
        spin.setSuffix(" mm")
        return spin

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Print copy labels"))
        self.sheet_box.setTitle(_("Label sheet"))
        for index in range(self.preset.count()):
            key = self.preset.itemData(index)
            self.preset.setItemText(index, _("Custom sheet") if key == CUSTOM
                                    else preset_name(key))
        texts = [_("Columns:"), _("Rows:"), _("Label width:"), _("Label height:"),
                 _("Left margin:"), _("Top margin:"), _("Gap between columns:"),
                 _("Gap between rows:")]
        for label, text in zip(self.custom_labels, texts, strict=True):
            label.setText(text)
        self.start_label.setText(_("Start at &label:"))
        self.copies_box.setTitle(_("Copies"))
        self.given.setText(ngettext("The chosen copy ({count})", "The chosen copies ({count})",
                                    len(self.barcodes)).format(count=len(self.barcodes)))
        self.since.setText(_("Catalogued since"))
        self._grid_changed()

    def _preset_changed(self, *_args: object) -> None:
        key = self.preset.currentData()
        custom = key == CUSTOM
        for widget in self._custom_fields():
            widget.setEnabled(custom)
        if not custom:
            grid = LABEL_PRESETS[key]
            values = [grid.columns, grid.rows, grid.label_width_mm, grid.label_height_mm,
                      grid.left_mm, grid.top_mm, grid.column_gap_mm, grid.row_gap_mm]
            for field, value in zip(self._custom_fields(), values, strict=True):
                field.blockSignals(True)
                field.setValue(value)
                field.blockSignals(False)
        self._grid_changed()

    def _custom_fields(self) -> list[Any]:
        return [self.columns, self.rows, self.label_width, self.label_height, self.left,
                self.top, self.column_gap, self.row_gap]

    def grid(self) -> LabelGrid:
        key = self.preset.currentData()
        if key != CUSTOM:
            return LABEL_PRESETS[key]
        return LabelGrid(self.columns.value(), self.rows.value(), self.label_width.value(),
                         self.label_height.value(), left_mm=self.left.value(),
                         top_mm=self.top.value(), column_gap_mm=self.column_gap.value(),
                         row_gap_mm=self.row_gap.value())

    def _grid_changed(self, *_args: object) -> None:
        try:
            grid: LabelGrid | None = self.grid().validated()
        except InvalidValue as error:
            grid = None
            self.start_hint.setText(grid_problem(error))
        if grid is not None:
            self.start.blockSignals(True)
            self.start.setMaximum(grid.capacity)
            self.start.blockSignals(False)
            self.start_hint.setText(_(
                "Grey labels are already used; printing starts at the blue one. "
                "Click a label to start there."))
        count = len(self.barcodes) if self.given.isChecked() else 0
        self.diagram.set_state(grid, self.start.value(), count)
        self.preview_button.setEnabled(grid is not None)
        self.save_button.setEnabled(grid is not None)

    def selection(self) -> LabelSelection:
        if self.given.isChecked():
            return LabelSelection(barcodes=self.barcodes)
        chosen = self.since_date.date()
        return LabelSelection(catalogued_since=date(chosen.year(), chosen.month(),
                                                    chosen.day()))

    def work(self) -> Callable[..., PrintResult] | None:
        try:
            grid = self.grid().validated()
        except InvalidValue as error:
            self.status.setText(grid_problem(error))
            return None
        return partial(render_labels, self.context.database, self.context.actor,
                       self.selection(), grid, self.start.value())

    def suggested_name(self) -> str:
        return "labels.pdf"

    def summary(self, result: PrintResult) -> str:
        labels = ngettext("{count} label", "{count} labels", result.count).format(
            count=result.count)
        sheets = ngettext("{pages} sheet", "{pages} sheets", result.pages).format(
            pages=result.pages)
        return _("{cards}, {pages}.").format(cards=labels, pages=sheets)


def open_label_printing(parent: QWidget | None, context: AppContext,
                        barcodes: Sequence[str] = (),
                        since: date | None = None) -> LabelPrintingDialog:
    """The label printing dialog for the given copies (barcodes) or those catalogued since
    a date."""
    dialog = LabelPrintingDialog(context, barcodes, since, parent)
    run_dialog(dialog)
    return dialog

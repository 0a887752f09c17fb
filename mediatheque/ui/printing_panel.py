"""The Printing panel of the Settings page: the logo printed on cards, the usual card
layout and label sheet, and the calibration of the card printer and of the label printer
(offsets and scale), remembered in the database."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediatheque.errors import MediathequeError
from mediatheque.i18n import _
from mediatheque.messages import describe_error
from mediatheque.printing.calibration import card_test_page, label_test_page
from mediatheque.printing.document import PrintResult
from mediatheque.printing.labels import LABEL_PRESETS
from mediatheque.printing.settings import (
    MAX_OFFSET_MM,
    MAX_SCALE,
    MIN_SCALE,
    PrintingSettings,
    load_printing_settings,
    update_printing_settings,
)
from mediatheque.ui import print_batch
from mediatheque.ui.context import AppContext
from mediatheque.ui.label_printing import preset_name
from mediatheque.ui.print_preview import PrintPreviewDialog


def _offset_spin() -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(-MAX_OFFSET_MM, MAX_OFFSET_MM)
    spin.setDecimals(1)
    spin.setSingleStep(0.5)
    spin.setSuffix(" mm")
    return spin


def _scale_spin() -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(MIN_SCALE, MAX_SCALE)
    spin.setDecimals(1)
    spin.setSingleStep(0.5)
    spin.setSuffix(" %")
    return spin


def choose_logo(parent: QWidget, current: str) -> str | None:
    """The logo file (tests replace this)."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, _("Logo for the cards"), str(Path(current).parent if current else Path.home()),
        _("Images (*.png *.jpg *.jpeg *.gif *.bmp)"))
    return name or None


class PrintingPanel(QGroupBox):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:  # noqa: PLR0915
        super().__init__(parent)
        self._context = context
        self._stored = PrintingSettings()
        self.logo = QLineEdit()
        self.logo_button = QPushButton()
        self.logo_label = QLabel()
        self.logo_label.setBuddy(self.logo)
        self.layout_combo = QComboBox()
        self.layout_combo.addItem("", "cr80")
        self.layout_combo.addItem("", "a4")
        self.layout_label = QLabel()
        self.layout_label.setBuddy(self.layout_combo)
        self.preset_combo = QComboBox()
        for key in LABEL_PRESETS:
            self.preset_combo.addItem("", key)
        self.preset_label = QLabel()
        self.preset_label.setBuddy(self.preset_combo)
        self.card_x, self.card_y, self.card_scale = _offset_spin(), _offset_spin(), _scale_spin()
        self.label_x, self.label_y = _offset_spin(), _offset_spin()
        self.label_scale = _scale_spin()
        self.calibration_title = QLabel()
        self.calibration_title.setWordWrap(True)
        self.cards_heading, self.labels_heading = QLabel(), QLabel()
        self.right_label, self.up_label, self.scale_label = QLabel(), QLabel(), QLabel()
        grid = QGridLayout()
        grid.addWidget(self.right_label, 0, 1)
        grid.addWidget(self.up_label, 0, 2)
        grid.addWidget(self.scale_label, 0, 3)
        grid.addWidget(self.cards_heading, 1, 0)
        grid.addWidget(self.card_x, 1, 1)
        grid.addWidget(self.card_y, 1, 2)
        grid.addWidget(self.card_scale, 1, 3)
        grid.addWidget(self.labels_heading, 2, 0)
        grid.addWidget(self.label_x, 2, 1)
        grid.addWidget(self.label_y, 2, 2)
        grid.addWidget(self.label_scale, 2, 3)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(self.logo_button)
        form = QFormLayout()
        form.addRow(self.logo_label, logo_row)
        form.addRow(self.layout_label, self.layout_combo)
        form.addRow(self.preset_label, self.preset_combo)
        self.card_test_button = QPushButton()
        self.label_test_button = QPushButton()
        grid.addWidget(self.card_test_button, 1, 4)
        grid.addWidget(self.label_test_button, 2, 4)
        grid.setColumnStretch(5, 1)
        self.save_button = QPushButton()
        self.revert_button = QPushButton()
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.calibration_title)
        layout.addLayout(grid)
        layout.addLayout(buttons)
        self.logo_button.clicked.connect(self._browse)
        self.card_test_button.clicked.connect(self.test_card)
        self.label_test_button.clicked.connect(self.test_labels)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.load)
        self.logo.textChanged.connect(self._changed)
        for combo in (self.layout_combo, self.preset_combo):
            combo.currentIndexChanged.connect(self._changed)
        for spin in self._spins():
            spin.valueChanged.connect(self._changed)
        self.retranslate()

    def _spins(self) -> list[QDoubleSpinBox]:
        return [self.card_x, self.card_y, self.card_scale, self.label_x, self.label_y,
                self.label_scale]

    def retranslate(self) -> None:
        self.setTitle(_("Printing: cards and labels"))
        self.logo_label.setText(_("&Logo on the cards:"))
        self.logo.setPlaceholderText(_("No logo"))
        self.logo_button.setText(_("&Browse…"))
        self.layout_label.setText(_("Usual card la&yout:"))
        self.layout_combo.setItemText(0, _("One card per page (card printer)"))
        self.layout_combo.setItemText(1, _("A4 sheets of 10 cards"))
        self.preset_label.setText(_("Usual label shee&t:"))
        for index in range(self.preset_combo.count()):
            self.preset_combo.setItemText(index, preset_name(self.preset_combo.itemData(index)))
        self.calibration_title.setText(_(
            "Calibration: if the printer prints off-centre or stretched, move everything "
            "by a few millimetres or scale it."))
        self.cards_heading.setText(_("Card printer"))
        self.labels_heading.setText(_("Label printer"))
        self.right_label.setText(_("Right"))
        self.up_label.setText(_("Up"))
        self.scale_label.setText(_("Scale"))
        self.card_test_button.setText(_("Test card…"))
        self.card_test_button.setToolTip(_(
            "Print a frame 3 mm inside the card's edges with these values, then measure"))
        self.label_test_button.setText(_("Test sheet…"))
        self.label_test_button.setToolTip(_(
            "Print a frame 3 mm inside every label of the usual sheet, then measure"))
        self.save_button.setText(_("Save"))
        self.revert_button.setText(_("Undo changes"))

    def load(self) -> None:
        with self._context.database.read() as session:
            self._stored = load_printing_settings(session)
        self.set_settings(self._stored)
        self.saved.clear()
        self._update_buttons()

    def set_settings(self, settings: PrintingSettings) -> None:
        widgets = [self.logo, self.layout_combo, self.preset_combo, *self._spins()]
        for widget in widgets:
            widget.blockSignals(True)
        self.logo.setText(settings.logo_path)
        self.layout_combo.setCurrentIndex(max(0, self.layout_combo.findData(
            settings.card_layout)))
        self.preset_combo.setCurrentIndex(max(0, self.preset_combo.findData(
            settings.label_preset)))
        values = [settings.card_x_mm, settings.card_y_mm, settings.card_scale_percent,
                  settings.label_x_mm, settings.label_y_mm, settings.label_scale_percent]
        for spin, value in zip(self._spins(), values, strict=True):
            spin.setValue(value)
        for widget in widgets:
            widget.blockSignals(False)

    def settings(self) -> PrintingSettings:
        return replace(
            self._stored, logo_path=self.logo.text().strip(),
            card_layout=self.layout_combo.currentData(),
            label_preset=self.preset_combo.currentData(),
            card_x_mm=self.card_x.value(), card_y_mm=self.card_y.value(),
            card_scale_percent=self.card_scale.value(), label_x_mm=self.label_x.value(),
            label_y_mm=self.label_y.value(), label_scale_percent=self.label_scale.value())

    def save(self) -> None:
        try:
            with self._context.database.write() as session:
                self._stored = update_printing_settings(
                    session, self._context.actor, self.settings(), now=self._context.clock())
        except MediathequeError as error:
            self.saved.setText(describe_error(error))
            return
        self.set_settings(self._stored)
        self._update_buttons()
        self.saved.setText(_("Saved."))

    def test_card(self) -> PrintPreviewDialog:
        settings = self.settings()
        return self._preview(card_test_page(settings.card_calibration), _("Card printer test"))

    def test_labels(self) -> PrintPreviewDialog:
        settings = self.settings()
        grid = LABEL_PRESETS[settings.label_preset]
        return self._preview(label_test_page(grid, settings.label_calibration),
                             _("Label printer test"))

    def _preview(self, result: PrintResult, title: str) -> PrintPreviewDialog:
        dialog = PrintPreviewDialog(result, title, "test.pdf", self, summary=_(
            "Print on a real card or label sheet and measure: each side of the frame should "
            "be 3 mm from the edge. Then adjust the calibration and save."))
        print_batch.run_dialog(dialog)
        return dialog

    def _browse(self) -> None:
        chosen = choose_logo(self, self.logo.text())
        if chosen:
            self.logo.setText(chosen)

    def _changed(self, *_args: object) -> None:
        self.saved.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        changed = self.settings() != self._stored
        self.save_button.setEnabled(changed)
        self.revert_button.setEnabled(changed)

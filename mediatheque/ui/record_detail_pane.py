"""The right-hand side of the Catalogue page: the chosen record, its cover and its copies."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediatheque.catalogue.reading import CopyLine, RecordDetail
from mediatheque.formatting import short_day
from mediatheque.i18n import _
from mediatheque.ui.catalogue_labels import (
    AUDIENCES,
    COPY_STATUSES,
    MEDIA_TYPES,
    ROLES,
    label,
    language_names,
)

COVER_SIZE = (120, 170)


def format_day(day: date | None) -> str:
    return short_day(day) if day else ""


def copy_state(line: CopyLine) -> str:
    """'On loan until 12 mars 2026', or the copy's status."""
    if line.on_loan:
        if line.due_on:
            return _("On loan until {date}").format(date=format_day(line.due_on))
        return _("On loan")
    return label(COPY_STATUSES, line.status)


class RecordDetailPane(QWidget):
    copy_chosen = Signal(str)  # a copy's barcode: double-click, Enter or "Edit copy…"

    def __init__(self, parent: QWidget | None = None) -> None:  # noqa: PLR0915 (a form's layout)
        super().__init__(parent)
        self.detail: RecordDetail | None = None
        self._cover: tuple[bytes, str] | None = None
        self.cover = QLabel()
        self.cover.setFixedSize(*COVER_SIZE)
        self.cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cover.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.byline = QLabel()
        self.byline.setWordWrap(True)
        self.byline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pending = QLabel()
        self.pending.setWordWrap(True)
        self.pending.setStyleSheet("color: #8a5a00;")
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.byline)
        heading.addWidget(self.pending)
        heading.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.cover, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self._rows: list[tuple[QLabel, QLabel]] = []
        self.fields = QFormLayout()
        self.fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copies_title = QLabel()
        self.copies_title.setWordWrap(True)  # "Copies: 1 available of 2" beside its button
        self.copies = QTableWidget(0, 4)
        self.copies.verticalHeader().hide()
        self.copies.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.copies.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.copies.setAlternatingRowColors(True)
        header = self.copies.horizontalHeader()
        for column in range(3):  # as wide as their header or content, in every language
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.copies.setMinimumHeight(110)
        self.copies.doubleClicked.connect(lambda _index: self._choose_copy())
        self.edit_copy_button = QPushButton()
        self.edit_copy_button.clicked.connect(self._choose_copy)
        self.copies.itemSelectionChanged.connect(self._copy_selection_changed)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        content = QWidget()
        body = QVBoxLayout(content)
        body.addLayout(top)
        body.addLayout(self.fields)
        body.addWidget(self.summary)
        body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.empty, 1)
        layout.addWidget(scroll, 3)
        copies_heading = QHBoxLayout()
        copies_heading.addWidget(self.copies_title, 1)
        copies_heading.addWidget(self.edit_copy_button)
        layout.addLayout(copies_heading)
        layout.addWidget(self.copies, 2)
        self.retranslate()
        self.clear()

    def retranslate(self) -> None:
        self.empty.setText(_("Choose a record in the list to see it here."))
        self.edit_copy_button.setText(_("Edit cop&y…"))
        self.copies.setHorizontalHeaderLabels(
            [_("Barcode"), _("Call number"), _("Location"), _("Status")]
        )
        if self.detail is not None:
            self.show_record(self.detail, self._cover)

    def clear(self) -> None:
        self.detail = None
        self._cover = None
        self.empty.show()
        for widget in (self._scroll, self.copies_title, self.copies, self.edit_copy_button):
            widget.hide()

    def show_record(self, detail: RecordDetail, cover: tuple[bytes, str] | None) -> None:
        self.detail = detail
        self._cover = cover
        self.empty.hide()
        for widget in (self._scroll, self.copies_title, self.copies, self.edit_copy_button):
            widget.show()
        self._show_cover(cover)
        title = detail.title + (f" : {detail.subtitle}" if detail.subtitle else "")
        self.title.setText(title)
        byline = detail.responsibility or "; ".join(
            person.display() for person in detail.contributors
        )
        self.byline.setText(byline)
        self.pending.setText(
            _("Waiting for its details from the internet.") if detail.pending_lookup else ""
        )
        self.pending.setVisible(bool(detail.pending_lookup))
        self._show_fields(detail)
        self.summary.setText(detail.summary or "")
        self.summary.setVisible(bool(detail.summary))
        self._show_copies(detail.copies)

    def _show_cover(self, cover: tuple[bytes, str] | None) -> None:
        pixmap = QPixmap()
        if cover is not None and pixmap.loadFromData(cover[0]):
            self.cover.setPixmap(pixmap.scaled(
                *COVER_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            ))
        else:
            self.cover.setPixmap(QPixmap())
            self.cover.setText(_("No cover"))

    def _show_fields(self, detail: RecordDetail) -> None:
        publication = ", ".join(
            str(part) for part in (detail.place, detail.publisher, detail.year) if part
        )
        contributors = "\n".join(
            f"{person.display()} ({label(ROLES, person.role)})"
            for person in detail.contributors
        )
        series = detail.series or ""
        if series and detail.series_number:
            series += f", {detail.series_number}"
        rows = (
            (_("Contributors"), contributors),
            (_("Publication"), publication),
            (_("Edition"), detail.edition),
            (_("ISBN"), detail.isbn13 or detail.ean),
            (_("Type"), label(MEDIA_TYPES, detail.media_type)),
            (_("Languages"), language_names(tuple(detail.languages))),
            (_("Audience"), label(AUDIENCES, detail.audience)),
            (_("CEFR level"), detail.cefr_level),
            (_("Series"), series),
            (_("Dewey"), detail.dewey),
            (_("Description"), detail.extent),
            (_("Subjects"), "; ".join(detail.subjects)),
            (_("Keywords"), ", ".join(detail.keywords)),
            (_("Note"), detail.note),
        )
        # The rows are made once and then only filled, shown or hidden: building labels
        # for each record shown would cost the window a noticeable pause.
        while len(self._rows) < len(rows):
            name_label, value_label = QLabel(), QLabel()
            value_label.setWordWrap(True)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields.addRow(name_label, value_label)
            self._rows.append((name_label, value_label))
        for row, ((name_label, value_label), (name, value)) in enumerate(
            zip(self._rows, rows, strict=True)
        ):
            name_label.setText(name)
            value_label.setText(str(value) if value else "")
            self.fields.setRowVisible(row, bool(value))

    def _show_copies(self, copies: tuple[CopyLine, ...]) -> None:
        available = sum(1 for line in copies if not line.on_loan and line.status == "available")
        self.copies_title.setText(
            _("Copies: {available} available out of {total}").format(
                available=available, total=len(copies)
            )
        )
        self.copies.setRowCount(len(copies))
        for row, line in enumerate(copies):
            values = (
                line.barcode, line.call_number or "",
                line.location_label or line.location or "", copy_state(line),
            )
            for column, value in enumerate(values):
                self.copies.setItem(row, column, QTableWidgetItem(value))
        self._copy_selection_changed()

    def selected_copy(self) -> str | None:
        row = self.copies.currentRow()
        if self.detail is None or not 0 <= row < len(self.detail.copies):
            return None
        return self.detail.copies[row].barcode

    def _copy_selection_changed(self) -> None:
        self.edit_copy_button.setEnabled(self.selected_copy() is not None)

    def _choose_copy(self) -> None:
        barcode = self.selected_copy()
        if barcode is not None:
            self.copy_chosen.emit(barcode)

    def keyPressEvent(self, event: object) -> None:  # Enter on a copy row opens it
        from PySide6.QtGui import QKeyEvent

        if (isinstance(event, QKeyEvent) and self.copies.hasFocus()
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self._choose_copy()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def copy_texts(self) -> list[list[str]]:
        """What the copies table shows, row by row (for tests)."""
        return [
            [self.copies.item(row, column).text() for column in range(self.copies.columnCount())]
            for row in range(self.copies.rowCount())
        ]

"""The Catalogue page: search as you type with filters, the results (paged), the chosen
record on the right, and the cataloguing actions.

Typing never waits for the database: each keystroke restarts a short timer, then the query
goes to the runner; results come back by signal and older ones are dropped
(CatalogueModel). Network work (ISBN lookups, completing pending records) has a runner of
its own, so that searching goes on while it waits for a slow server.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, select

from mediatheque.catalogue.isbn import is_bookland_ean, parse_isbn
from mediatheque.catalogue.reading import RecordDetail, record_cover, record_detail
from mediatheque.catalogue.records import delete_record
from mediatheque.catalogue.search import SearchFilters
from mediatheque.db import Database
from mediatheque.errors import MediathequeError
from mediatheque.formatting import number
from mediatheque.i18n import _, ngettext
from mediatheque.models.catalogue import Location
from mediatheque.models.lookup import PendingLookup
from mediatheque.ui import dialogs
from mediatheque.ui.app import icon
from mediatheque.ui.catalogue_labels import (
    AUDIENCES,
    CEFR_LEVELS,
    LANGUAGES,
    MEDIA_TYPES,
    fill_combo,
)
from mediatheque.ui.catalogue_table import COLUMNS, CatalogueModel, Query
from mediatheque.ui.context import AppContext
from mediatheque.ui.page import Page
from mediatheque.ui.pending_completion import PendingCompletion
from mediatheque.ui.record_detail_pane import RecordDetailPane
from mediatheque.ui.runner import Runner
from mediatheque.ui.widgets import OutcomeLabel

SEARCH_DELAY_MS = 150
DETAIL_DELAY_MS = 120


Cover = tuple[bytes, str]


def load_detail(database: Database, record_id: int) -> tuple[RecordDetail, Cover | None]:
    with database.read() as session:
        detail = record_detail(session, record_id)
        cover = record_cover(session, record_id) if detail.has_cover else None
    return detail, cover


def load_locations(database: Database) -> list[tuple[str, str]]:
    with database.read() as session:
        return [(code, label) for code, label in session.execute(
            select(Location.code, Location.label).order_by(Location.label)
        )]


def count_pending(database: Database) -> int:
    with database.read() as session:
        return int(session.scalar(select(func.count()).select_from(PendingLookup)) or 0)


def scanned_isbn(text: str) -> str | None:
    """The ISBN-13 when the search field holds a scanned book EAN (978/979…)."""
    digits = text.strip().replace("-", "")
    if len(digits) == 13 and digits.isdigit() and is_bookland_ean(digits):
        try:
            return parse_isbn(digits).isbn13
        except MediathequeError:
            return None
    return None


class CataloguePage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.health = context.provider_health
        self.network_runner = Runner(self, synchronous=context.runner.synchronous)
        self.locations: list[tuple[str, str]] = []
        self._detail_sequence = 0
        self._select_when_loaded: int | None = None
        self.model = CatalogueModel(context.database, context.runner, self)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        # The record pane follows the chosen row once it rests: while results replace
        # each other under the typing, or the arrow keys run down the list, drawing each
        # record in passing would only take time from the keystrokes.
        self.detail_timer = QTimer(self)
        self.detail_timer.setSingleShot(True)
        self.detail_timer.setInterval(DETAIL_DELAY_MS)
        self.detail_timer.timeout.connect(self._show_current_record)
        self._build()
        self.pending = PendingCompletion(context, self.network_runner, self.health, self)
        self.status_row.insertWidget(1, self.pending.widget)
        self._build_actions()
        self._connect()
        self.retranslate()
        self.refresh()

    # building

    def _build(self) -> None:  # noqa: PLR0915 (a form's layout)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.catalogue_isbn_button = QPushButton()
        self.catalogue_isbn_button.hide()
        self.media_type = QComboBox()
        self.language = QComboBox()
        self.audience = QComboBox()
        self.cefr = QComboBox()
        self.location = QComboBox()
        self.available = QCheckBox()
        self.count_label = QLabel()
        self.message = OutcomeLabel()

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # Fixed row heights and column widths: measuring every row's contents on each new
        # page of results would block the window (ResizeToContents reads every cell).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 8
        )
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        widths = {"authors": 22, "year": 6, "media_type": 12, "language": 10, "copies": 7}
        character = self.table.fontMetrics().averageCharWidth()
        for column, spec in enumerate(COLUMNS[1:], start=1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, widths[spec.key] * character + 16)
        self.detail = RecordDetailPane()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.detail.setMinimumWidth(300)
        # Three fifths for the list, two for the record from the start (the list's size hint
        # alone would leave the record's copies and their status cut off at 1280 pixels).
        self.splitter.setSizes([600, 400])

        # A tool bar, not a row of buttons: on a narrow screen, or in a language with long
        # words, the last actions go into its » menu instead of widening the window.
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setMovable(False)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.catalogue_isbn_button)
        self.filter_row = QHBoxLayout()
        for combo in (self.media_type, self.language, self.audience, self.cefr, self.location):
            # As wide as their choices when there is room, narrower (elided) when not.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
            # the row's spare width goes to the combos ("Все места хранения" in full)
            self.filter_row.addWidget(combo, 1)
        self.filter_row.addWidget(self.available)
        self.status_row = QHBoxLayout()
        self.status_row.addWidget(self.count_label)
        self.status_row.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(search_row)
        layout.addLayout(self.filter_row)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(self.status_row)

    def _action(self, name: str, shortcut: str | None, slot: object, *,
                context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
                widget: QWidget | None = None, button: bool = True) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(context)
        action.triggered.connect(slot)
        (widget or self).addAction(action)
        if button:
            self.toolbar.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("new", "Ctrl+N", self.new_record)
        self.new_action.setIcon(icon("catalogue"))
        self.isbn_action = self._action("isbn", "Ctrl+I", self._catalogue_by_isbn_action)
        self.edit_action = self._action("edit", None, self.edit_record)
        self.delete_action = self._action("delete", None, self.delete_record)
        self.add_copies_action = self._action("add_copies", "Ctrl+Shift+C", self.add_copies)
        self.import_action = self._action("import", None, self.import_csv)
        self.labels_action = self._action("labels", None, self.print_labels)
        self.labels_since_action = self._action("labels_since", None,
                                                self.print_labels_since)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.complete_action = self._action("complete", None, self.pending.start)
        # In the table: Enter edits, Delete deletes (a Del in the search field erases text).
        for key in ("Return", "Enter"):
            self._action(f"edit_{key}", key, self.edit_record,
                         context=Qt.ShortcutContext.WidgetShortcut, widget=self.table,
                         button=False)
        self._action("delete_key", "Del", self.delete_record,
                     context=Qt.ShortcutContext.WidgetShortcut, widget=self.table, button=False)
        self._action("find", "Ctrl+F", self.focus_search, button=False)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._search_typed)
        self.search.returnPressed.connect(self._search_now)
        self.search_timer.timeout.connect(self._search_now)
        for combo in (self.media_type, self.language, self.audience, self.cefr, self.location):
            combo.currentIndexChanged.connect(self._search_now)
        self.available.toggled.connect(self._search_now)
        self.catalogue_isbn_button.clicked.connect(
            lambda: self.catalogue_by_isbn(scanned_isbn(self.search.text()))
        )
        self.model.loaded.connect(self._results_loaded)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.model.failed.connect(self._search_failed)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit_record())
        self.detail.copy_chosen.connect(self.edit_copy)
        self.pending.finished.connect(self._pending_finished)
        self.context.events.database_replaced.connect(self._database_replaced)

    def _fit_headers(self) -> None:
        """A column is never narrower than its translated title (“Disponibles”…)."""
        header = self.table.horizontalHeader()
        for column in range(1, len(COLUMNS)):
            needed = header.sectionSizeFromContents(column).width()
            if header.sectionSize(column) < needed:
                header.resizeSection(column, needed)

    def retranslate(self) -> None:
        self.search.setPlaceholderText(
            _("Search by title, author, ISBN, subject, series… (Ctrl+F)")
        )
        self.catalogue_isbn_button.setText(_("Catalogue this ISBN"))
        self.new_action.setText(_("&New record"))
        self.new_action.setToolTip(_("New record (Ctrl+N)"))
        self.isbn_action.setText(_("Catalogue by &ISBN"))
        self.isbn_action.setToolTip(_("New record from its ISBN (Ctrl+I)"))
        self.edit_action.setText(_("&Edit"))
        self.edit_action.setToolTip(_("Edit the chosen record (Enter)"))
        self.delete_action.setText(_("&Delete"))
        self.delete_action.setToolTip(_("Delete the chosen record (Del)"))
        self.add_copies_action.setText(_("Add &copies"))
        self.add_copies_action.setToolTip(_("Add copies to the chosen record (Ctrl+Shift+C)"))
        self.import_action.setText(_("I&mport CSV…"))
        self.import_action.setToolTip(_("Import a catalogue from a CSV file"))
        self.labels_action.setText(_("&Labels"))
        self.labels_action.setToolTip(_("Print labels for the chosen record's copies"))
        self.labels_since_action.setText(_("Labels &since…"))
        self.labels_since_action.setToolTip(_("Print labels for the copies catalogued since "
                                              "a date"))
        self.available.setText(_("Available now"))
        fill_combo(self.media_type, MEDIA_TYPES, everything=_("All types"))
        fill_combo(self.language, LANGUAGES, everything=_("All languages"))
        fill_combo(self.audience, AUDIENCES, everything=_("All audiences"))
        fill_combo(self.cefr, CEFR_LEVELS, everything=_("All CEFR levels"))
        self._fill_locations()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self._fit_headers()
        self.pending.retranslate(self.complete_action)
        self.detail.retranslate()
        self._update_count()

    def _fill_locations(self) -> None:
        chosen = self.location.currentData()
        self.location.blockSignals(True)
        self.location.clear()
        self.location.addItem(_("All locations"), "")
        for code, name in self.locations:
            self.location.addItem(name, code)
        self.location.setCurrentIndex(max(0, self.location.findData(chosen)))
        self.location.blockSignals(False)

    def refresh(self) -> None:
        self.locations = load_locations(self.context.database)
        self._fill_locations()
        self.pending.refresh()
        self.model.set_database(self.context.database)

    def _database_replaced(self) -> None:
        self.detail.clear()

    # searching

    def query(self) -> Query:
        def word(combo: QComboBox) -> str | None:
            return combo.currentData() or None

        filters = SearchFilters(
            media_type=word(self.media_type), language=word(self.language),
            audience=word(self.audience), cefr_level=word(self.cefr),
            location=word(self.location), available_only=self.available.isChecked(),
        )
        return replace(self.model.query, text=self.search.text().strip(), filters=filters)

    def _search_typed(self, text: str) -> None:
        self.catalogue_isbn_button.setVisible(scanned_isbn(text) is not None)
        self.search_timer.start()

    def _search_now(self, *_args: object) -> None:
        self.search_timer.stop()
        query = self.query()
        if query != self.model.query or not self.model.hits:
            self.message.clear()
            self.model.search(query)

    def _results_loaded(self) -> None:
        wanted = self._select_when_loaded
        self._select_when_loaded = None
        row = self.model.row_of(wanted) if wanted is not None else None
        if row is None and self.model.hits and wanted is None:
            row = 0
        if row is not None:
            index = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        elif wanted is None:
            self.detail.clear()
        self._update_actions()

    def _update_count(self) -> None:
        total = self.model.total
        if self.model.total_exact:
            text = ngettext("{n} record", "{n} records", total)
        else:  # counting stopped there (search_records' count limit)
            text = ngettext("More than {n} record", "More than {n} records", total)
        self.count_label.setText(text.format(n=number(total)))

    def _search_failed(self, error: BaseException) -> None:
        self.tell(dialogs_text(error), error=True)

    def tell(self, text: str, *, error: bool = False) -> None:
        """A line under the table: what just happened (red when it went wrong)."""
        self.message.tell(text, error=error)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # the chosen record

    def current_record_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.record_id(index.row()) if index.isValid() else None

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record_id = self.model.record_id(current.row()) if current.isValid() else None
        self._update_actions()
        if record_id is not None:
            self.detail_timer.start()

    def _show_current_record(self) -> None:
        record_id = self.current_record_id()
        if record_id is not None and self.search_timer.isActive():
            self.detail_timer.start()  # still typing: wait for the results to rest
        elif record_id is not None:
            self.show_record(record_id)

    def show_record(self, record_id: int) -> None:
        self._detail_sequence += 1
        sequence = self._detail_sequence
        self.context.runner.submit(
            load_detail, self.context.database, record_id,
            on_done=lambda loaded: self._detail_loaded(sequence, loaded),
            on_failed=lambda error: self._detail_failed(sequence, error),
        )

    def _detail_loaded(
        self, sequence: int, loaded: tuple[RecordDetail, tuple[bytes, str] | None]
    ) -> None:
        if sequence == self._detail_sequence:
            self.detail.show_record(*loaded)
            self._update_actions()

    def _detail_failed(self, sequence: int, error: BaseException) -> None:
        if sequence == self._detail_sequence:
            self.detail.clear()
            self.tell(dialogs_text(error), error=True)

    def _update_actions(self) -> None:
        chosen = self.current_record_id() is not None
        for action in (self.edit_action, self.delete_action, self.add_copies_action,
                       self.labels_action):
            action.setEnabled(chosen)

    def _reload_and_show(self, record_id: int | None) -> None:
        self._select_when_loaded = record_id
        self.model.reload()
        if record_id is not None and self.model.row_of(record_id) is None:
            self.show_record(record_id)  # not in the current results: shown anyway
        self.pending.refresh()

    # actions

    def new_record(self) -> None:
        self._open_editor(detail=None)

    def catalogue_by_isbn(self, isbn: str | None = None) -> None:
        self._open_editor(detail=None, isbn=isbn, focus_isbn=True)

    def _catalogue_by_isbn_action(self) -> None:
        self.catalogue_by_isbn(scanned_isbn(self.search.text()))

    def edit_record(self) -> None:
        record_id = self.current_record_id()
        if record_id is None:
            return
        try:
            detail, cover = load_detail(self.context.database, record_id)
        except MediathequeError as error:
            dialogs.show_error(self, error)
            return
        self._open_editor(detail=detail, cover=cover)

    def _open_editor(
        self, *, detail: RecordDetail | None, cover: tuple[bytes, str] | None = None,
        isbn: str | None = None, focus_isbn: bool = False,
    ) -> None:
        from mediatheque.ui.record_editor import Outcome, RecordEditor

        editor = RecordEditor(
            self.context, self.health, self.locations, detail=detail, cover=cover,
            runner=self.network_runner, parent=self,
        )
        if isbn:
            editor.isbn.setText(isbn)
            editor.look_up()
        elif focus_isbn or detail is None:
            editor.isbn.setFocus()
        self.editor = editor  # reachable by tests while it is open
        accepted = run_dialog(editor)
        self.editor = None
        if not accepted:
            return
        if editor.outcome is Outcome.OPEN_EXISTING and editor.record_id is not None:
            self._reload_and_show(editor.record_id)
            return
        self._reload_and_show(editor.record_id)
        if editor.barcodes:
            self.tell(ngettext(
                "Copy added: {barcodes}", "Copies added: {barcodes}", len(editor.barcodes)
            ).format(barcodes=", ".join(editor.barcodes)))

    def delete_record(self) -> None:
        record_id = self.current_record_id()
        if record_id is None:
            return
        title = self.model.hits[self.table.currentIndex().row()].title
        if not dialogs.confirm(
            self, _("Delete a record"),
            _("Delete the record “{title}” and all its copies? This cannot be undone.").format(
                title=title
            ),
            _("&Delete"),
        ):
            return
        try:
            with self.context.database.write() as session:
                delete_record(session, self.context.actor, record_id, now=self.context.clock())
        except MediathequeError as error:
            dialogs.show_error(self, error, _("The record was not deleted"))
            return
        self.detail.clear()
        self._reload_and_show(None)

    def edit_copy(self, barcode: str) -> None:
        from mediatheque.ui.copy_editor import CopyEditorDialog

        record_id = self.current_record_id()
        detail = self.detail.detail
        if record_id is None or detail is None:
            return
        dialog = CopyEditorDialog(self.context, barcode, detail.title, self.locations, self)
        self.copy_editor = dialog
        if run_dialog(dialog):
            if dialog.deleted:
                self.tell(_("Copy {barcode} deleted.").format(barcode=barcode))
            else:
                self.tell(_("Copy {barcode} saved.").format(
                    barcode=dialog.saved_barcode or barcode
                ))
            self._reload_and_show(record_id)

    def add_copies(self) -> None:
        from mediatheque.ui.add_copies_dialog import AddCopiesDialog

        record_id = self.current_record_id()
        if record_id is None:
            return
        detail = self.detail.detail
        title = detail.title if detail and detail.record_id == record_id else ""
        call_number = next(
            (line.call_number for line in detail.copies if line.call_number), None
        ) if detail and detail.record_id == record_id else None
        dialog = AddCopiesDialog(
            self.context, record_id, title, self.locations, call_number=call_number, parent=self
        )
        self.add_copies_dialog = dialog
        accepted = run_dialog(dialog)
        self.add_copies_dialog = None
        if accepted:
            self._reload_and_show(record_id)

    def print_labels(self) -> None:
        """Labels for the copies of the chosen record (label_printing.py)."""
        from mediatheque.ui.label_printing import open_label_printing

        detail = self.detail.detail
        if detail is None or detail.record_id != self.current_record_id():
            return
        open_label_printing(self, self.context, [line.barcode for line in detail.copies])

    def print_labels_since(self) -> None:
        from mediatheque.ui.label_printing import open_label_printing

        open_label_printing(self, self.context)

    def import_csv(self) -> None:
        from mediatheque.ui.csv_import_dialog import CsvImportDialog

        dialog = CsvImportDialog(self.context, parent=self)
        if not dialog.choose_file():
            return
        self.import_dialog = dialog
        run_dialog(dialog)
        self.import_dialog = None
        if dialog.imported:
            self.refresh()

    def _pending_finished(self) -> None:
        self.model.reload()
        record_id = self.current_record_id()
        if record_id is not None:
            self.show_record(record_id)


def run_dialog(dialog: QWidget) -> bool:
    """Runs a modal dialog. Tests replace this (monkeypatch) to drive the dialog."""
    return bool(dialog.exec())  # type: ignore[attr-defined]


def dialogs_text(error: BaseException) -> str:
    from mediatheque.messages import describe_error

    if isinstance(error, MediathequeError):
        return describe_error(error)
    return _("Unexpected problem: {problem}").format(problem=f"{type(error).__name__}: {error}")


"""The Reports page: the overdue list (filters, grouped by member, notice levels) with
letters, notices and exports, and the director's monthly workbook. In the first days of a
month a banner (and the status bar) reminds the librarian to make last month's workbook.
Everything slow runs on the background runner with a progress bar and Cancel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from mediatheque.errors import MediathequeError
from mediatheque.formatting import month_year, short_day
from mediatheque.i18n import _, ngettext
from mediatheque.models import MemberCategory
from mediatheque.models.vocabulary import MediaType
from mediatheque.permissions import Permission
from mediatheque.reports.jobs import (
    export_overdue_file,
    library_today,
    load_overdue,
    make_letters,
    make_monthly_workbook,
)
from mediatheque.reports.labels import media_type_label
from mediatheque.reports.monthly import MonthlyReport, shift_month
from mediatheque.reports.notice_settings import load_notice_settings
from mediatheque.reports.notices import EMAIL, LETTER, plan_notices
from mediatheque.reports.overdue import OverdueFilter, OverdueMember
from mediatheque.reports.overdue_export import default_overdue_name
from mediatheque.reports.sending import NoticeRun, send_notices
from mediatheque.ui import dialogs
from mediatheque.ui.context import AppContext
from mediatheque.ui.page import Page
from mediatheque.ui.runner import Task
from mediatheque.ui.widgets import count_suffix

REMINDER_DAYS = 5  # the workbook reminder shows on the first days of a month
MONTHS_OFFERED = 25
STATUS_MS = 15_000


def choose_save_path(parent: QWidget, title: str, suggested: Path, filters: str) -> Path | None:
    """Where to save a file (tests replace this)."""
    name, _filter = QFileDialog.getSaveFileName(parent, title, str(suggested), filters)
    return Path(name) if name else None


def open_externally(path: Path) -> None:
    """Opens a file or folder with the system's program (tests replace this)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def two_lines(text: str) -> str:
    """A column header broken at the space nearest its middle ("Notice\nreached")."""
    spaces = [index for index, char in enumerate(text) if char == " "]
    if not spaces:
        return text
    middle = min(spaces, key=lambda index: abs(index - len(text) / 2))
    return text[:middle] + "\n" + text[middle + 1:]


def month_label(month: date) -> str:
    return month_year(month)


def level_text(level: int) -> str:
    return str(level) if level else "—"


def _align(item: QTreeWidgetItem) -> None:
    """Figures right-aligned, notice levels centred, for members and loans alike."""
    item.setTextAlignment(4, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    for column in (5, 6):
        item.setTextAlignment(column, Qt.AlignmentFlag.AlignCenter)


class ReportsPage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:  # noqa: PLR0915
        super().__init__(context, parent)
        self.members: list[OverdueMember] = []
        self._task: Task | None = None
        self._last_folder: Path | None = None
        self._today = library_today(context.database, context.clock())

        # Reminder banner.
        self.banner = QFrame()
        self.banner.setObjectName("reportsBanner")
        self.banner.setStyleSheet(
            "#reportsBanner { background: #fff4d6; border: 1px solid #e0b84f; "
            "border-radius: 4px; }")
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_button = QPushButton()
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.banner_button)

        # Overdue.
        self.overdue_box = QGroupBox()
        self.days_label = QLabel()
        self.days = QSpinBox()
        self.days.setRange(1, 3650)
        self.days.setValue(1)
        self.days_label.setBuddy(self.days)
        self.category_label = QLabel()
        self.category = QComboBox()
        self.category_label.setBuddy(self.category)
        self.media_label = QLabel()
        self.media = QComboBox()
        self.media_label.setBuddy(self.media)
        self.refresh_button = QPushButton()
        for combo in (self.category, self.media):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(20)  # "Все типы документов"
        filters = QHBoxLayout()
        for widget in (self.days_label, self.days, self.category_label, self.category,
                       self.media_label, self.media):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.refresh_button)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(7)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 7):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)  # a long count wraps rather than widening the window
        self.letters_button = QPushButton()
        self.send_button = QPushButton()
        self.xlsx_button = QPushButton()
        self.csv_button = QPushButton()
        actions = QHBoxLayout()
        actions.addWidget(self.summary, 1)
        for button in (self.letters_button, self.send_button, self.xlsx_button,
                       self.csv_button):
            actions.addWidget(button)
        overdue_layout = QVBoxLayout(self.overdue_box)
        overdue_layout.addLayout(filters)
        overdue_layout.addWidget(self.tree, 1)
        overdue_layout.addLayout(actions)

        # Monthly workbook.
        self.monthly_box = QGroupBox()
        self.month_label = QLabel()
        self.month = QComboBox()
        self.month_label.setBuddy(self.month)
        self.workbook_button = QPushButton()
        self.folder_button = QPushButton()
        self.folder_button.setEnabled(False)
        self.monthly_note = QLabel()
        self.monthly_note.setWordWrap(True)
        monthly_layout = QHBoxLayout(self.monthly_box)
        monthly_layout.addWidget(self.month_label)
        monthly_layout.addWidget(self.month)
        monthly_layout.addWidget(self.workbook_button)
        monthly_layout.addWidget(self.folder_button)
        monthly_layout.addWidget(self.monthly_note, 1)

        # Progress.
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton()
        self.progress_row = QWidget()
        progress_layout = QHBoxLayout(self.progress_row)
        progress_layout.setContentsMargins(0, 0, 0, 0)
        progress_layout.addWidget(self.progress, 1)
        progress_layout.addWidget(self.cancel_button)
        self.progress_row.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.overdue_box, 1)
        layout.addWidget(self.monthly_box)
        layout.addWidget(self.progress_row)

        self.refresh_button.clicked.connect(self.load_overdue)
        self.days.editingFinished.connect(self.load_overdue)
        self.category.currentIndexChanged.connect(self.load_overdue)
        self.media.currentIndexChanged.connect(self.load_overdue)
        self.letters_button.clicked.connect(self.make_letters)
        self.send_button.clicked.connect(self.send_notices)
        self.xlsx_button.clicked.connect(lambda: self.export(".xlsx"))
        self.csv_button.clicked.connect(lambda: self.export(".csv"))
        self.workbook_button.clicked.connect(self.make_workbook)
        self.banner_button.clicked.connect(self._make_reminded_workbook)
        self.folder_button.clicked.connect(self._open_folder)
        self.cancel_button.clicked.connect(self._cancel)
        context.events.actor_changed.connect(lambda _actor: self._update_buttons())
        self.retranslate()
        self.refresh()
        QTimer.singleShot(0, self._remind_in_status_bar)

    # texts

    def retranslate(self) -> None:
        self.overdue_box.setTitle(_("Overdue loans"))
        self.days_label.setText(_("Late by at least"))
        count_suffix(self.days, lambda n: ngettext("{n} day", "{n} days", n))
        self.category_label.setText(_("Cate&gory:"))
        self.media_label.setText(_("&Media type:"))
        self.refresh_button.setText(_("&Refresh"))
        self.tree.setHeaderLabels([
            _("Member / title"), _("Card / copy"), _("Category / due on"),
            _("Contact / media type"),
            # the number columns take two-line headers: the names keep the width
            *(two_lines(text) for text in (_("Days late"), _("Notice reached"),
                                          _("Notice sent"))),
        ])
        self.letters_button.setText(_("&Letters (PDF)…"))
        self.send_button.setText(_("Send &notices…"))
        self.xlsx_button.setText(_("Export &xlsx…"))
        self.csv_button.setText(_("Export &CSV…"))
        self.monthly_box.setTitle(_("Monthly workbook for the director"))
        self.month_label.setText(_("Mon&th:"))
        self.workbook_button.setText(_("Make the &workbook…"))
        self.folder_button.setText(_("&Open the folder"))
        self.monthly_note.setText(_(
            "Figures, charts and counts only: no member's name is in the workbook."))
        self.cancel_button.setText(_("Cancel"))
        self.banner_button.setText(_("Make it now"))
        self._fill_filters()
        self._fill_months()
        self._show_banner()
        self._show_members()

    def _fill_filters(self) -> None:
        chosen_category = self.category.currentData()
        chosen_media = self.media.currentData()
        self.category.blockSignals(True)
        self.media.blockSignals(True)
        self.category.clear()
        self.category.addItem(_("All categories"), None)
        with self.context.database.read() as session:
            for category_id, name in session.execute(
                select(MemberCategory.id, MemberCategory.name).order_by(MemberCategory.name)
            ):
                self.category.addItem(name, category_id)
        self.media.clear()
        self.media.addItem(_("All media types"), None)
        for media in MediaType:
            self.media.addItem(media_type_label(media.value), media.value)
        for combo, chosen in ((self.category, chosen_category), (self.media, chosen_media)):
            index = combo.findData(chosen)
            combo.setCurrentIndex(max(0, index))
        self.category.blockSignals(False)
        self.media.blockSignals(False)

    def _fill_months(self) -> None:
        chosen = self.month.currentData()
        self.month.clear()
        first = self._today.replace(day=1)
        for back in range(MONTHS_OFFERED):
            month = shift_month(first, -back)
            self.month.addItem(month_label(month), month.isoformat())
        index = self.month.findData(chosen) if chosen else 1  # default: last month
        self.month.setCurrentIndex(max(0, index))

    # reminder

    def reminder_text(self) -> str | None:
        """The reminder of the first days of a month, or None."""
        if self._today.day > REMINDER_DAYS:
            return None
        month = shift_month(self._today.replace(day=1), -1)
        return _("A new month has begun: the director's workbook for {month} can be made "
                 "now.").format(month=month_label(month))

    def _show_banner(self) -> None:
        text = self.reminder_text()
        self.banner.setVisible(text is not None and self.context.actor.can(Permission.REPORTS))
        self.banner_text.setText(text or "")

    def _remind_in_status_bar(self) -> None:
        text = self.reminder_text()
        window = self.window()
        if text and isinstance(window, QMainWindow) and self.context.actor.can(
                Permission.REPORTS):
            window.statusBar().showMessage(text, STATUS_MS)

    def _make_reminded_workbook(self) -> None:
        self.month.setCurrentIndex(1)
        self.make_workbook()

    # loading

    def refresh(self) -> None:
        self._today = library_today(self.context.database, self.context.clock())
        self._fill_filters()
        self._fill_months()
        self._show_banner()
        self.load_overdue()

    def filters(self) -> OverdueFilter:
        category = self.category.currentData()
        media = self.media.currentData()
        return OverdueFilter(
            min_days_late=self.days.value(),
            category_ids=(category,) if category is not None else (),
            media_types=(media,) if media else (),
        )

    def load_overdue(self) -> None:
        if not self.context.actor.can(Permission.REPORTS):
            self.members = []
            self._show_members()
            return
        self.context.runner.submit(
            load_overdue, self.context.database, self.context.actor, today=self._today,
            filters=self.filters(), on_done=self._loaded, on_failed=self._failed)

    def _loaded(self, members: list[OverdueMember]) -> None:
        self.members = members
        self._show_members()

    def _show_members(self) -> None:
        self.tree.clear()
        for member in self.members:
            contact = member.email or member.phone or ""
            top = QTreeWidgetItem([
                member.name, member.barcode, member.category_name, contact,
                str(member.days_late), level_text(member.level_reached),
                level_text(member.level_sent),
            ])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for loan in member.loans:
                child = QTreeWidgetItem(top, [
                    loan.title, loan.copy_barcode,
                    short_day(loan.due_on),
                    media_type_label(loan.media_type), str(loan.days_late),
                    level_text(loan.level_reached), level_text(loan.level_sent),
                ])
                _align(child)
            _align(top)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()
        loans = sum(len(member.loans) for member in self.members)
        letters, emails = self.notices_due()
        self.summary.setText(
            ngettext("{n} overdue loan", "{n} overdue loans", loans).format(n=loans) + ", "
            + ngettext("{n} member", "{n} members", len(self.members)).format(
                n=len(self.members)) + " · "
            + _("notices due: {letters} letters, {emails} e-mails").format(
                letters=letters, emails=emails))
        self._update_buttons()

    def notices_due(self) -> tuple[int, int]:
        with self.context.database.read() as session:
            settings = load_notice_settings(session)
        plan = plan_notices(self.members, settings)
        return (sum(n.channel == LETTER for n in plan), sum(n.channel == EMAIL for n in plan))

    def _update_buttons(self) -> None:
        allowed = self.context.actor.can(Permission.REPORTS)
        idle = self._task is None
        for button in (self.letters_button, self.xlsx_button, self.csv_button):
            button.setEnabled(allowed and idle and bool(self.members))
        self.send_button.setEnabled(allowed and idle and any(m.level_due for m in self.members))
        self.workbook_button.setEnabled(allowed and idle)
        self.refresh_button.setEnabled(allowed and idle)
        self.banner_button.setEnabled(allowed and idle)

    # actions

    def _start(self, label: str, work: Callable[..., Any], *args: Any,
               on_done: Callable[[Any], None], **kwargs: Any) -> None:
        self.progress.setRange(0, 0)
        self.progress.setFormat(label + " %p%")
        self.progress_row.show()

        over = [False]  # a synchronous runner (tests) finishes before submit returns

        def finished(result: Any) -> None:
            over[0] = True
            self._finish()
            on_done(result)

        def failed(error: BaseException) -> None:
            over[0] = True
            self._finish()
            self._failed(error)

        task = self.context.runner.submit(
            work, *args, on_done=finished, on_failed=failed, on_progress=self._progressed,
            **kwargs)
        if not over[0]:
            self._task = task
        self._update_buttons()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finish(self) -> None:
        self._task = None
        self.progress_row.hide()
        self._update_buttons()

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, MediathequeError):
            dialogs.show_error(self, error)
        else:
            raise error

    def make_letters(self) -> None:
        suggested = self._folder() / (_("overdue-letters-{date}").format(
            date=self._today.isoformat()) + ".pdf")
        path = choose_save_path(self, _("Save the letters"), suggested, _("PDF (*.pdf)"))
        if path is None:
            return
        self._start(_("Letters"), make_letters, self.context.database, self.context.actor,
                    today=self._today, members=list(self.members), path=path,
                    on_done=self._saved_and_open)

    def export(self, suffix: str) -> None:
        suggested = self._folder() / default_overdue_name(self._today, suffix)
        filters = _("Excel workbook (*.xlsx)") if suffix == ".xlsx" else _("CSV (*.csv)")
        path = choose_save_path(self, _("Export the overdue list"), suggested, filters)
        if path is None:
            return
        if path.suffix.lower() != suffix:
            path = path.with_suffix(suffix)
        self._start(_("Export"), export_overdue_file, list(self.members), today=self._today,
                    path=path, on_done=self._saved)

    def send_notices(self) -> None:
        letters, emails = self.notices_due()
        if not letters and not emails:
            return
        text = _("{letters} letters to print and {emails} e-mails will be sent now, and "
                 "recorded so that nobody gets the same notice twice.").format(
            letters=letters, emails=emails)
        if not dialogs.confirm(self, _("Send notices"), text, _("Send")):
            return
        path = None
        if letters:
            suggested = self._folder() / (_("notices-{date}").format(
                date=self._today.isoformat()) + ".pdf")
            path = choose_save_path(self, _("Save the letters to print"), suggested,
                                    _("PDF (*.pdf)"))
            if path is None:
                return
        self._start(_("Notices"), send_notices, self.context.database, self.context.actor,
                    today=self._today, now=self.context.clock(), letters_path=path,
                    filters=self.filters(), on_done=self._sent)

    def _sent(self, run: NoticeRun) -> None:
        text = _("Notices sent: {emails} by e-mail, {letters} letters.").format(
            emails=run.emails, letters=run.letters)
        if run.failed:
            text += "\n" + ngettext(
                "{n} e-mail could not be sent; it will be tried again.",
                "{n} e-mails could not be sent; they will be tried again.",
                len(run.failed)).format(n=len(run.failed))
        dialogs.inform(self, _("Send notices"), text)
        if run.letters_path is not None:
            self._saved_and_open(run.letters_path)
        self.load_overdue()

    def make_workbook(self) -> None:
        chosen = self.month.currentData()
        if not chosen:
            return
        month = date.fromisoformat(chosen)
        suggested = self._folder() / f"monthly-{month:%Y-%m}.xlsx"
        path = choose_save_path(self, _("Save the monthly workbook"), suggested,
                                _("Excel workbook (*.xlsx)"))
        if path is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        self._start(_("Workbook"), make_monthly_workbook, self.context.database,
                    self.context.actor, month=month, today=self._today, path=path,
                    on_done=lambda report: self._workbook_done(report, path))

    def _workbook_done(self, report: MonthlyReport, path: Path) -> None:
        self._saved(path)
        self.monthly_note.setText(_("{month}: {loans} loans, {members} active borrowers — "
                                    "saved as {name}.").format(
            month=month_label(report.month), loans=report.summary.loans,
            members=report.summary.active_members, name=path.name))

    def _saved(self, path: Path) -> None:
        self._last_folder = path.parent
        self.folder_button.setEnabled(True)
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(_("Saved: {path}").format(path=path), STATUS_MS)

    def _saved_and_open(self, path: Path) -> None:
        self._saved(path)
        open_externally(path)

    def _open_folder(self) -> None:
        if self._last_folder is not None:
            open_externally(self._last_folder)

    def _folder(self) -> Path:
        return self._last_folder or Path.home()

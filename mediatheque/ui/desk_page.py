"""The loan desk: one scan field, the open member, what each scan did, from the keyboard.

Scans come from the application-wide ScanCapture (whatever widget had the focus) or from the
scan field (a code typed by hand and Enter). Each goes into a ScanQueue and is processed one
at a time, in order, on the runner (mediatheque/ui/desk_work.py: codes and ids in, frozen
dataclasses out); while a modal dialog is open the queue waits. Routing (DESIGN.md §4):
member card → that member; copy → loan to the open member, or return when none is open or in
Return mode; ISBN → the catalogue record; replaced card → refused.

Keys: F2 new member session · F3 Return mode · F4 renew all · Ctrl+R renew the selected
loan · Esc close the member · Ctrl+O override the last refusal (asks a reason) · Ctrl+L
return a copy on loan elsewhere, then lend it · Ctrl+P print the loan slip (Qt's print
dialog) · Ctrl+Shift+P save it as PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mediatheque.circulation import MemberPanel
from mediatheque.circulation.rules import OVERRIDABLE
from mediatheque.errors import LoanRefused
from mediatheque.i18n import _, ngettext
from mediatheque.messages import describe_error
from mediatheque.scanning import ReadResult, ReadStatus, RepeatGuard, ScanQueue
from mediatheque.scanning.queue import QueuedScan
from mediatheque.ui import desk_work
from mediatheque.ui.context import AppContext
from mediatheque.ui.desk_widgets import (
    Banner,
    MemberPanelView,
    MemberSession,
    ScanQueueView,
    SessionSummaryView,
    SessionTotals,
    short_date,
)
from mediatheque.ui.page import Page
from mediatheque.ui.scan_capture import ScanCapture, monotonic_ms

MODAL_RETRY_MS = 200


@dataclass
class LastRefusal:
    error: LoanRefused
    copy_barcode: str
    member_id: int


class DeskPage(Page):
    def __init__(
        self, context: AppContext, parent: QWidget | None = None, *,
        capture: ScanCapture | None = None, ms_clock: Callable[[], float] = monotonic_ms,
    ) -> None:
        super().__init__(context, parent)
        self.setObjectName("desk")
        self.queue = ScanQueue()
        self.repeats = RepeatGuard()
        self.ms_clock = ms_clock
        self.member: MemberPanel | None = None
        self.member_session: MemberSession | None = None
        self.return_mode = False
        self.totals = SessionTotals()
        self.last_refusal: LastRefusal | None = None
        self._pumping = False
        # Replaceable in tests (they would block on a real dialog).
        self.ask_reason: Callable[[str], str | None] = self._ask_reason
        self.choose_slip_path: Callable[[], Path | None] = self._choose_slip_path
        self.print_pdf: Callable[[bytes], bool] = self._print_pdf
        self.beep: Callable[[], None] = QApplication.beep
        self._build()
        self._build_shortcuts()
        self.capture = capture or ScanCapture(self, accepts=self.isVisible)
        if capture is None:
            self.capture.install()
        self.capture.scanned.connect(self.scan)
        self.capture.unreadable.connect(self._unreadable)
        self._modal_timer = QTimer(self)
        self._modal_timer.setSingleShot(True)
        self._modal_timer.timeout.connect(self._pump)
        self.retranslate()

    # building

    def _build(self) -> None:
        self.mode = QLabel()
        self.mode.setMinimumWidth(200)
        font = self.mode.font()
        font.setBold(True)
        self.mode.setFont(font)
        self.field = QLineEdit()
        self.field.setObjectName("scanField")
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(self._typed)
        top = QHBoxLayout()
        top.addWidget(self.mode)
        top.addWidget(self.field, 1)
        self.banner = Banner()
        self.member_view = MemberPanelView()
        self.queue_title = QLabel()
        self.queue_view = ScanQueueView()
        self.summary_title = QLabel()
        self.summary = SessionSummaryView()
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.queue_title)
        side_layout.addWidget(self.queue_view, 2)
        side_layout.addWidget(self.summary_title)
        side_layout.addWidget(self.summary, 1)
        splitter = QSplitter()
        splitter.addWidget(self.member_view)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.keys_help = QLabel()
        self.keys_help.setWordWrap(True)
        self.keys_help.setStyleSheet("color:palette(dark);")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.keys_help)
        self.setFocusProxy(self.field)

    def _build_shortcuts(self) -> None:
        self.shortcuts: dict[str, QShortcut] = {}
        for name, keys, slot in (
            ("new_member", "F2", self.new_member_session),
            ("return_mode", "F3", self.toggle_return_mode),
            ("renew_all", "F4", self.renew_all),
            ("renew_selected", "Ctrl+R", self.renew_selected),
            ("close_member", "Esc", self.close_member),
            ("override", "Ctrl+O", self.override_last_refusal),
            ("return_then_lend", "Ctrl+L", self.return_then_lend),
            ("slip", "Ctrl+P", self.print_slip),
            ("save_slip", "Ctrl+Shift+P", self.save_slip),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts[name] = shortcut

    def retranslate(self) -> None:
        self.field.setPlaceholderText(_("Scan a card or a copy, or type a barcode and Enter"))
        self.queue_title.setText(_("Scans"))
        self.summary_title.setText(_("Session"))
        self.keys_help.setText(_(
            "F2 new member · F3 return mode · F4 renew all · Ctrl+R renew selected · "
            "Esc close member · Ctrl+O override refusal · Ctrl+L return then lend · "
            "Ctrl+P print loan slip · Ctrl+Shift+P save it as PDF"))
        self.member_view.retranslate()
        self._update_mode()
        self.summary.show_totals(self.totals)

    def refresh(self) -> None:
        if self.member is not None:
            self._reload_member(self.member.member_id)

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.field.setFocus()

    # scans in

    def scan(self, code: str) -> None:
        """A code from the scanner (or typed): queued, then processed in order."""
        code = code.strip()
        if not code:
            return
        if self.repeats.seen(code, self.ms_clock()):
            self.banner.show_message(_("{code} scanned twice: the second scan is ignored."
                                       ).format(code=code), "attention")
            return
        queued = self.queue.put(code, self.ms_clock())
        self.queue_view.added(queued.number, code)
        self._pump()

    def _typed(self) -> None:
        text = self.field.text()
        self.field.clear()
        self.scan(text)

    def _unreadable(self, result: ReadResult) -> None:
        if result.status is ReadStatus.CHECKSUM_ERROR:
            text = _("The scan {code} has a wrong check digit: scan it again.").format(
                code=result.code)
        else:
            text = _("The scanner and the keyboard layout disagree (read “{typed}”): set the "
                     "scanner to a US keyboard, or switch the keyboard to English or Russian, "
                     "and scan again.").format(typed=result.typed)
        self._refused_signal(text)

    # processing, one at a time

    def _pump(self) -> None:
        if self._pumping:
            return
        self._pumping = True
        try:
            while not self.queue.busy:
                if QApplication.activeModalWidget() is not None:
                    if len(self.queue):
                        self._modal_timer.start(MODAL_RETRY_MS)
                    return
                scan = self.queue.take()
                if scan is None:
                    return
                self._start(scan)
        finally:
            self._pumping = False

    def _start(self, scan: QueuedScan) -> None:
        self.queue_view.started(scan.number)
        member_id = self.member.member_id if self.member else None
        self.context.runner.submit(
            desk_work.process_scan, self.context.database, self.context.actor, scan.code,
            member_id=member_id, return_mode=self.return_mode, now=self.context.clock(),
            on_done=lambda outcome: self._finished(scan, outcome),
            on_failed=lambda error: self._crashed(scan, error),
        )

    def _finished(self, scan: QueuedScan, outcome: desk_work.Outcome) -> None:
        try:
            text, ok = self.show_outcome(outcome)
            self.queue_view.finished(scan.number, text, ok)
        finally:
            self.queue.done()
        self._pump()

    def _crashed(self, scan: QueuedScan, error: BaseException) -> None:
        self.queue.done()
        text = _("Unexpected problem: {problem}").format(problem=f"{type(error).__name__}: {error}")
        self.queue_view.finished(scan.number, text, False)
        self._refused_signal(text)
        self._pump()

    # outcomes

    def show_outcome(  # noqa: PLR0912 (one case per outcome)
        self, outcome: desk_work.Outcome,
    ) -> tuple[str, bool]:
        """Shows what a scan or an action did; returns the queue line and success."""
        match outcome:
            case desk_work.MemberOpened(panel=panel):
                self._open_member(panel)
                text = _("Member: {name}").format(name=_name(panel))
                self.banner.show_message(text, "attention" if panel.warnings else "ok")
                return text, True
            case desk_work.Lent(done=done, panel=panel):
                self._show_member(panel)
                self.totals.loans += 1
                if self.member_session is not None:
                    self.member_session.loans += 1
                    self.member_session.lent.append((done.title, done.copy_barcode, done.due_on))
                self.last_refusal = None
                text = _("Lent: {title} — due {date}").format(
                    title=done.title, date=short_date(done.due_on))
                if done.overridden:
                    text += " " + _("(refusal overridden)")
                self.banner.show_message(text, "ok")
                self._update_summary()
                return text, True
            case desk_work.Returned(done=done, member_name=borrower, panel=panel):
                if panel is not None:
                    self._show_member(panel)
                return self._returned(done, borrower), True
            case desk_work.Refused(error=error, panel=panel):
                if panel is not None:
                    self._show_member(panel)
                self._refused(error)
                return describe_error(error), False
            case desk_work.Renewed(renewed=renewed, refused=refused, panel=panel):
                self._show_member(panel)
                return self._renewed(renewed, refused), not refused
            case desk_work.IsbnScanned(isbn13=isbn13, record_id=record_id):
                return self._isbn(isbn13, record_id), True
            case desk_work.Unknown(code=unknown):
                text = _("{code} is neither a card, nor a copy, nor an ISBN of this library."
                         ).format(code=unknown)
                self._refused_signal(text)
                return text, False
            case desk_work.Failed(error=error, panel=panel):
                if panel is not None:
                    self._show_member(panel)
                text = describe_error(error)
                self._refused_signal(text)
                return text, False
        raise AssertionError(outcome)

    def _returned(self, done: desk_work.ReturnDone, borrower: str) -> str:
        self.totals.returns += done.was_on_loan
        self._update_summary()
        if not done.was_on_loan:
            text = _("{title}: this copy was not on loan.").format(title=done.title)
            self.banner.show_message(text, "attention")
            return text
        text = _("Returned: {title}").format(title=done.title)
        if borrower:
            text += " — " + borrower
        if done.late_days:
            text += " — " + ngettext("{n} day late", "{n} days late", done.late_days).format(
                n=done.late_days)
        if done.hold_for is not None:
            text += "\n" + _("Put aside for {name} (hold, to pick up by {date}).").format(
                name=done.hold_for.member_name, date=short_date(done.hold_for.pickup_by))
            self.banner.show_message(text, "attention")
            self.beep()
        else:
            self.banner.show_message(text, "attention" if done.late_days else "ok")
        return text

    def _renewed(self, renewed: tuple[desk_work.RenewDone, ...],
                 refused: tuple[LoanRefused, ...]) -> str:
        self.totals.renewals += len(renewed)
        if self.member_session is not None:
            self.member_session.renewals += len(renewed)
        text = ngettext("{n} loan renewed", "{n} loans renewed", len(renewed)).format(
            n=len(renewed))
        if len(renewed) == 1:
            text += ": " + _("{title} — due {date}").format(
                title=renewed[0].title, date=short_date(renewed[0].due_on))
        if refused:
            self.totals.refusals += len(refused)
            if self.member_session is not None:
                self.member_session.refusals += len(refused)
            text += "\n" + "\n".join(describe_error(error) for error in refused)
            self.banner.show_message(text, "refused")
            self.beep()
        else:
            self.banner.show_message(text, "ok")
        self._update_summary()
        return text

    def _refused(self, error: LoanRefused) -> None:
        text = describe_error(error)
        member_id = self.member.member_id if self.member else None
        if error.copy_barcode and member_id is not None:
            self.last_refusal = LastRefusal(error, error.copy_barcode, member_id)
            if error.reason in OVERRIDABLE:
                text += "\n" + _("Ctrl+O to lend anyway, with a reason.")
            elif error.reason == "copy_on_loan":
                text += "\n" + _("Ctrl+L to record its return, then lend it.")
        if self.member_session is not None:
            self.member_session.refusals += 1
        self._refused_signal(text)

    def _refused_signal(self, text: str) -> None:
        self.totals.refusals += 1
        self.banner.show_message(text, "refused")
        self.beep()
        self._update_summary()

    def _isbn(self, isbn13: str, record_id: int | None) -> str:
        if record_id is None:
            text = _("ISBN {isbn}: not in the catalogue yet. Scan the copy's own barcode "
                     "to lend or return it.").format(isbn=isbn13)
            self.banner.show_message(text, "attention")
            return text
        text = _("ISBN {isbn}: the record is shown in the Catalogue. Scan the copy's own "
                 "barcode to lend or return it.").format(isbn=isbn13)
        self.banner.show_message(text, "attention")
        self.show_record(record_id)
        return text

    def show_record(self, record_id: int) -> None:
        """Switches to the Catalogue page on that record (when the window has one)."""
        window = self.window()
        pages = getattr(window, "pages", {})
        catalogue = pages.get("catalogue")
        if catalogue is not None and hasattr(window, "show_page"):
            window.show_page("catalogue")
            catalogue.show_record(record_id)

    # the member

    def _open_member(self, panel: MemberPanel) -> None:
        if self.member is not None and self.member.member_id != panel.member_id:
            self._close_member_session()
        if self.member_session is None or self.member_session.member_id != panel.member_id:
            self.member_session = MemberSession(panel.member_id, _name(panel))
        self.return_mode = False
        self.last_refusal = None
        self._show_member(panel)
        self._update_mode()

    def _show_member(self, panel: MemberPanel) -> None:
        if self.member is not None and panel.member_id != self.member.member_id:
            return  # a late answer about a member closed since
        if self.member is None and self.member_session is None:
            return
        self.member = panel
        self.member_view.show_panel(panel)

    def _reload_member(self, member_id: int) -> None:
        self.context.runner.submit(
            desk_work.load_panel, self.context.database, member_id, self.context.clock(),
            on_done=self._show_member,
        )

    def _close_member_session(self) -> None:
        self.repeats.forget()  # a deliberate change: the next scan of a copy counts
        if self.member_session is not None:
            self.totals.members.append(self.member_session)
        self.member_session = None
        self.member = None
        self.last_refusal = None
        self.member_view.show_panel(None)
        self._update_summary()

    def close_member(self) -> None:
        """Esc: the member's session ends (its summary is kept)."""
        if self.member is None:
            return
        self._close_member_session()
        self.banner.show_message(_("Member closed."), "idle")
        self._update_mode()

    def new_member_session(self) -> None:
        """F2: ready for the next member's card."""
        self._close_member_session()
        self.return_mode = False
        self.banner.show_message(_("Scan the member's card."), "idle")
        self._update_mode()
        self.field.setFocus()

    def toggle_return_mode(self) -> None:
        """F3: copies scanned are returned, even with a member open."""
        self.return_mode = not self.return_mode
        self.repeats.forget()
        self.banner.show_message(
            _("Return mode: scan the copies brought back.") if self.return_mode
            else _("Return mode ended."), "idle")
        self._update_mode()
        self.field.setFocus()

    def _update_mode(self) -> None:
        if self.return_mode:
            self.mode.setText(_("RETURNS"))
            self.mode.setStyleSheet("color:white;background:#1565c0;padding:4px;")
        elif self.member is not None:
            self.mode.setText(_("Lending to {name}").format(name=_name(self.member)))
            self.mode.setStyleSheet("color:white;background:#2e7d32;padding:4px;")
        else:
            self.mode.setText(_("No member: scans return"))
            self.mode.setStyleSheet("padding:4px;")

    def _update_summary(self) -> None:
        totals = self.totals
        if self.member_session is not None:
            totals = SessionTotals(totals.loans, totals.returns, totals.renewals,
                                   totals.refusals, [*totals.members, self.member_session])
        self.summary.show_totals(totals)

    # actions

    def _run(self, work: Callable[..., desk_work.Outcome], *args: object, **kwargs: object) -> None:
        now = self.context.clock()
        self.context.runner.submit(
            work, self.context.database, self.context.actor, *args, now=now,
            on_done=self.show_outcome,
            on_failed=lambda error: self._refused_signal(str(error)), **kwargs,
        )

    def renew_all(self) -> None:
        if self.member is None:
            self.banner.show_message(_("Open a member first (scan the card)."), "attention")
            return
        self._run(desk_work.renew_everything, member_id=self.member.member_id)

    def renew_selected(self) -> None:
        barcode = self.member_view.selected_barcode()
        if self.member is None or barcode is None:
            return
        self._run(desk_work.renew_one, barcode, member_id=self.member.member_id)

    def override_last_refusal(self) -> None:
        refusal = self.last_refusal
        if refusal is None or refusal.error.reason not in OVERRIDABLE:
            return
        reason = self.ask_reason(describe_error(refusal.error))
        self._pump()  # scans queued while the dialog was open
        if not reason or not reason.strip():
            return
        self.last_refusal = None
        self._run(desk_work.lend, refusal.copy_barcode, member_id=refusal.member_id,
                  override_reason=reason.strip())

    def return_then_lend(self) -> None:
        refusal = self.last_refusal
        if refusal is None or refusal.error.reason != "copy_on_loan":
            return
        self.last_refusal = None
        self._run(desk_work.lend, refusal.copy_barcode, member_id=refusal.member_id,
                  return_first=True)

    def _ask_reason(self, refusal: str) -> str | None:
        text, ok = QInputDialog.getText(
            self, _("Override the refusal"),
            _("{refusal}\n\nWhy lend anyway? (kept in the audit log)").format(refusal=refusal),
        )
        return text if ok else None

    def print_slip(self) -> None:
        """Ctrl+P: prints the open member's loan slip (in the member's language)."""
        data = self.slip()
        if data is None:
            return
        printed = self.print_pdf(data)
        self._pump()  # scans queued while the dialog was open
        if printed:
            self.banner.show_message(_("Loan slip sent to the printer."), "ok")

    def save_slip(self) -> None:
        """Ctrl+Shift+P: the loan slip as a PDF file."""
        data = self.slip()
        if data is None:
            return
        path = self.choose_slip_path()
        self._pump()
        if path is None:
            return
        path.write_bytes(data)
        self.banner.show_message(_("Loan slip saved: {name}").format(name=path.name), "ok")

    def slip(self) -> bytes | None:
        """The open member's loan slip: the copies lent in this session, else all the
        member's current loans. None when no member is open."""
        if self.member is None or self.member_session is None:
            return None
        from mediatheque.circulation.slip import SlipLine, loan_slip_pdf

        lent = self.member_session.lent
        lines = [SlipLine(title, barcode, due) for title, barcode, due in lent] or [
            SlipLine(line.title, line.copy_barcode, line.due_on) for line in self.member.loans
        ]
        library = self.context.library()
        today = self.context.clock().astimezone(library.zone).date()
        return loan_slip_pdf(
            library_name=library.name, member_name=_name(self.member),
            member_barcode=self.member.barcode, lines=lines,
            language_code=self.member.preferred_language, printed_on=today,
        )

    def _print_pdf(self, data: bytes) -> bool:
        from mediatheque.ui.pdf_printing import print_pdf

        return print_pdf(self, data, _("Loan slip"))

    def _choose_slip_path(self) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save the loan slip"), "loan-slip.pdf", _("PDF files (*.pdf)"))
        return Path(name) if name else None


def _name(panel: MemberPanel) -> str:
    return f"{panel.first_name} {panel.last_name}".strip()

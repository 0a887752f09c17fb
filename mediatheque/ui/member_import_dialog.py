"""Importing members from a CSV file: the file is checked first (dry run, nothing written)
and the report shown — how many members, which rows are rejected and why — then Import
writes them all in one transaction."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediatheque.errors import MediathequeError
from mediatheque.i18n import _, ngettext
from mediatheque.members.csv_import import (
    MemberCsvPlan,
    MemberImportReport,
    import_members_csv,
    read_member_csv,
)
from mediatheque.members.messages import csv_reason_text
from mediatheque.messages import describe_error
from mediatheque.permissions import Actor
from mediatheque.ui import dialogs
from mediatheque.ui.context import AppContext


def check_file(context: AppContext, actor: Actor, path: Path, today: date, *,
               dry_run: bool) -> tuple[MemberCsvPlan, MemberImportReport]:
    plan = read_member_csv(path)
    opened = context.database.read() if dry_run else context.database.write()
    with opened as session:
        report = import_members_csv(session, actor, plan, dry_run=dry_run,
                                    now=context.clock(), today=today)
    return plan, report


def report_text(plan: MemberCsvPlan, report: MemberImportReport) -> str:
    head = _("Check (nothing imported yet):") if report.dry_run else _("Imported:")
    lines = [head + " " + ngettext("{n} new member.", "{n} new members.",
                                   report.members_new).format(n=report.members_new),
             _("Columns read: {columns}").format(columns=", ".join(plan.columns) or "—")]
    if plan.ignored:
        lines.append(_("Columns ignored: {columns}").format(columns=", ".join(plan.ignored)))
    for title, issues in ((_("Rejected rows:"), report.rejected),
                          (_("Warnings (rows imported):"), report.warnings)):
        if issues:
            lines.append("")
            lines.append(title)
            for issue in issues:
                lines.append("  " + _("line {line}: {reason}").format(
                    line=issue.line, reason=csv_reason_text(issue.reason))
                    + (f" ({issue.detail})" if issue.detail else ""))
    return "\n".join(lines)


class MemberImportDialog(QDialog):
    def __init__(self, context: AppContext, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.today = today
        self.path: Path | None = None
        self.imported: MemberImportReport | None = None
        self.checked: MemberImportReport | None = None
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setMinimumSize(560, 300)
        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton()
        self.import_button.setEnabled(False)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.buttons)
        self.import_button.clicked.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Import members from a CSV file"))
        self.import_button.setText(_("&Import"))
        self.close_button.setText(_("Close"))

    def choose_file(self) -> bool:
        path = dialogs.choose_file_to_open(self.parentWidget(), _("Members to import"),
                                           Path.home(), _("CSV files (*.csv *.txt)"))
        if path is None:
            return False
        self.open_file(path)
        return True

    def open_file(self, path: Path) -> None:
        """Checks the file (dry run) and shows what an import would do."""
        self.path = path
        self.file_label.setText(str(path))
        self.import_button.setEnabled(False)
        self.report.setPlainText(_("Checking the file…"))
        self.context.runner.submit(check_file, self.context, self.context.actor, path,
                                   self.today, dry_run=True, on_done=self._checked,
                                   on_failed=self._failed)

    def _checked(self, outcome: tuple[MemberCsvPlan, MemberImportReport]) -> None:
        plan, report = outcome
        self.checked = report
        self.report.setPlainText(report_text(plan, report))
        self.import_button.setEnabled(report.members_new > 0)
        self.import_button.setDefault(True)

    def run_import(self) -> None:
        if self.path is None:
            return
        self.import_button.setEnabled(False)
        self.context.runner.submit(check_file, self.context, self.context.actor, self.path,
                                   self.today, dry_run=False, on_done=self._imported,
                                   on_failed=self._failed)

    def _imported(self, outcome: tuple[MemberCsvPlan, MemberImportReport]) -> None:
        plan, report = outcome
        self.imported = report
        self.report.setPlainText(report_text(plan, report))

    def _failed(self, error: BaseException) -> None:
        text = describe_error(error) if isinstance(error, MediathequeError) else str(error)
        self.report.setPlainText(text)
        self.import_button.setEnabled(False)

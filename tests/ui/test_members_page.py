"""The Members page: search as you type, paged table, detail pane, editor with duplicate
warning, renew / replace card / delete with confirmation, CSV import dry run then import."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from mediatheque.members.editing import MemberInput, register_member
from mediatheque.messages import describe_error
from mediatheque.models import Member, ReplacedCard
from mediatheque.ui import dialogs, members_page
from mediatheque.ui.context import AppContext
from mediatheque.ui.main_window import PAGES
from mediatheque.ui.member_editor import MemberEditor, to_qdate
from mediatheque.ui.member_import_dialog import MemberImportDialog
from mediatheque.ui.members_page import MembersPage
from mediatheque.ui.members_table import EXPIRED_COLOUR

TODAY = date(2026, 3, 2)


class Answers:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.confirm_answer = True
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.drive: Any = lambda dialog: False
        monkeypatch.setattr(dialogs, "confirm", self.confirm)
        monkeypatch.setattr(dialogs, "show_error", self.show_error)
        monkeypatch.setattr(members_page, "run_dialog", self._run)

    def _run(self, dialog: object) -> bool:
        return bool(self.drive(dialog))

    def confirm(self, _parent: object, _title: str, text: str, _action: str) -> bool:
        self.asked.append(text)
        return self.confirm_answer

    def show_error(self, _parent: object, error: object, _title: str = "") -> None:
        self.errors.append(describe_error(error) if not isinstance(error, str) else error)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    return Answers(monkeypatch)


def _register(context: AppContext, first: str, last: str, **fields: Any) -> int:
    with context.database.write() as session:
        return register_member(session, context.actor, MemberInput(first, last, **fields),
                               now=context.clock(), today=TODAY).member_id


@pytest.fixture
def people(context: AppContext) -> dict[str, int]:
    return {
        "abai": _register(context, "Абай", "Құнанбайұлы", phone="+7 701 111 22 33"),
        "elodie": _register(context, "Élodie", "Dupré", email="elodie@af.kz",
                            membership_start=date(2025, 1, 1),
                            membership_expiry=date(2025, 12, 31)),
        "lev": _register(context, "Lev", "Tolstoy"),
    }


@pytest.fixture
def page(qtbot: QtBot, context: AppContext, people: dict[str, int]) -> MembersPage:
    made = MembersPage(context)
    qtbot.add_widget(made)
    made.resize(1100, 650)
    made.show()
    return made


def _names(page: MembersPage) -> list[str]:
    return [row.last_name for row in page.model.rows]


def _search(page: MembersPage, text: str) -> None:
    page.search.setText(text)
    page.search_timer.timeout.emit()


def test_registered_after_catalogue() -> None:
    keys = [spec.key for spec in PAGES]
    assert keys.index("members") == keys.index("catalogue") + 1


def test_search_as_you_type_and_detail(page: MembersPage, people: dict[str, int]) -> None:
    assert page.model.total == 3 and "3" in page.count_label.text()
    _search(page, "abai")
    assert _names(page) == ["Құнанбайұлы"]
    assert page.current_member_id() == people["abai"]
    assert "Құнанбайұлы" in page.detail.label.text()
    _search(page, "+7 701")
    assert _names(page) == ["Құнанбайұлы"]
    _search(page, "dupre")
    text = page.detail.label.text()
    assert EXPIRED_COLOUR in text  # expired in red
    expiry = page.model.index(0, 4)
    assert page.model.data(expiry, Qt.ItemDataRole.ForegroundRole).name() == EXPIRED_COLOUR
    _search(page, "nobody at all")
    assert page.model.total == 0 and page.detail.details is None


def test_stale_results_are_dropped(page: MembersPage) -> None:
    page.model._sequence += 1  # a newer query is on its way
    stale = page.model._sequence - 1
    page.model._arrived(stale, 0, None)
    assert page.model.total == 3


def test_paging(qtbot: QtBot, context: AppContext) -> None:
    for number in range(130):
        _register(context, "Anna", f"Name{number:03d}")
    made = MembersPage(context)
    qtbot.add_widget(made)
    assert made.model.total == 130 and len(made.model.rows) == 100
    assert made.model.canFetchMore()
    made.model.fetchMore()
    assert len(made.model.rows) == 130 and not made.model.canFetchMore()


def test_new_member_with_duplicate_warning(page: MembersPage, answers: Answers,
                                           context: AppContext) -> None:
    seen: list[MemberEditor] = []

    def drive(editor: MemberEditor) -> bool:
        seen.append(editor)
        editor.last_name.setText("Kunanbaiuly")
        editor.first_name.setText("Abai")
        editor.phone.setText("8 701 111 22 33")
        editor.save()
        assert editor.result() == 0 and not editor.duplicate.isHidden()
        assert "Құнанбайұлы" in editor.duplicate.text()
        editor.save()  # saved anyway
        return editor.saved is not None

    answers.drive = drive
    page.new_action.trigger()
    saved = seen[0].saved
    assert saved is not None and len(saved.barcode) == 12
    assert saved.barcode in page.message.text()
    assert page.model.total == 4 and page.current_member_id() == saved.member_id


def test_editor_errors_and_expiry_follow_category(page: MembersPage, answers: Answers,
                                                  context: AppContext) -> None:
    def drive(editor: MemberEditor) -> bool:
        student = editor.category.findData("STUDENT")
        editor.category.setCurrentIndex(student)
        assert editor.expiry.date() == to_qdate(date(2026, 9, 2))  # 6 months
        editor.last_name.setText("Ә" * 201)
        assert len(editor.last_name.text()) == 200  # the field stops at the limit
        editor.last_name.setText("1234")
        editor.first_name.setText("Әсем")
        editor.save()
        assert not editor.error.isHidden() and "1234" in editor.error.text()
        editor.last_name.setText("Әуезова")
        editor.email.setText("not an address")
        editor.save()
        assert "not an address" in editor.error.text()
        editor.email.setText("")
        editor.expiry.setDate(to_qdate(date(2026, 1, 1)))
        editor.save()
        assert editor.saved is None and "2026-01-01" in editor.error.text()
        editor.barcode.setText("OLD-77")
        editor.expiry.setDate(to_qdate(date(2026, 12, 31)))
        editor.save()
        return editor.saved is not None

    answers.drive = drive
    page.new_action.trigger()
    with context.database.read() as session:
        member = session.scalars(select(Member).where(Member.barcode == "OLD-77")).one()
        assert member.last_name == "Әуезова" and member.category.code == "STUDENT"


def test_edit_renew_replace_delete(page: MembersPage, answers: Answers, context: AppContext,
                                   people: dict[str, int]) -> None:
    _search(page, "dupre")

    def edit(editor: MemberEditor) -> bool:
        assert editor.last_name.text() == "Dupré"
        editor.notes.setPlainText("Classe B1")
        editor.save()
        return True

    answers.drive = edit
    page.edit_action.trigger()
    assert "Classe B1" in page.detail.label.text()
    page.renew_action.trigger()
    with context.database.read() as session:
        member = session.get(Member, people["elodie"])
        assert member is not None and member.membership_expiry == date(2027, 3, 2)
        old = member.barcode
    answers.confirm_answer = False
    page.replace_action.trigger()
    with context.database.read() as session:
        assert session.scalar(select(func.count()).select_from(ReplacedCard)) == 0
    answers.confirm_answer = True
    page.replace_action.trigger()
    assert old in answers.asked[-1]
    with context.database.read() as session:
        assert session.get(ReplacedCard, old) is not None
    page.delete_action.trigger()
    assert "statistics" in answers.asked[-1] or "statistiques" in answers.asked[-1]
    assert page.model.total == 0 and answers.errors == []  # the search was "dupre"
    _search(page, "")
    assert page.model.total == 2


def test_print_card_hook(page: MembersPage, monkeypatch: pytest.MonkeyPatch,
                         people: dict[str, int]) -> None:
    calls: list[list[int]] = []
    monkeypatch.setattr(MembersPage, "card_printer",
                        lambda page_, ids: calls.append(ids))
    _search(page, "tolstoy")
    page.print_action.trigger()
    assert calls == [[people["lev"]]]


def test_csv_import_dry_run_then_import(page: MembersPage, answers: Answers,
                                        context: AppContext, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "class.csv"
    path.write_text("Фамилия;Имя;Телефон\nИванова;Мария;+7 701 000 00 01\nX;;\n",
                    encoding="utf-8")
    monkeypatch.setattr(dialogs, "choose_file_to_open", lambda *_args: path)
    checked: list[str] = []

    def drive(dialog: MemberImportDialog) -> bool:
        checked.append(dialog.report.toPlainText())
        assert dialog.checked is not None and dialog.checked.members_new == 1
        assert dialog.import_button.isEnabled()
        dialog.import_button.click()
        return True

    answers.drive = drive
    page.import_action.trigger()
    assert "3" in checked[0]  # the rejected line number
    assert page.model.total == 4


def test_librarian_cannot_delete(page: MembersPage, context: AppContext) -> None:
    from mediatheque.models.vocabulary import StaffRole
    from mediatheque.permissions import Actor

    context.set_actor(Actor(login="lib", role=StaffRole.LIBRARIAN))
    assert page.renew_action.isEnabled() and not page.delete_action.isEnabled()


def test_retranslate_in_russian(page: MembersPage, languages: Any) -> None:
    languages.apply("ru")
    page.retranslate()
    assert page.new_action.text()
    _unused: QWidget = page


def test_settings_categories_and_rules(qtbot: QtBot, context: AppContext,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from mediatheque.ui import member_rules_panel
    from mediatheque.ui.member_rules_panel import (
        CategoryDialog,
        LoanRuleDialog,
        MemberRulesPanel,
    )

    panel = MemberRulesPanel(context)
    qtbot.add_widget(panel)
    panel.refresh()
    assert panel.category_table.rowCount() == 5 and panel.rule_table.rowCount() == 1

    def drive(dialog: object) -> bool:
        if isinstance(dialog, CategoryDialog):
            dialog.code.setText("TEEN")
            dialog.name.setText("Adolescents")
            dialog.months.setValue(9)
        else:
            assert isinstance(dialog, LoanRuleDialog)
            dialog.media.setCurrentIndex(dialog.media.findData("dvd"))
            dialog.spins["loan_days"].setValue(7)
        dialog.save()  # type: ignore[attr-defined]
        return dialog.result() == 1  # type: ignore[attr-defined]

    monkeypatch.setattr(member_rules_panel, "run_dialog", drive)
    panel.buttons["category_add"].click()
    panel.buttons["rule_add"].click()
    assert panel.category_table.rowCount() == 6 and panel.rule_table.rowCount() == 2
    assert panel.rule_table.item(1, 2).text() == "7"
    errors: list[object] = []
    monkeypatch.setattr(dialogs, "confirm", lambda *_args: True)
    monkeypatch.setattr(dialogs, "show_error", lambda _p, error, _t="": errors.append(error))
    panel.rule_table.selectRow(0)  # the default rule
    panel.buttons["rule_delete"].click()
    assert len(errors) == 1 and panel.rule_table.rowCount() == 2

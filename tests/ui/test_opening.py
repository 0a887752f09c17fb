"""Opening the database at start: every refusal is explained, a damaged file is never
modified, and the latest backup can be put in its place."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from mediatheque.backups import backup_database, list_backups
from mediatheque.db import sqlite_url
from mediatheque.errors import DatabaseLocked
from mediatheque.i18n import _
from mediatheque.paths import backups_dir
from mediatheque.settings import load_library_settings
from mediatheque.startup import OpenedDatabase, open_database
from mediatheque.ui import dialogs, opening
from mediatheque.ui.dialogs import Choice
from mediatheque.ui.opening import open_with_dialogs
from tests.ui.helpers import LIBRARY, Clock, message_pattern

GARBAGE = b"\x00\xffthis is not a database at all\n" * 200


class Dialogs:
    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: str = "quit") -> None:
        self.answer = answer
        self.questions: list[tuple[str, str, list[str]]] = []
        self.errors: list[tuple[str, str]] = []
        self.informed: list[str] = []
        monkeypatch.setattr(dialogs, "ask_choice", self.ask_choice)
        monkeypatch.setattr(dialogs, "show_error", self.show_error)
        monkeypatch.setattr(dialogs, "inform", self.inform)

    def ask_choice(self, _parent, title, text, choices: list[Choice], **_options) -> str:  # type: ignore[no-untyped-def]
        self.questions.append((title, text, [choice.key for choice in choices]))
        return self.answer

    def show_error(self, _parent, error, title="") -> None:  # type: ignore[no-untyped-def]
        from mediatheque.messages import describe_error

        self.errors.append((title, error if isinstance(error, str) else describe_error(error)))

    def inform(self, _parent, _title, text) -> None:  # type: ignore[no-untyped-def]
        self.informed.append(text)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    return Dialogs(monkeypatch)


@pytest.fixture
def backed_up_then_damaged(opened: OpenedDatabase, data_dir: Path, clock: Clock) -> Path:
    """The library's database with one backup, then overwritten with garbage."""
    backup_database(opened.database, directory=backups_dir(data_dir), now=clock())
    path = opened.database.path
    assert path is not None
    opened.database.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(GARBAGE)
    return path


def test_damaged_file_restore_puts_the_backup_in_place_and_keeps_the_file(
    backed_up_then_damaged: Path, data_dir: Path, clock: Clock, answers: Dialogs
) -> None:
    answers.answer = "restore"
    result = open_with_dialogs(None, data_dir, clock=clock)
    assert result is not None
    try:
        with result.database.read() as session:
            assert load_library_settings(session).name == LIBRARY.name
    finally:
        result.database.dispose()
    _title, question, keys = answers.questions[0]
    assert keys == ["restore", "quit"]
    assert str(backed_up_then_damaged) in question
    damaged = _("The database {path} is damaged ({problem}). It has not been modified.")
    assert message_pattern(damaged, path=backed_up_then_damaged).match(question), question
    kept = [p for p in data_dir.iterdir() if p.name.startswith("mediatheque.db.damaged-")]
    assert len(kept) == 1
    assert kept[0].read_bytes() == GARBAGE  # byte for byte
    assert kept[0].name in answers.informed[0]


def test_damaged_file_quit_leaves_everything_as_it_was(
    backed_up_then_damaged: Path, data_dir: Path, clock: Clock, answers: Dialogs
) -> None:
    files_before = sorted(p.name for p in data_dir.iterdir())
    assert open_with_dialogs(None, data_dir, clock=clock) is None
    assert backed_up_then_damaged.read_bytes() == GARBAGE
    assert sorted(p.name for p in data_dir.iterdir()) == files_before
    assert len(answers.questions) == 1


def test_damaged_file_without_backup_is_explained(
    data_dir: Path, clock: Clock, answers: Dialogs
) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / "mediatheque.db"
    path.write_bytes(GARBAGE)
    assert open_with_dialogs(None, data_dir, clock=clock) is None
    assert answers.questions == []
    assert _("No backup was found.") in answers.errors[0][1]
    assert path.read_bytes() == GARBAGE


def test_newer_database_is_refused_and_untouched(
    opened: OpenedDatabase, data_dir: Path, clock: Clock, answers: Dialogs
) -> None:
    with opened.database.write() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    opened.database.dispose()
    path = opened.database.path
    assert path is not None
    content = path.read_bytes()
    backups = list_backups(backups_dir(data_dir))
    assert open_with_dialogs(None, data_dir, clock=clock) is None
    title, message = answers.errors[0]
    assert title == _("The database cannot be opened")
    newer = _(
        "This database was written by a newer version of Médiathèque (schema "
        "{found}; this version knows up to {supported}). Install the newer version: "
        "the database has not been changed."
    )
    assert message_pattern(newer, found="9999").fullmatch(message), message
    assert path.read_bytes() == content
    assert list_backups(backups_dir(data_dir)) == backups


def test_locked_database_offers_to_try_again(
    data_dir: Path, clock: Clock, answers: Dialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real_open = open_database

    def busy_once(url, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise DatabaseLocked(2.0)
        return real_open(url, **kwargs)

    monkeypatch.setattr(opening, "open_database", busy_once)
    answers.answer = "retry"
    result = open_with_dialogs(None, data_dir, clock=clock)
    assert result is not None
    result.database.dispose()
    assert len(calls) == 2
    assert answers.questions[0][2] == ["retry", "quit"]


def test_unwritable_data_folder_is_explained(
    tmp_path: Path, clock: Clock, answers: Dialogs
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    assert open_with_dialogs(None, blocker / "data", clock=clock) is None
    assert str(blocker / "data") in answers.errors[0][1]


def test_invalid_database_address_is_explained(
    tmp_path: Path, clock: Clock, answers: Dialogs
) -> None:
    assert open_with_dialogs("mysql://somewhere/db", tmp_path, clock=clock) is None
    assert "mysql://somewhere/db" in answers.errors[0][1]


def test_explicit_database_url_is_used(tmp_path: Path, clock: Clock, answers: Dialogs) -> None:
    url = sqlite_url(tmp_path / "elsewhere" / "library.db")
    result = open_with_dialogs(url.render_as_string(), tmp_path / "data", clock=clock)
    assert result is not None
    result.database.dispose()
    assert (tmp_path / "elsewhere" / "library.db").is_file()

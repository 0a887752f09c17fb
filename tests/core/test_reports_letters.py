"""Overdue letters: one per member, in the member's language, with the titles and due
dates; the text of the settings replaces the default one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from mediatheque.db import Database
from mediatheque.errors import ReportCancelled
from mediatheque.i18n import _, language
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.reports.letters import write_letters
from mediatheque.reports.notice_settings import NoticeSettings, save_notice_settings
from mediatheque.reports.notices import preview_notices
from mediatheque.reports.overdue import overdue_list
from mediatheque.settings import load_library_settings
from tests.core.reports_world import World

TODAY = date(2026, 11, 20)
DUE = TODAY - timedelta(days=25)

# (language, name, title, words of the letter in that language, the due date as written)
MEMBERS = [
    ("fr", ("Camille", "Durand"), "Les Misérables", "Bonjour", "26 oct. 2026"),
    ("ru", ("Жанар", "Ахметова"), "Война и мир", "Уважаемый", "26 окт. 2026"),
    ("kk", ("Әлия", "Қасымова"), "Абай жолы", "Құрметті", "2026 ж. 26 қаз."),
    ("en", ("John", "Smith"), "Pride & <Prejudice>", "Dear", "26 Oct 2026"),
]


def _pages(path: Path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [" ".join(document[i].get_textpage().get_text_range().split())
                for i in range(len(document))]
    finally:
        document.close()


def _world(database: Database, **settings: str) -> None:
    with database.write() as session:
        world = World(session)
        world.library()
        if settings:
            save_notice_settings(session, NoticeSettings(**settings))  # type: ignore[arg-type]
        category = world.category("adult")
        for lang, (first, last), title, _words, _due in MEMBERS:
            member = world.member(category, first=first, last=last, lang=lang,
                                  address="ул. Абая 12\nАлматы 050000")
            world.borrowed(member, title, due=DUE)
            world.borrowed(member, f"{title} — tome 2", due=DUE + timedelta(days=3))


def _letters(database: Database, path: Path) -> int:
    with database.read() as session:
        members = overdue_list(session, LOCAL_ADMIN, today=TODAY)
        library = load_library_settings(session)
        from mediatheque.reports.notice_settings import load_notice_settings
        settings = load_notice_settings(session)
    return write_letters(path, preview_notices(members), library=library, settings=settings,
                         today=TODAY)


def test_one_letter_per_member_in_their_language(database: Database, tmp_path: Path) -> None:
    _world(database)
    path = tmp_path / "letters.pdf"
    assert _letters(database, path) == 4
    pages = _pages(path)
    assert len(pages) == 4
    for lang, (first, last), title, words, due in MEMBERS:
        page = next(p for p in pages if last in p)
        assert f"{first} {last}" in page
        assert title in page and f"{title} — tome 2" in page
        assert due in page, (lang, due, page)
        assert "Alliance Française d'Almaty" in page
        assert "Алматы 050000" in page
        with language(lang):  # the greeting of the member's own language
            greeting = _("Dear {name},").split("{name}")[0].strip()
        assert greeting in page, (lang, greeting)
        assert lang == "fr" or words in page, (lang, words)


def test_the_settings_text_replaces_the_default(database: Database, tmp_path: Path) -> None:
    _world(database, text_kk="Құрметті оқырман, кітаптарды қайтаруыңызды сұраймыз.",
           text_ru="Просим вернуть книги.", signature="Библиотекарь\nАФ Алматы",
           letterhead="ул. Жамбыла 12, Алматы · +7 727 000 00 00")
    path = tmp_path / "letters.pdf"
    _letters(database, path)
    pages = _pages(path)
    kazakh = next(p for p in pages if "Қасымова" in p)
    russian = next(p for p in pages if "Ахметова" in p)
    french = next(p for p in pages if "Durand" in p)
    assert "кітаптарды қайтаруыңызды сұраймыз" in kazakh
    assert "Просим вернуть книги." in russian and "Просим" not in kazakh
    assert "Просим" not in french and "кітаптарды" not in french
    assert "Библиотекарь" in kazakh and "+7 727 000 00 00" in french


def test_cancelling_writes_nothing(database: Database, tmp_path: Path) -> None:
    _world(database)
    with database.read() as session:
        members = overdue_list(session, LOCAL_ADMIN, today=TODAY)
        library = load_library_settings(session)
    path = tmp_path / "letters.pdf"
    calls = iter([False, False, True])
    with pytest.raises(ReportCancelled):
        write_letters(path, preview_notices(members), library=library,
                      settings=NoticeSettings(), today=TODAY, cancelled=lambda: next(calls))
    assert list(tmp_path.glob("*.pdf")) == []


def test_a_long_list_flows_onto_a_second_page(database: Database, tmp_path: Path) -> None:
    with database.write() as session:
        world = World(session)
        world.library()
        member = world.member(world.category("adult"), lang="kk", first="Ерлан", last="Нұров")
        for n in range(40):
            world.borrowed(member, f"Кітап {n:02d}", due=DUE,
                           at=datetime(2026, 10, 1, tzinfo=UTC))
    path = tmp_path / "letters.pdf"
    _letters(database, path)
    text = "".join(_pages(path))
    assert len(_pages(path)) >= 2
    assert all(f"Кітап {n:02d}" in text for n in range(40))

"""Importing members from a class list: headers in four languages, dry run first, bad rows
reported with their line and reason, one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from mediatheque.db import Database
from mediatheque.errors import ImportCancelled, MemberCsvColumns, UnreadableCsv
from mediatheque.members.csv_import import import_members_csv, read_member_csv
from mediatheque.models import Member
from mediatheque.permissions import LOCAL_ADMIN
from tests.conftest import NOW
from tests.core.members_helpers import TODAY, register, set_up

CLASS_LIST = (
    "Фамилия;Имя;E-mail;Телефон;Категория;Язык;Штрихкод;Срок действия;Группа\n"
    "Сейтқали;Айгерим;aigerim@mail.kz;+7 701 123 45 67;STUDENT;казахский;;;A1-3\n"
    "Иванов;Борис;;8 777 000 00 00;Взрослый;ru;;01.09.2027;\n"
    "ӘҒҚҢӨҰҮҺІ;Әсем;;;;kk;;;\n"
    "Petrov;;;;;;;;\n"
    "Smirnova;Olga;olga@;;;;;;\n"
    "Orlov;Ivan;;12;;;;;\n"
    "Kim;Anna;;;CHILD;;TAKEN-1;;\n"
    "Lee;Min;;;;;NEW-7;;\n"
    "Park;Jin;;;;;NEW-7;;\n"
    "Nurlan;Aliev;;;NOPE;;;;\n"
    "Zhan;Li;;;;klingon;;2020-01-01;\n"
    "Bad;Row\n"
    "Сейтқали;Айгерим;AIGERIM@mail.kz;;STUDENT;;;;\n"
)


@pytest.fixture
def library(database: Database) -> Database:
    set_up(database)
    register(database, "Old", "Card", barcode="TAKEN-1")
    with database.write() as session:  # the second category named in the file
        from mediatheque.models import MemberCategory

        adult = session.scalars(select(MemberCategory).where(MemberCategory.code == "ADULT")
                                ).one()
        adult.name = "Взрослый"
    return database


def _import(database: Database, text: str, *, dry_run: bool):  # type: ignore[no-untyped-def]
    plan = read_member_csv(text.encode("utf-8-sig"))
    with database.write() as session:
        return import_members_csv(session, LOCAL_ADMIN, plan, dry_run=dry_run, now=NOW,
                                  today=TODAY)


def _members(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(Member)) or 0


def test_dry_run_then_import(library: Database) -> None:
    dry = _import(library, CLASS_LIST, dry_run=True)
    assert _members(library) == 1
    assert dry.dry_run and dry.member_ids == ()
    rejected = {(issue.line, issue.reason) for issue in dry.rejected}
    assert rejected == {
        (5, "missing_name"), (6, "invalid_email"), (7, "invalid_phone"),
        (8, "duplicate_barcode"), (10, "duplicate_barcode"), (11, "unknown_category"),
        (12, "expiry_before_start"), (13, "wrong_column_count"),
    }
    warnings = {(issue.line, issue.reason) for issue in dry.warnings}
    assert (12, "unknown_language") in warnings and (14, "possible_duplicate") in warnings
    done = _import(library, CLASS_LIST, dry_run=False)
    assert done.members_new == dry.members_new == 5
    assert _members(library) == 6 and len(done.member_ids) == 5
    with library.read() as session:
        rows = {m.last_name: m for m in session.scalars(select(Member))}
        aigerim = session.scalars(select(Member).where(Member.notes == "A1-3")).one()
        assert aigerim.preferred_language == "kk" and aigerim.notes == "A1-3"
        assert aigerim.phone == "+7 701 123 45 67" and aigerim.category.code == "STUDENT"
        boris = rows["Иванов"]
        assert boris.category.code == "ADULT" and str(boris.membership_expiry) == "2027-09-01"
        assert boris.preferred_language == "ru"
        assert rows["ӘҒҚҢӨҰҮҺІ"].first_name == "Әсем"
        assert rows["Lee"].barcode == "NEW-7"
        assert len(rows["Сейтқали"].barcode) == 12


def test_headers_in_french_and_a_full_name_column(library: Database) -> None:
    text = "Nom complet,Courriel,Catégorie\nDupré Élodie Marie,elodie@af.kz,adult\n"
    plan = read_member_csv(text)
    assert plan.columns == {"Nom complet": "full_name", "Courriel": "email",
                            "Catégorie": "category"}
    report = _import(library, text, dry_run=False)
    assert report.members_new == 1 and report.rejected == ()
    with library.read() as session:
        member = session.get(Member, report.member_ids[0])
        assert member is not None
        assert (member.last_name, member.first_name) == ("Dupré", "Élodie Marie")


def test_kazakh_headers_and_cp1251(library: Database, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes("Фамилия;Имя\nИванов;Пётр\n".encode("cp1251"))
    plan = read_member_csv(path)
    assert plan.encoding == "cp1251" and plan.rows[0].data.first_name == "Пётр"
    assert read_member_csv("Тегі,Аты\nСейтқали,Айгерим\n").rows[0].data.last_name == "Сейтқали"


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(MemberCsvColumns) as refused:
        read_member_csv("Title,Author\nA,B\n")
    assert refused.value.code == "unreadable_csv"
    with pytest.raises(UnreadableCsv):
        read_member_csv(tmp_path / "missing.csv")
    with pytest.raises(UnreadableCsv):
        read_member_csv(b"PK\x03\x04binary")


def test_cancel_leaves_nothing(library: Database) -> None:
    plan = read_member_csv("Nom,Prénom\n" + "".join(f"Nom{i},Anna\n" for i in range(450)))
    with pytest.raises(ImportCancelled), library.write() as session:
        import_members_csv(session, LOCAL_ADMIN, plan, dry_run=False, now=NOW, today=TODAY,
                           cancelled=lambda: True)
    assert _members(library) == 1

"""Members' privacy: loans forget their member at return (or N days later, with a fake
clock), opted-in history is kept, a member's own data on request, no personal data logged."""

from __future__ import annotations

import io
import json
import logging
import re
from datetime import timedelta
from pathlib import Path

import pypdfium2
import pytest
from sqlalchemy import select

from mediatheque.circulation.loans import check_out, return_copy
from mediatheque.cli import main
from mediatheque.db import Database
from mediatheque.errors import InvalidValue, PermissionDenied, UnknownBarcode
from mediatheque.models import AuditEntry, Loan, Member
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.privacy import (
    PrivacySettings,
    anonymise_loan_at_return,
    anonymise_old_loans,
    export_member_data,
    load_privacy_settings,
    save_privacy_settings,
    write_member_data,
)
from tests.conftest import NOW
from tests.core.circulation_world import World, build_world
from tests.core.staff_helpers import cheap_hashing, make_team


def _lend_and_return(world: World, member_id: int, copy: str, *, returned_after: timedelta
                     ) -> int:
    database = world.database
    with database.write() as session:
        check_out(session, LOCAL_ADMIN, member_id=member_id, copy_barcode=copy, now=NOW)
    with database.write() as session:
        return_copy(session, LOCAL_ADMIN, copy_barcode=copy, now=NOW + returned_after)
        loan = session.scalars(select(Loan).where(Loan.returned_at.is_not(None))
                               .order_by(Loan.id.desc())).first()
        assert loan is not None
        anonymise_loan_at_return(session, loan, session.get(Member, member_id))
        return loan.id


def _member_of(database: Database, loan_id: int) -> int | None:
    with database.read() as session:
        loan = session.get(Loan, loan_id)
        assert loan is not None
        return loan.member_id


def test_by_default_a_returned_loan_forgets_its_member(database: Database) -> None:
    world = build_world(database)
    with database.read() as session:
        assert load_privacy_settings(session) == PrivacySettings(anonymise_after_days=0)
    loan_id = _lend_and_return(world, world.alice, "C1", returned_after=timedelta(days=3))
    assert _member_of(database, loan_id) is None
    with database.read() as session:
        loan = session.get(Loan, loan_id)
        assert loan is not None
        # the statistics fields stay
        assert (loan.media_type, loan.language, loan.loaned_at) == ("book", "fre", NOW)
        assert loan.member_category_id is not None and loan.record_id == world.hugo


def test_an_open_loan_is_never_anonymised(database: Database) -> None:
    world = build_world(database)
    with database.write() as session:
        check_out(session, LOCAL_ADMIN, member_id=world.alice, copy_barcode="C1", now=NOW)
        loan = session.scalars(select(Loan)).one()
        anonymise_loan_at_return(session, loan, session.get(Member, world.alice))
        assert loan.member_id == world.alice
        assert anonymise_old_loans(session, NOW + timedelta(days=400)) == 0


def test_a_member_who_opted_in_keeps_their_history(database: Database) -> None:
    world = build_world(database)
    with database.write() as session:
        member = session.get(Member, world.boris)
        assert member is not None
        member.history_opt_in = True
    loan_id = _lend_and_return(world, world.boris, "C3", returned_after=timedelta(days=1))
    assert _member_of(database, loan_id) == world.boris
    with database.write() as session:
        assert anonymise_old_loans(session, NOW + timedelta(days=4000)) == 0
    assert _member_of(database, loan_id) == world.boris


def test_after_n_days_the_periodic_pass_anonymises(database: Database) -> None:
    world = build_world(database)
    with database.write() as session:
        save_privacy_settings(session, LOCAL_ADMIN, PrivacySettings(30), now=NOW)
    loan_id = _lend_and_return(world, world.alice, "C1", returned_after=timedelta(days=2))
    assert _member_of(database, loan_id) == world.alice  # kept at return
    returned = NOW + timedelta(days=2)
    with database.write() as session:
        assert anonymise_old_loans(session, returned + timedelta(days=29)) == 0
    assert _member_of(database, loan_id) == world.alice
    with database.write() as session:
        assert anonymise_old_loans(session, returned + timedelta(days=30, seconds=1)) == 1
    assert _member_of(database, loan_id) is None
    with database.read() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "loans_anonymise")).one()
        assert json.loads(entry.details) == {"loans": 1, "after_days": 30}
        assert entry.actor == "system"


def test_privacy_settings_need_the_settings_permission_and_are_validated(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    cheap_hashing(monkeypatch)
    team = make_team(database)
    with pytest.raises(PermissionDenied), database.write() as session:
        save_privacy_settings(session, team.librarian, PrivacySettings(7), now=NOW)
    for days in (-1, 5000):
        with pytest.raises(InvalidValue), database.write() as session:
            save_privacy_settings(session, team.admin, PrivacySettings(days), now=NOW)


def test_a_members_own_data_as_json_and_pdf(database: Database, tmp_path: Path) -> None:
    world = build_world(database)
    with database.write() as session:
        member = session.get(Member, world.boris)
        assert member is not None
        member.history_opt_in = True
        member.phone = "+7 701 123 45 67"
        member.preferred_language = "ru"
    _lend_and_return(world, world.boris, "C3", returned_after=timedelta(days=5))
    with database.write() as session:
        check_out(session, LOCAL_ADMIN, member_id=world.boris, copy_barcode="D1", now=NOW)
        data = export_member_data(session, LOCAL_ADMIN, "M-BORIS", now=NOW)
    assert data["member"]["last_name"] == "Ким" and data["member"]["phone"] == "+7 701 123 45 67"
    assert [loan["title"] for loan in data["loans"]] == ["Germinal", "Amélie"]
    assert data["loans"][1]["returned_at"] is None
    assert "Alice" not in json.dumps(data, ensure_ascii=False)  # nobody else's data
    written = write_member_data(data, tmp_path / "boris.json")
    assert json.loads(written.read_text(encoding="utf-8"))["member"]["barcode"] == "M-BORIS"
    pdf = write_member_data(data, tmp_path / "boris.pdf")
    document = pypdfium2.PdfDocument(str(pdf))
    page_text = "".join(document[i].get_textpage().get_text_range()
                        for i in range(len(document)))
    document.close()
    for expected in ("Борис", "Ким", "Germinal", "Amélie", "+7 701 123 45 67"):
        assert expected in page_text
    # dates as a Russian reader writes them, in the library's time zone (UTC+5): no ISO
    readable = page_text.replace("\u202f", " ").replace("\xa0", " ")
    assert "21 нояб. 2026 г. 14:30" in readable
    assert "Русский" in readable  # the language by its name, not "ru"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", readable)
    with database.read() as session:  # the export itself is in the audit trail, id only
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "member_data_export")).one()
        assert entry.entity_id == str(world.boris) and "Борис" not in entry.details


def test_export_of_an_unknown_card_and_by_a_director(database: Database,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)
    build_world(database)
    team = make_team(database)
    with pytest.raises(UnknownBarcode), database.write() as session:
        export_member_data(session, LOCAL_ADMIN, "' OR 1=1 --", now=NOW)
    with pytest.raises(PermissionDenied), database.write() as session:
        export_member_data(session, team.director, "M-ALICE", now=NOW)


def test_privacy_commands(database: Database, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    world = build_world(database)
    with database.write() as session:
        # The library keeps the link one day: the return leaves it, the pass removes it.
        save_privacy_settings(session, LOCAL_ADMIN, PrivacySettings(anonymise_after_days=1),
                              now=NOW - timedelta(days=3))
        check_out(session, LOCAL_ADMIN, member_id=world.alice, copy_barcode="C1",
                  now=NOW - timedelta(days=3))
        return_copy(session, LOCAL_ADMIN, copy_barcode="C1", now=NOW - timedelta(days=2))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    url = database.engine.url.render_as_string(hide_password=False)
    base = ["--db", url, "--data-dir", str(tmp_path / "d"), "--json"]
    assert main([*base, "privacy", "anonymise"]) == 0
    assert json.loads(capsys.readouterr().out) == {"anonymised": 1}
    out = tmp_path / "alice.pdf"
    assert main([*base, "privacy", "export-member", "M-ALICE", "--out", str(out)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["path"] == str(out) and out.stat().st_size > 1000
    assert payload["loans"] == 0  # anonymised: no longer linked to her
    assert main([*base, "privacy", "export-member", "M-ALICE", "--out",
                 str(tmp_path / "alice.txt")]) == 1
    assert json.loads(capsys.readouterr().out)["error"] == "unsupported_format"


def test_no_personal_data_in_logs(database: Database, caplog: pytest.LogCaptureFixture,
                                  tmp_path: Path) -> None:
    caplog.set_level(logging.DEBUG)
    world = build_world(database)
    _lend_and_return(world, world.alice, "C1", returned_after=timedelta(days=1))
    with database.write() as session:
        data = export_member_data(session, LOCAL_ADMIN, "M-ALICE", now=NOW)
    write_member_data(data, tmp_path / "a.pdf")
    for personal in ("Alice", "Durand", "Борис"):
        assert personal not in caplog.text


def test_database_errors_do_not_quote_personal_data(database: Database) -> None:
    import sqlalchemy.exc

    build_world(database)
    with pytest.raises(sqlalchemy.exc.IntegrityError) as caught, database.write() as session:
        session.execute(Member.__table__.insert().values(
            barcode="M-ALICE", first_name="Сырлы", last_name="Қонақ", category_id=1,
            membership_start=NOW.date(), membership_expiry=NOW.date(), created_at=NOW,
            updated_at=NOW, email="secret@example.kz"))
    assert "Сырлы" not in str(caught.value) and "secret@example.kz" not in str(caught.value)

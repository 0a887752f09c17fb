"""Notices by e-mail against a local SMTP server (aiosmtpd on 127.0.0.1): members with an
address get an e-mail in their language, the others a letter; a server that refuses or
does not answer leaves nothing marked as sent."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from babel.dates import format_date
from sqlalchemy import select

from mediatheque.db import Database
from mediatheque.errors import MailFailed
from mediatheque.models import NoticeSent
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.reports.notice_settings import NoticeSettings, save_notice_settings
from mediatheque.reports.sending import count_notices_due, send_notices
from tests.core.reports_world import World

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


class Inbox:
    def __init__(self, refuse: set[str] | None = None) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = refuse or set()

    async def handle_RCPT(self, _server: Any, _session: Any, envelope: Any, address: str,
                          _options: Any) -> str:
        if address in self.refuse:
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox(refuse={"gone@example.kz"})
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _world(database: Database, port: int, **extra: Any) -> dict[str, int]:
    with database.write() as session:
        world = World(session)
        world.library()
        save_notice_settings(session, NoticeSettings(
            smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
            smtp_from="mediatheque@af-almaty.kz", smtp_timeout=3, **extra))
        category = world.category("adult")
        ids = {
            "kk": world.member(category, first="Әлия", last="Қасымова", lang="kk",
                               email="aliya@example.kz"),
            "ru": world.member(category, first="Жанар", last="Ахметова", lang="ru",
                               email="zhanar@example.kz"),
            "paper": world.member(category, first="Paul", last="Papier", lang="fr"),
        }
        for key, title in (("kk", "Абай жолы"), ("ru", "Война и мир"), ("paper", "Candide")):
            world.borrowed(ids[key], title, due=TODAY - timedelta(days=10))
    return ids


def _sent(database: Database) -> dict[int | None, str]:
    with database.read() as session:
        return dict(session.execute(select(NoticeSent.member_id, NoticeSent.channel)).all())


def test_emails_for_members_with_an_address_letters_for_the_others(
    database: Database, smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp
    ids = _world(database, port)
    counts = count_notices_due(database, LOCAL_ADMIN, today=TODAY)
    assert (counts.letters, counts.emails) == (1, 2)
    run = send_notices(database, LOCAL_ADMIN, today=TODAY, now=NOW,
                       letters_path=tmp_path / "letters.pdf")
    assert (run.emails, run.letters, run.failed) == (2, 1, ())
    by_address = {str(m["To"]): m for m in inbox.messages}
    assert len(by_address) == 2
    kazakh = next(m for to, m in by_address.items() if "aliya@example.kz" in to)
    russian = next(m for to, m in by_address.items() if "zhanar@example.kz" in to)
    kazakh_body = kazakh.get_content()
    due = TODAY - timedelta(days=10)
    assert "Абай жолы" in kazakh_body and format_date(due, "medium", "kk_KZ") in kazakh_body
    assert "қар." in kazakh_body  # қараша, November, in Kazakh
    assert "Әлия Қасымова" in kazakh_body
    russian_body = russian.get_content()
    assert "Война и мир" in russian_body and format_date(due, "medium", "ru_RU") in russian_body
    assert "нояб." in russian_body
    assert "mediatheque@af-almaty.kz" in str(kazakh["From"])
    assert (tmp_path / "letters.pdf").exists()
    assert _sent(database) == {ids["kk"]: "email", ids["ru"]: "email", ids["paper"]: "letter"}
    # Nobody gets it twice.
    again = send_notices(database, LOCAL_ADMIN, today=TODAY, now=NOW, letters_path=None)
    assert (again.emails, again.letters) == (0, 0)
    assert len(inbox.messages) == 2


def test_a_refused_recipient_is_not_marked_sent(
    database: Database, smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    inbox, port = smtp
    ids = _world(database, port)
    with database.write() as session:
        from mediatheque.models import Member
        member = session.get(Member, ids["ru"])
        assert member is not None
        member.email = "gone@example.kz"
    run = send_notices(database, LOCAL_ADMIN, today=TODAY, now=NOW,
                       letters_path=tmp_path / "letters.pdf")
    assert run.failed == ((ids["ru"], "recipient_refused"),)
    assert run.emails == 1 and len(inbox.messages) == 1
    assert ids["ru"] not in _sent(database)


def test_a_server_that_refuses_connections_leaves_nothing_marked(
    database: Database, tmp_path: Path
) -> None:
    _world(database, _free_port())  # nobody listens there
    with pytest.raises(MailFailed) as failure:
        send_notices(database, LOCAL_ADMIN, today=TODAY, now=NOW,
                     letters_path=tmp_path / "letters.pdf")
    assert failure.value.reason == "refused" and failure.value.code == "mail_failed"
    assert _sent(database) == {}
    assert not (tmp_path / "letters.pdf").exists()


def test_a_server_that_does_not_answer_times_out(database: Database, tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never says hello
    port = int(listener.getsockname()[1])
    try:
        _world(database, port)
        with database.write() as session:
            save_notice_settings(session, NoticeSettings(
                smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
                smtp_from="mediatheque@af-almaty.kz", smtp_timeout=1))
        with pytest.raises(MailFailed) as failure:
            send_notices(database, LOCAL_ADMIN, today=TODAY, now=NOW,
                         letters_path=tmp_path / "letters.pdf")
        assert failure.value.reason == "timeout"
        assert _sent(database) == {}
    finally:
        listener.close()

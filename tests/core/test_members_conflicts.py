"""Two desks editing the same member: the second save is refused, nothing is overwritten."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from mediatheque.db import Database, connect
from mediatheque.errors import EditConflict
from mediatheque.members.editing import MemberInput, update_member
from mediatheque.members.reading import member_details
from mediatheque.permissions import LOCAL_ADMIN
from tests.conftest import NOW
from tests.core.members_helpers import TODAY, register, set_up

BASE = MemberInput("Айгерім", "Сәрсенова", email="aigerim@example.kz")


def _shown(database: Database, member_id: int):  # type: ignore[no-untyped-def]
    with database.read() as session:
        return member_details(session, LOCAL_ADMIN, member_id, today=TODAY)


def _save(database: Database, member_id: int, data: MemberInput, version: object,
          minutes: int) -> None:
    with database.write() as session:
        update_member(session, LOCAL_ADMIN, member_id, data, today=TODAY,
                      now=NOW + timedelta(minutes=minutes),
                      expected_version=version)  # type: ignore[arg-type]


def test_a_save_over_a_newer_version_is_refused(database: Database) -> None:
    set_up(database)
    member_id = register(database, BASE.first_name, BASE.last_name,
                         email=BASE.email).member_id
    first_desk = _shown(database, member_id)
    second_desk = _shown(database, member_id)
    _save(database, member_id, replace(BASE, phone="+7 701 111 22 33"),
          first_desk.updated_at, 1)
    with pytest.raises(EditConflict) as caught:
        _save(database, member_id, replace(BASE, email="other@example.kz"),
              second_desk.updated_at, 2)
    assert caught.value.details() == {"entity": "member", "entity_id": member_id}
    now_shown = _shown(database, member_id)
    assert (now_shown.phone, now_shown.email) == ("+7 701 111 22 33", "aigerim@example.kz")
    # Opened again, the second desk's change goes through.
    _save(database, member_id, replace(BASE, email="other@example.kz"),
          now_shown.updated_at, 3)
    assert _shown(database, member_id).email == "other@example.kz"


@pytest.mark.postgresql
def test_two_desks_saving_at_the_same_moment_on_postgresql(pg_url) -> None:  # type: ignore[no-untyped-def]
    from mediatheque.schema import upgrade

    database = connect(pg_url)
    upgrade(database)
    set_up(database)
    member_id = register(database, BASE.first_name, BASE.last_name,
                         email=BASE.email).member_id
    version = _shown(database, member_id).updated_at
    desks = [connect(pg_url), connect(pg_url)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def desk(index: int) -> None:
        barrier.wait()
        try:
            _save(desks[index], member_id, replace(BASE, notes=f"desk {index}"), version,
                  index + 1)
            outcomes.append(f"saved {index}")
        except EditConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=desk, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for opened in desks:
        opened.dispose()
    try:
        assert sorted(outcomes)[0] == "conflict" and outcomes.count("conflict") == 1
        winner = next(o for o in outcomes if o.startswith("saved")).split()[1]
        assert _shown(database, member_id).notes == f"desk {winner}"
    finally:
        database.dispose()

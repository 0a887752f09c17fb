"""Member search: Cyrillic/Latin, accents, transliteration as in the catalogue, barcode,
e-mail, phone, paging; the index follows every change."""

from __future__ import annotations

import pytest

from mediatheque.db import Database
from mediatheque.members.search import MemberPage, query_tokens, search_members
from mediatheque.members.search_index import member_keys, rebuild_member_index
from mediatheque.permissions import LOCAL_ADMIN
from tests.core.members_helpers import register, set_up


@pytest.fixture
def people(database: Database) -> dict[str, int]:
    set_up(database)
    return {
        "abai": register(database, "Абай", "Құнанбайұлы", phone="+7 701 111 22 33").member_id,
        "elodie": register(database, "Élodie", "Dupré", email="Elodie.Dupre@Alliance.kz",
                           barcode="OLD-0042").member_id,
        "chekhov": register(database, "Антон", "Чехов", phone="8 (727) 250 00 00").member_id,
        "tolstoy": register(database, "Lev", "Tolstoy").member_id,
        "asem": register(database, "Әсем", "Әуезова").member_id,
    }


def _find(database: Database, text: str, **paging: int) -> MemberPage:
    with database.read() as session:
        return search_members(session, LOCAL_ADMIN, text, **paging)


@pytest.mark.parametrize(("query", "who"), [
    ("Абай", "abai"), ("abai", "abai"), ("Abay", "abai"), ("Kunanbaiuly", "abai"),
    ("Qunanbaiuly", "abai"), ("құнан", "abai"), ("elodie", "elodie"), ("ÉLODIE dup", "elodie"),
    ("Tchekhov", "chekhov"), ("Chekhov Anton", "chekhov"),
    ("Толстой", "tolstoy"), ("Tolstoi", "tolstoy"), ("Auezova", "asem"), ("асем", "asem"),
    ("old-0042", "elodie"), ("OLD", "elodie"), ("elodie.dupre@alliance", "elodie"),
    ("+7 701 111", "abai"), ("8 701 111 22 33", "abai"), ("701 111", "abai"),
    ("727 250", "chekhov"), ("+7 727", "chekhov"),
])
def test_finds(database: Database, people: dict[str, int], query: str, who: str) -> None:
    page = _find(database, query)
    assert [row.member_id for row in page.rows] == [people[who]], query
    assert page.total == 1


def test_no_match_and_signs_only(database: Database, people: dict[str, int]) -> None:
    assert _find(database, "Zzyzx").total == 0
    assert _find(database, "Абай Толстой").total == 0  # every word must match
    assert _find(database, "%_'\"").total == 0


def test_empty_query_lists_everyone_by_name_paged(database: Database,
                                                   people: dict[str, int]) -> None:
    everyone = _find(database, "")
    assert everyone.total == 5
    names = [row.last_name for row in everyone.rows]
    assert names[:2] == ["Dupré", "Tolstoy"]  # Latin before Cyrillic, accents folded
    second = _find(database, "", offset=2, limit=2)
    assert second.total == 5 and [r.last_name for r in second.rows] == names[2:4]


def test_rebuild_gives_the_same_keys(database: Database, people: dict[str, int]) -> None:
    before = _find(database, "abai")
    with database.write() as session:
        assert rebuild_member_index(session) == 5
    assert _find(database, "abai") == before


def test_keys_and_tokens() -> None:
    keys = member_keys("Абай", "Құнанбайұлы", "100100000015", "A.b@Mail.kz", "+7 701 111 22 33")
    assert {"abai", "kunanbaiuli", "100100000015", "abmailkz", "77011112233",
            "7011112233", "011112233"} <= keys
    assert all(key.isalnum() for key in keys)
    assert query_tokens("") == ([], "")
    assert query_tokens("8 701")[0] == [["8701", "7701", "701"]]

"""Library settings: stored in the database, validated, set up once with defaults."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mediatheque.db import Database
from mediatheque.errors import InvalidValue
from mediatheque.library import initialise_library
from mediatheque.models import ClosedWeekday, LoanRule, Location, MemberCategory
from mediatheque.settings import LibrarySettings, load_library_settings, save_library_settings

GOOD = LibrarySettings(name="Alliance Française d'Almaty", code="KZ-ALA-AF")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "  "}, "name"),
        ({"code": "af almaty"}, "code"),
        ({"code": "X"}, "code"),
        ({"country": "Kazakhstan"}, "country"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"language": "de"}, "language"),
        ({"barcode_prefix": "012"}, "barcode_prefix"),
    ],
)
def test_invalid_settings_name_the_field(change: dict[str, str], field: str) -> None:
    from dataclasses import replace

    with pytest.raises(InvalidValue) as caught:
        replace(GOOD, **change).validated()
    assert caught.value.field == field


def test_settings_round_trip_with_cyrillic(database: Database) -> None:
    settings = LibrarySettings(name="Алматы француз альянсы", code="kz-ala-af", city="Алматы")
    with database.write() as session:
        save_library_settings(session, settings)
    with database.read() as session:
        loaded = load_library_settings(session)
    assert loaded.name == "Алматы француз альянсы"
    assert loaded.code == "KZ-ALA-AF"
    assert loaded.is_initialised


def test_first_setup_creates_defaults_once_in_the_library_language(database: Database) -> None:
    with database.write() as session:
        initialise_library(session, LibrarySettings(name="AF", code="KZ-AF", language="ru"))
        initialise_library(session, LibrarySettings(name="AF 2", code="KZ-AF", language="ru"))
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(MemberCategory)) == 5
        assert session.scalar(select(func.count()).select_from(LoanRule)) == 1
        assert session.scalar(select(func.count()).select_from(Location)) == 4
        assert session.get(ClosedWeekday, 6) is not None
        adult = session.scalars(select(MemberCategory.name).where(MemberCategory.code == "ADULT"))
        from mediatheque.i18n import _, language
        with language("ru"):
            assert adult.one() == _("Adult")
        assert load_library_settings(session).name == "AF 2"

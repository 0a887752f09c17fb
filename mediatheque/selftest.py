"""`mediatheque --self-test`: proves that an installation (checkout, wheel or frozen bundle)
works — a temporary database with every migration, the bundled files, every translation —
and lets the front end add its own checks (the main window, offscreen)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mediatheque.i18n import LANGUAGES, translations
from mediatheque.paths import migrations_dir, resources_dir, translations_dir


@dataclass(frozen=True)
class SelfTestCheck:
    name: str
    ok: bool
    detail: str = ""


ExtraChecks = Callable[[Path], list[SelfTestCheck]]


def run_self_test(extra: ExtraChecks | None = None) -> list[SelfTestCheck]:
    with tempfile.TemporaryDirectory(prefix="mediatheque-selftest-") as scratch_name:
        scratch = Path(scratch_name)
        checks = [
            _check("resources", _resources),
            _check("translations", _translations),
            _check("locales", _locales),
            _check("database", lambda: _database(scratch)),
            _check("card", _card),
            _check("workers", _workers),
        ]
        if extra is not None:
            try:
                checks += extra(scratch)
            except Exception as error:  # a broken front end is a failed check, not a crash
                checks.append(SelfTestCheck("window", False, f"{type(error).__name__}: {error}"))
    return checks


def _check(name: str, probe: Callable[[], str]) -> SelfTestCheck:
    try:
        return SelfTestCheck(name, True, probe())
    except Exception as error:
        return SelfTestCheck(name, False, f"{type(error).__name__}: {error}")


def _worker_pid(_job: object) -> int:
    return os.getpid()


def _workers() -> str:
    """A worker process starts (the FM21 export and import use them on large catalogues);
    in a frozen bundle this needs multiprocessing.freeze_support() in the launcher."""
    from mediatheque.parallel import ordered_map

    pids = list(ordered_map(_worker_pid, [None], workers=1))
    if pids == [os.getpid()]:
        raise RuntimeError("no worker process could be started: large imports and exports "
                           "will run in one process, more slowly")
    return f"worker process {pids[0]}"


def _resources() -> str:
    for folder in (resources_dir(), translations_dir(), migrations_dir() / "versions"):
        if not folder.is_dir():
            raise FileNotFoundError(folder)
    return str(resources_dir())


def _translations() -> str:
    sizes = []
    for language in LANGUAGES:
        catalogue = translations(language)
        if not catalogue.gettext("Adult"):
            raise LookupError(language)
        sizes.append(f"{language}:{len(catalogue._catalog)}")  # type: ignore[attr-defined]
    return " ".join(sizes)


def _database(scratch: Path) -> str:
    from mediatheque.backups import backup_database, verify_backup
    from mediatheque.db import sqlite_url
    from mediatheque.library import initialise_library
    from mediatheque.settings import LibrarySettings, load_library_settings
    from mediatheque.startup import open_database

    now = datetime.now(UTC)
    opened = open_database(sqlite_url(scratch / "selftest.db"), data_dir=scratch, now=now)
    try:
        with opened.database.write() as session:
            initialise_library(session, LibrarySettings(name="Self-test", code="SELF-TEST"))
        with opened.database.read() as session:
            if not load_library_settings(session).is_initialised:
                raise RuntimeError("settings not stored")
        backup = backup_database(opened.database, directory=scratch / "backups", now=now)
        return f"schema {verify_backup(backup)}"
    finally:
        opened.database.dispose()


def _card() -> str:
    """One member card rendered with the embedded font (Kazakh letters, Code 128)."""
    from datetime import date

    from mediatheque.printing.cards import CardData, CardOptions, render_cards

    card = CardData(barcode="100100000011", name="Әсел Қанатқызы", category="Ересек",
                    expiry=date(2030, 1, 1), language="kk")
    result = render_cards([card], CardOptions(library_name="Self-test"))
    if not result.pdf.startswith(b"%PDF") or result.pages != 1:
        raise RuntimeError("no card rendered")
    return f"{len(result.pdf)} bytes, {_rasterise(result.pdf)}"


def _rasterise(pdf: bytes) -> str:
    """The first page drawn by PDFium (pypdfium2's native library), as the print preview does."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        bitmap = document[0].render(scale=1)
        width, height = bitmap.width, bitmap.height
    finally:
        document.close()
    if not width or not height:
        raise RuntimeError("PDFium drew an empty page")
    return f"PDFium {width}x{height}"


def _locales() -> str:
    """Babel's locale data for every language, and the IANA time zones of tzdata (Windows
    has no system copy)."""
    from importlib import resources
    from zoneinfo import ZoneInfo

    from babel import Locale
    from babel.dates import format_date

    from mediatheque.reports.texts import LOCALES

    for language in LANGUAGES:
        if not Locale.parse(language).territories or not format_date(
            datetime(2030, 1, 1), format="long", locale=LOCALES.get(language, language)
        ):
            raise LookupError(language)
    # Read the way zoneinfo reads tzdata where the system has no zone files (Windows).
    with resources.files("tzdata.zoneinfo.Asia").joinpath("Almaty").open("rb") as zone_file:
        zone = ZoneInfo.from_file(zone_file, key="Asia/Almaty")
    return f"{' '.join(LANGUAGES)}; tzdata Asia/Almaty {datetime(2030, 1, 1, tzinfo=zone).tzname()}"

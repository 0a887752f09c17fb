"""What every page is given: the open database and the application's shared helpers.
Passed explicitly to each page (no global registry to reach into)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from mediatheque.catalogue.lookup import ProviderHealth
from mediatheque.db import Database
from mediatheque.paths import backups_dir
from mediatheque.permissions import LOCAL_ADMIN, Actor
from mediatheque.schema import SchemaState
from mediatheque.settings import LibrarySettings, load_library_settings
from mediatheque.ui.app import DeskPreferences, Languages
from mediatheque.ui.backup_controller import BackupController
from mediatheque.ui.runner import Runner


def utc_now() -> datetime:
    return datetime.now(UTC)


class AppEvents(QObject):
    """Changes that several pages care about."""

    library_changed = Signal(object)  # the new LibrarySettings
    database_replaced = Signal()  # after a restore: every page reloads what it shows
    actor_changed = Signal(object)  # the new Actor (login, or unlocked by another person)


@dataclass
class AppContext:
    database: Database
    data_dir: Path
    schema: SchemaState
    runner: Runner
    preferences: DeskPreferences
    languages: Languages
    backups: BackupController
    events: AppEvents
    clock: Callable[[], datetime] = field(default=utc_now)
    # Who is at the desk: pass it to every service that changes data (permissions, audit).
    actor: Actor = LOCAL_ADMIN
    # Remote catalogues that failed are rested for a while, for every page alike (the
    # catalogue's lookups, the desk's ISBN scans, completing pending records).
    provider_health: ProviderHealth = field(default_factory=ProviderHealth)

    @property
    def backups_dir(self) -> Path:
        return backups_dir(self.data_dir)

    def set_actor(self, actor: Actor) -> None:
        """Someone else is at the desk now: pages enable what their role allows."""
        changed = actor != self.actor
        self.actor = actor
        if changed:
            self.events.actor_changed.emit(actor)

    def library(self) -> LibrarySettings:
        with self.database.read() as session:
            return load_library_settings(session)


def create_context(
    database: Database,
    data_dir: Path,
    schema: SchemaState,
    *,
    preferences: DeskPreferences,
    languages: Languages,
    parent: QObject | None = None,
    synchronous: bool = False,
    clock: Callable[[], datetime] = utc_now,
) -> AppContext:
    runner = Runner(parent, synchronous=synchronous)
    return AppContext(
        database=database,
        data_dir=data_dir,
        schema=schema,
        runner=runner,
        preferences=preferences,
        languages=languages,
        backups=BackupController(database, backups_dir(data_dir), runner, clock, parent),
        events=AppEvents(parent),
        clock=clock,
    )

"""Where the application finds its bundled files and keeps the user's data.

Bundled files (resources, translations, migrations) are found the same way from a source
checkout, an installed wheel and a frozen PyInstaller bundle.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Mediatheque"
APP_AUTHOR = "AllianceFrancaise"
DATABASE_FILENAME = "mediatheque.db"
BACKUP_DIRNAME = "backups"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled_dir(name: str) -> Path:
    """A top-level data folder: inside the package (wheel, frozen) or beside it (checkout)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen_root:
        candidates.append(Path(frozen_root) / "mediatheque" / name)
    candidates += [_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def resources_dir() -> Path:
    return _bundled_dir("resources")


def translations_dir() -> Path:
    return _bundled_dir("translations")


def migrations_dir() -> Path:
    return _PACKAGE_DIR / "migrations"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The user's data directory: --data-dir, else MEDIATHEQUE_DATA_DIR, else the platform's."""
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get("MEDIATHEQUE_DATA_DIR")
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def default_database_path(data: Path) -> Path:
    return data / DATABASE_FILENAME


def backups_dir(data: Path) -> Path:
    return data / BACKUP_DIRNAME

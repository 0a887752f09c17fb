"""Writing report files whole or not at all: into a temporary file beside the target,
renamed over it at the end; on any failure no partial file is left."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mediatheque.errors import OutputUnwritable, UnsupportedReportFormat


def suffix_of(path: Path, allowed: tuple[str, ...]) -> str:
    """The lower-case extension of `path` (".xlsx"…), if allowed."""
    suffix = path.suffix.lower()
    if suffix not in allowed:
        raise UnsupportedReportFormat(path=path, allowed=allowed)
    return suffix


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yields a temporary path to write; renames it to `path` when the block succeeds."""
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise OutputUnwritable(path=path, problem="no_folder")
    if path.is_dir():
        raise OutputUnwritable(path=path, problem="is_folder")
    try:
        handle, name = tempfile.mkstemp(prefix=".part-", suffix=path.suffix, dir=folder)
    except OSError as error:
        raise OutputUnwritable(path=path, problem=error.strerror or str(error)) from error
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputUnwritable(path=path, problem=error.strerror or str(error)) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise

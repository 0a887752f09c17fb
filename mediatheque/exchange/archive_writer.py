"""A ZIP archive written by a background thread while its entries are produced.

The export produces three entries side by side, record after record. One of them (the
largest) is deflated into the archive as it arrives; the others are spooled to files and
deflated at the end. zlib, hashlib and file writes release the GIL, so compressing and
checksumming run on another core while the records are being formatted.
"""

from __future__ import annotations

import hashlib
import queue
import threading
import time
import zipfile
from pathlib import Path
from typing import IO, Any

# Bounded, so that a slow disk holds the producer back instead of filling the memory.
_PENDING_CHUNKS = 8


class StreamingArchive:
    def __init__(self, path: Path, *, streamed: str, spooled: tuple[str, ...],
                 spool_dir: Path) -> None:
        self._archive = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)
        self._streamed = streamed
        self._spool_paths = {name: spool_dir / name for name in spooled}
        self._spools: dict[str, IO[bytes]] = {
            name: spool_path.open("wb") for name, spool_path in self._spool_paths.items()}
        self._hashes = {name: hashlib.sha256() for name in (streamed, *spooled)}
        self._sizes = dict.fromkeys(self._hashes, 0)
        self._queue: queue.Queue[tuple[str, bytes] | None] = queue.Queue(_PENDING_CHUNKS)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="fm21-archive", daemon=True)
        self._thread.start()

    def write(self, entry: str, data: bytes) -> None:
        """Queues bytes for an entry; raises what went wrong in the writer (disk full…)."""
        if self._error is not None:
            raise self._error
        if data:
            self._queue.put((entry, data))

    def _run(self) -> None:
        try:
            info = zipfile.ZipInfo(self._streamed, date_time=time.localtime()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with self._archive.open(info, "w") as streamed:
                while (item := self._queue.get()) is not None:
                    entry, data = item
                    self._hashes[entry].update(data)
                    self._sizes[entry] += len(data)
                    (streamed if entry == self._streamed else self._spools[entry]).write(data)
        except BaseException as error:  # handed over to the producer on its next write
            self._error = error
            while self._queue.get() is not None:
                pass  # keep taking chunks until told to stop, so the producer never blocks

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        for spool in self._spools.values():
            spool.close()

    def finish(self) -> dict[str, dict[str, Any]]:
        """Writes the spooled entries; returns each entry's size and SHA-256."""
        self._stop()
        if self._error is not None:
            self.abort()
            raise self._error
        for name, spool_path in self._spool_paths.items():
            self._archive.write(spool_path, name)
            spool_path.unlink()
        return {name: {"bytes": self._sizes[name], "sha256": self._hashes[name].hexdigest()}
                for name in self._hashes}

    def add(self, entry: str, data: bytes) -> None:
        """An entry known whole (written after finish())."""
        self._archive.writestr(entry, data)

    def close(self) -> None:
        self._archive.close()

    def abort(self) -> None:
        """Stops the writer and closes everything; the caller removes the files."""
        self._stop()
        self._archive.close()

"""A ZIP archive written by a background thread while its entries are produced.

The export produces three entries side by side, record after record. One of them (the
largest) is deflated into the archive as it arrives; the others are deflated as they
arrive too, into spool files, and copied into the archive at the end. zlib, hashlib and
file writes release the GIL, so compressing and checksumming run on another core while
the records are being formatted: finishing the archive is a copy, not a compression.
"""

from __future__ import annotations

import hashlib
import queue
import shutil
import threading
import time
import zipfile
import zlib
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
        # What zipfile itself uses for ZIP_DEFLATED: raw deflate at zlib's default level.
        self._deflaters = {name: zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED,
                                                  -15) for name in spooled}
        self._crcs = dict.fromkeys(spooled, 0)
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
                    if entry == self._streamed:
                        streamed.write(data)
                    else:
                        self._crcs[entry] = zlib.crc32(data, self._crcs[entry])
                        self._spools[entry].write(self._deflaters[entry].compress(data))
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
            with spool_path.open("ab") as spool:
                spool.write(self._deflaters[name].flush())
            _append_deflated(self._archive, name, spool_path, size=self._sizes[name],
                             crc=self._crcs[name])
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


def _append_deflated(archive: zipfile.ZipFile, name: str, deflated: Path, *, size: int,
                     crc: int) -> None:
    """Adds an entry whose data is already raw deflate. zipfile has no public call for
    this (it always compresses what it is given), so this does what its own entry writer
    does when it closes an entry on a seekable file: a local header with the final sizes
    and CRC, the data, then the entry registered for the central directory."""
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    info.file_size, info.CRC = size, crc
    info.compress_size = deflated.stat().st_size
    zip64 = max(info.file_size, info.compress_size) > zipfile.ZIP64_LIMIT
    out = archive.fp
    assert out is not None  # open for writing
    out.seek(archive.start_dir)
    info.header_offset = out.tell()
    out.write(info.FileHeader(zip64))
    with deflated.open("rb") as data:
        shutil.copyfileobj(data, out, 1 << 20)
    archive.start_dir = out.tell()
    archive.filelist.append(info)
    archive.NameToInfo[name] = info

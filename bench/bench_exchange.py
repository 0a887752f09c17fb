"""FM21 exchange speed (the requirement: export ≥ 10,000 records/s, import ≥ 5,000
records/s, peak memory under 500 MB) on the demo catalogue:

- export: a full package (core profile) of the demo database, records/s;
- import: that package read, checked and imported into a fresh SQLite database in one
  transaction, search index included, records/s.

Both use worker processes at this size (mediatheque.parallel): the export's read and
format batches, the import's parses, maps and validates records. Their peak memory is
printed apart.

Prints the median and p95 of each over a few runs, and the process's peak memory.
`--quick` uses the small demo catalogue.
"""

from __future__ import annotations

import multiprocessing
import resource
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from bench.common import NOW, demo_database, open_sqlite, parse_args, size_for, timed
from mediatheque.exchange.export import export_fm21
from mediatheque.exchange.importing import import_incoming
from mediatheque.exchange.package import open_incoming
from mediatheque.library import initialise_library
from mediatheque.permissions import LOCAL_ADMIN
from mediatheque.settings import LibrarySettings


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class WorkerPeak:
    """The largest peak memory of the worker processes, read from /proc while they run
    (getrusage's figure for children would count the parent's pages a child has before
    it replaces itself with a new interpreter)."""

    def __init__(self) -> None:
        self.mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            for child in multiprocessing.active_children():
                try:
                    status = Path(f"/proc/{child.pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.mb = max(self.mb, int(line.split()[1]) / 1024)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.mb


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv, __doc__.splitlines()[0] if __doc__ else "")
    size = size_for(args.quick)
    repeat = 3  # medians of three runs (the machines here are noisy)
    database, _path = demo_database(size)
    work = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    packages: list[Path] = []
    counts: list[int] = []

    def export() -> None:
        with database.read() as session:
            report = export_fm21(session, LOCAL_ADMIN, work / "out", now=NOW)
        packages.append(report.path)
        counts.append(report.records)

    try:
        watcher = WorkerPeak()
        timing = timed(f"export FM21 ({size.records} records)", export, repeat=repeat,
                       warmup=0)
        workers_mb = watcher.stop()
        records = counts[-1]
        print(f"export: {records / (timing.median_ms / 1000):,.0f} records/s (median), "
              f"package {packages[-1].stat().st_size / 1e6:.1f} MB, "
              f"peak memory {peak_mb():.0f} MB (largest worker process: "
              f"{workers_mb:.0f} MB)", flush=True)
        targets = []
        for number in range(repeat):  # fresh databases, made before the clock starts
            target = open_sqlite(work / f"import-{number}.db")
            with target.write() as session:
                initialise_library(session, LibrarySettings(name="Bench", code="KZ-BENCH"))
            targets.append(target)
        runs = iter(targets)

        def import_package() -> None:
            target = next(runs)
            try:
                incoming = open_incoming(packages[-1])
                with target.write() as session:
                    report = import_incoming(session, LOCAL_ADMIN, incoming, dry_run=False,
                                             now=NOW)
                assert report.records_new + report.records_matched + len(
                    report.duplicates) == records
            finally:
                target.dispose()

        watcher = WorkerPeak()
        timing = timed(f"import FM21 ({records} records)", import_package, repeat=repeat,
                       warmup=0)
        workers_mb = watcher.stop()
        print(f"import: {records / (timing.median_ms / 1000):,.0f} records/s (median), "
              f"peak memory {peak_mb():.0f} MB (largest worker process: "
              f"{workers_mb:.0f} MB)", flush=True)
    finally:
        database.dispose()
        for path in sorted(work.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        work.rmdir()


if __name__ == "__main__":
    main()

"""Shared helpers for the benchmarks: timing a callable, and demo databases to time on.

A demo database of a given size is built once with `generate_demo` and kept in
bench/results/ (git-ignored), so that benchmarks of searches, reports or the desk do not
spend minutes rebuilding it; `--quick` uses small sizes so that the whole suite can be
smoke-tested in seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import make_url

from mediatheque.db import Database, sqlite_url
from mediatheque.demo import DemoCounts, generate_demo
from mediatheque.startup import open_database

RESULTS = Path(__file__).resolve().parent / "results"
# A fixed day, so that a cached database stays valid and runs compare with each other.
TODAY = date(2026, 3, 14)
NOW = datetime(2026, 3, 14, 11, 0, tzinfo=UTC)  # 16:00 in Almaty, the library is open


@dataclass(frozen=True)
class DemoSize:
    records: int
    copies_per_record: float
    members: int
    loans: int

    @property
    def label(self) -> str:
        return (f"r{self.records}-c{self.copies_per_record:g}-m{self.members}"
                f"-l{self.loans}")


FULL = DemoSize(records=200_000, copies_per_record=1.5, members=2_000, loans=1_000_000)
QUICK = DemoSize(records=2_000, copies_per_record=1.5, members=100, loans=5_000)


def size_for(quick: bool) -> DemoSize:
    return QUICK if quick else FULL


# A database to benchmark on instead of the cached SQLite demo (`--db URL`), e.g. a
# PostgreSQL database filled by `mediatheque --db URL demo --records 200000 ...`.
BENCH_DB_ENV = "MEDIATHEQUE_BENCH_DB"


def parse_args(argv: Sequence[str] | None, description: str) -> argparse.Namespace:
    return bench_parser(description).parse_args(argv)


def bench_parser(description: str) -> argparse.ArgumentParser:
    """The options every benchmark takes (`--quick`, `--db`), to add its own to."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, to check that the benchmark runs")
    parser.add_argument("--db", metavar="URL", default=os.environ.get(BENCH_DB_ENV) or None,
                        help="an existing (demo) database to time on, e.g. "
                             "postgresql+psycopg://user@host/db; benchmarks that build "
                             f"their own data ignore it (default: ${BENCH_DB_ENV})")
    return parser


@dataclass(frozen=True)
class Timing:
    name: str
    runs_ms: tuple[float, ...]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.runs_ms)

    @property
    def p95_ms(self) -> float:
        return percentile(self.runs_ms, 95)

    def line(self) -> str:
        return (f"{self.name}: median {self.median_ms:.1f} ms, p95 {self.p95_ms:.1f} ms "
                f"(n={len(self.runs_ms)})")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile, linearly interpolated (q=50 is the median)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def timed(name: str, function: Callable[[], object], *, repeat: int = 20,
          warmup: int = 1) -> Timing:
    """Runs `function` warmup + repeat times; prints and returns the timings of the last
    `repeat` runs."""
    for _ in range(warmup):
        function()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append((time.perf_counter() - start) * 1000)
    timing = Timing(name, tuple(runs))
    print(timing.line(), flush=True)
    return timing


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def database_size(path: Path) -> int:
    """Bytes of an SQLite database with its WAL and shared-memory files."""
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
               if p.exists())


def open_sqlite(path: Path) -> Database:
    """Opens (migrating if needed) an SQLite database file, without automatic backups."""
    return open_database(sqlite_url(path), data_dir=path.parent, now=NOW,
                         auto_backup=False).database


def open_url(url: str) -> Database:
    """Opens (migrating if needed) the database at `url`, without automatic backups."""
    return open_database(make_url(url), data_dir=RESULTS, now=NOW,
                         auto_backup=False).database


def generate(database: Database, size: DemoSize, *, seed: int = 1,
             progress: Callable[[int, int], None] | None = None) -> DemoCounts:
    with database.write() as session:
        return generate_demo(
            session, records=size.records, copies_per_record=size.copies_per_record,
            members=size.members, loans=size.loans, seed=seed, today=TODAY, now=NOW,
            progress=progress,
        )


def demo_database(size: DemoSize, *, directory: Path | None = None, seed: int = 1,
                  fresh: bool = False) -> tuple[Database, Path]:
    """A demo database of `size`, built once and reused from `directory` (bench/results/
    by default). It is built under a temporary name and renamed when complete, so that an
    interrupted build is never reused."""
    directory = directory or RESULTS
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"demo-{size.label}-s{seed}.db"
    if fresh:
        _remove(path)
    if not path.exists():
        building = directory / f".building-{os.getpid()}-{path.name}"
        _remove(building)
        database = open_sqlite(building)
        try:
            started = time.perf_counter()
            counts = generate(database, size, seed=seed, progress=progress_printer())
            print(f"built {path.name}: {counts} in {time.perf_counter() - started:.1f} s",
                  flush=True)
        finally:
            database.dispose()
        building.rename(path)
    return open_sqlite(path), path


def progress_printer(every_seconds: float = 10.0) -> Callable[[int, int], None]:
    """A progress callback printing a line now and then (never more than every N s)."""
    started = time.perf_counter()
    last = [started]

    def report(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= every_seconds or done == total:
            last[0] = now
            print(f"  {done}/{total} ({100 * done / max(1, total):.0f} %) "
                  f"{now - started:.0f} s", flush=True)

    return report


def _remove(path: Path) -> None:
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        candidate.unlink(missing_ok=True)

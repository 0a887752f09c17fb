"""Runs every benchmark: `python -m bench.run [--quick] [NAME ...]` (`make bench`).

Each `bench/bench_*.py` module has a `main(argv)`; `--quick` is passed on so that they use
small sizes. A failing benchmark is reported and the others still run; the exit status is 1
if any failed.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def benchmark_names() -> list[str]:
    return sorted(path.stem for path in BENCH_DIR.glob("bench_*.py"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    parser.add_argument("--db", metavar="URL",
                        help="time on this existing database (benchmarks that support it, "
                             "e.g. bench_catalogue on a PostgreSQL demo)")
    parser.add_argument("names", nargs="*", help="only these benchmarks (e.g. bench_demo)")
    args = parser.parse_args(argv)
    names = benchmark_names()
    if args.names:
        unknown = sorted(set(args.names) - set(names))
        if unknown:
            parser.error(f"no such benchmark: {', '.join(unknown)}")
        names = [name for name in names if name in args.names]
    failed = []
    for name in names:
        print(f"== {name}{' (quick)' if args.quick else ''}", flush=True)
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{name}")
            module.main((["--quick"] if args.quick else [])
                        + (["--db", args.db] if args.db else []))
        except Exception:  # report and go on with the other benchmarks
            traceback.print_exc()
            failed.append(name)
        print(f"== {name}: {time.perf_counter() - started:.1f} s", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

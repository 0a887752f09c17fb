"""Times `generate_demo` at the benchmark size and reports the size of the database.

The requirement: 200,000 records, 1.5 copies each, 2,000 members and 1,000,000 loans in
minutes on two cores (aim: under 3 minutes on SQLite).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.common import (
    database_size,
    generate,
    human_size,
    open_sqlite,
    parse_args,
    progress_printer,
    size_for,
)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv, __doc__ or "")
    size = size_for(args.quick)
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as directory:
        path = Path(directory) / "demo.db"
        database = open_sqlite(path)
        try:
            started = time.perf_counter()
            counts = generate(database, size, progress=None if args.quick else progress_printer())
            seconds = time.perf_counter() - started
        finally:
            database.dispose()
        rows = counts.records + counts.copies + counts.members + counts.loans
        print(f"generate_demo {size.label}: {seconds:.1f} s "
              f"({rows / seconds:,.0f} main rows/s), {counts}", flush=True)
        print(f"database size: {human_size(database_size(path))}", flush=True)


if __name__ == "__main__":
    main()

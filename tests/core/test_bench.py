"""The benchmarks stay runnable: `make bench` at its quick sizes (timings are not judged
here — machines are noisy; they are read in the output of make bench)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmarks_run() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick"], cwd=ROOT, capture_output=True,
        text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bench_demo" in result.stdout

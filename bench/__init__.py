"""Benchmarks: `python -m bench.run [--quick]` runs every `bench/bench_*.py` module.

Results (and the cached demo databases they run on) go to bench/results/, which is not
versioned.
"""

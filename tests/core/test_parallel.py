"""ordered_map: jobs done by worker processes, results in order, errors raised for their
job, the work done here when no worker can start, workers stopped when the caller stops."""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool

import pytest

from mediatheque import parallel
from mediatheque.parallel import ordered_map
from tests.conftest import wait_for_workers_to_exit


def test_results_come_back_in_the_order_of_the_jobs() -> None:
    numbers = list(range(40, 0, -1))  # the big jobs first: they finish last
    assert list(ordered_map(math.factorial, numbers, workers=2)) == [
        math.factorial(n) for n in numbers]


def test_an_error_in_a_worker_is_raised_for_its_job() -> None:
    results = ordered_map(int, ["1", "2", "x", "4"], workers=1)
    assert [next(results), next(results)] == [1, 2]
    with pytest.raises(ValueError, match="'x'"):
        next(results)


def test_without_workers_the_jobs_are_done_here() -> None:
    done: list[int] = []

    def here(number: int) -> int:  # a closure: could not go to another process
        done.append(number)
        return number * 2

    assert list(ordered_map(here, [1, 2, 3], workers=0)) == [2, 4, 6]
    assert done == [1, 2, 3]


def test_a_pool_that_cannot_start_falls_back_to_doing_the_work_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    class BrokenPool:
        def __init__(self, *_args: object, **_kwargs: object) -> None:
            self.stopped = False

        def submit(self, *_args: object) -> None:
            raise BrokenProcessPool("no process may be started here")

        def shutdown(self, **_kwargs: object) -> None:
            self.stopped = True

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", BrokenPool)
    assert list(ordered_map(str, range(7), workers=2)) == [str(n) for n in range(7)]


def test_stopping_early_stops_the_workers_and_takes_no_more_jobs() -> None:
    taken: list[int] = []

    def jobs() -> Iterator[int]:
        for number in range(1000):
            taken.append(number)
            yield number

    results = ordered_map(math.factorial, jobs(), workers=2)
    assert next(results) == 1
    results.close()
    assert len(taken) <= 5  # a few jobs ahead, never the whole input
    assert multiprocessing.active_children() == []


def _slept(seconds: float) -> tuple[float, int]:
    """A job that takes its time (a negative one fails); who did it."""
    time.sleep(seconds)
    return seconds, os.getpid()


def test_helping_out_the_caller_does_jobs_too_in_order() -> None:
    """While the worker is busy with a long first job, this process does the next ones
    itself; the results still come in the order of the jobs."""
    jobs = [1.0, *[0.01 * n for n in range(1, 10)]]
    results = list(ordered_map(_slept, jobs, workers=1, ahead=2, help_out=True))
    assert [seconds for seconds, _ in results] == jobs
    here = [seconds for seconds, pid in results if pid == os.getpid()]
    assert results[0][1] != os.getpid() and 1 <= len(here) < len(jobs) - 1
    wait_for_workers_to_exit()  # all done: the idle worker was not waited for
    assert multiprocessing.active_children() == []


def test_helping_out_an_error_is_raised_at_its_turn() -> None:
    results = ordered_map(_slept, [0.5, 0.01, -1.0, 0.01], workers=1, ahead=1,
                          help_out=True)
    assert [next(results)[0], next(results)[0]] == [0.5, 0.01]
    with pytest.raises(ValueError, match="non-negative"):
        next(results)


def test_threads_switch_quickly_while_workers_are_at_work() -> None:
    """A helper thread reads the workers' results: it must not wait 5 ms for the GIL."""
    found = sys.getswitchinterval()
    results = ordered_map(abs, [-1, -2, -3], workers=1)
    assert next(results) == 1
    assert sys.getswitchinterval() == parallel.SWITCH_INTERVAL < found
    results.close()  # stopped early: restored too
    assert sys.getswitchinterval() == found
    assert list(ordered_map(abs, [-4], workers=1)) == [4]
    assert sys.getswitchinterval() == found
    assert list(ordered_map(abs, [-5], workers=0)) == [5]  # no worker: nothing to change
    assert sys.getswitchinterval() == found


@pytest.mark.skipif(not hasattr(parallel.fcntl, "F_GETPIPE_SZ"), reason="pipe sizes: Linux")
def test_the_pipes_to_the_workers_hold_a_whole_result() -> None:
    """A worker puts a large result into the pipe at once and goes on to its next job."""
    import fcntl
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        parallel._enlarge_pipes(pool)
        for queue in (pool._call_queue, pool._result_queue):  # type: ignore[attr-defined]
            assert fcntl.fcntl(queue._reader.fileno(), fcntl.F_GETPIPE_SZ) \
                >= parallel.PIPE_BYTES
        assert pool.submit(abs, -3).result() == 3
    parallel._enlarge_pipes(object())  # type: ignore[arg-type]  # elsewhere: nothing changes


def _collector_thresholds(_job: int) -> tuple[int, ...]:
    import gc

    return gc.get_threshold()


def test_workers_collect_garbage_as_bulk_work_does_between_jobs_too() -> None:
    from mediatheque.bulk_work import BULK_THRESHOLD

    results = list(ordered_map(_collector_thresholds, [1, 2, 3], workers=1))
    assert all(found[0] >= BULK_THRESHOLD for found in results)

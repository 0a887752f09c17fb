"""Work spread over other processes, results in order (the FM21 export's formatting, the
FM21 import's parsing and mapping).

CPython runs one thread of Python at a time, so a second core only helps from another
process. Workers are started with `spawn` (as on Windows, and safe from a program that
has threads: the window, the export's writer thread). Jobs go out a few at a time, so
memory stays bounded however long the input, and results come back in the order the jobs
were given. Where no worker can be started (a locked-down PC, a broken pool) the jobs are
done here, the same way: the result never depends on it.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from mediatheque.bulk_work import bulk_process
from mediatheque.process_setting import ProcessSetting

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

Job = TypeVar("Job")
Result = TypeVar("Result")

# Jobs in flight per worker: one being done, one waiting, so a worker never idles while
# the results are taken as fast as they come.
AHEAD = 2
# Seconds a thread may hold the GIL while another waits for it (CPython's default: 5 ms).
# A worker's result comes through a pipe of 64 KB that a helper thread of this process
# empties: while this process's own thread computes, the helper waited up to 5 ms for
# each 64 KB, and the worker, stuck writing, with it (a 200,000-record import: 46.6 s,
# 43.9 s with 0.5 ms; the worker's gaps between jobs 1.7 s, 0.7 s).
SWITCH_INTERVAL = 0.0005
_SWITCHES = ProcessSetting(sys.getswitchinterval, sys.setswitchinterval,
                           lambda found: min(found, SWITCH_INTERVAL))
# Bytes the pipes to and from the workers hold, where the system lets us say (Linux: 64 KB
# by default, 1 MB allowed). A job's result (500 records of an import: some 450 KB) then
# goes into the pipe at once, and the worker on to its next job, instead of waiting seven
# times for this process's helper thread to empty the pipe (200,000-record import, three
# runs each, back to back: median 47.2 s, 44.4 s with 1 MB).
PIPE_BYTES = 1 << 20


def worker_count() -> int:
    """Worker processes worth starting: one per core beyond this process's own, at most 3
    (the producer, and the export's compression thread, need a core too)."""
    return max(0, min(3, (os.cpu_count() or 1) - 1))


def ordered_map(function: Callable[[Job], Result], jobs: Iterable[Job], *,
                workers: int | None = None, ahead: int = AHEAD,
                help_out: bool = False) -> Iterator[Result]:
    """`map(function, jobs)` done by worker processes. `function` must be a module-level
    function, jobs and results picklable. An exception raised by `function` is raised
    here, for its job. Closing the iterator early (an error, a cancel) stops the workers.
    `ahead`: jobs in flight per worker; more when the caller takes results in bursts (the
    workers go on while it is busy elsewhere). `help_out`: rather than wait for the next
    result, this process does the next job itself (up to `ahead` per worker, kept until
    their turn): whichever side is slower on this machine, no core waits for the other."""
    count = worker_count() if workers is None else workers
    if count <= 0:
        yield from map(function, jobs)
        return
    with _SWITCHES.held():
        yield from _mapped_by_workers(function, jobs, count, ahead, help_out)


def _mapped_by_workers(function: Callable[[Job], Result], jobs: Iterable[Job], count: int,
                       ahead: int, help_out: bool) -> Iterator[Result]:
    started = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=bulk_process)
    _enlarge_pipes(started)
    pool: ProcessPoolExecutor | None = started
    pending: deque[tuple[Job, Future[Result] | None]] = deque()
    window = count * ahead
    here = 0  # jobs in `pending` done by this process
    finished = False
    remaining = iter(jobs)
    try:
        for job in remaining:
            pending.append((job, _submit(pool, function, job)))
            while len(pending) - here >= window:
                head = pending[0][1]
                if help_out and here < window and head is not None and not head.done():
                    try:
                        extra = next(remaining)
                    except StopIteration:
                        pass
                    else:
                        pending.append((extra, _done_here(function, extra)))
                        here += 1
                        continue
                if isinstance(head, _Here):
                    here -= 1
                result, pool = _collect(pending.popleft(), function, pool)
                yield result
        while pending:
            result, pool = _collect(pending.popleft(), function, pool)
            yield result
        finished = True
    finally:
        if pool is not None:
            # All done: the idle workers exit on their own, nobody needs to wait for them
            # (0.2 s). Stopped early: they are waited for, so none outlives the work.
            pool.shutdown(wait=not finished, cancel_futures=True)


def _enlarge_pipes(pool: ProcessPoolExecutor) -> None:
    """PIPE_BYTES for the pool's job and result pipes, on Linux. The pool keeps them
    private: where they are not where CPython keeps them (3.8 to 3.13 at least), or the
    system refuses, nothing changes but the speed."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if set_size is None:
        return
    try:
        queues: list[Any] = [pool._call_queue, pool._result_queue]  # type: ignore[attr-defined]
        for queue in queues:
            fcntl.fcntl(queue._reader.fileno(), set_size, PIPE_BYTES)
    except (AttributeError, OSError):
        pass


class _Here(Future[Any]):
    """The outcome of a job done by this process, kept until its turn."""


def _done_here(function: Callable[[Job], Result], job: Job) -> Future[Result]:
    outcome: Future[Result] = _Here()
    try:
        outcome.set_result(function(job))
    except Exception as error:  # raised again at its job's turn
        outcome.set_exception(error)
    return outcome


def _submit(pool: ProcessPoolExecutor | None, function: Callable[[Job], Result],
            job: Job) -> Future[Result] | None:
    if pool is None:
        return None
    try:
        return pool.submit(function, job)
    except (BrokenProcessPool, OSError, RuntimeError):
        return None  # done here when collected


def _collect(entry: tuple[Job, Future[Result] | None], function: Callable[[Job], Result],
             pool: ProcessPoolExecutor | None) -> tuple[Result, ProcessPoolExecutor | None]:
    job, future = entry
    if isinstance(future, _Here):
        return future.result(), pool
    if future is not None:
        try:
            return future.result(), pool
        except (BrokenProcessPool, CancelledError, OSError):
            pass  # the workers could not start or died (then the rest was cancelled)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)
    return function(job), None

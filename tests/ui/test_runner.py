from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mediatheque.ui.runner import Runner


class Recorder:
    def __init__(self) -> None:
        self.done: list[object] = []
        self.failed: list[BaseException] = []
        self.progress: list[tuple[int, int]] = []
        self.threads: list[int] = []

    def on_done(self, result: object) -> None:
        self.threads.append(threading.get_ident())
        self.done.append(result)

    def on_failed(self, error: BaseException) -> None:
        self.threads.append(threading.get_ident())
        self.failed.append(error)

    def on_progress(self, done: int, total: int) -> None:
        self.progress.append((done, total))


def test_synchronous_runner_delivers_before_submit_returns(qapp: QApplication) -> None:
    runner = Runner(synchronous=True)
    seen = Recorder()
    runner.submit(lambda a, b: a + b, 2, b=3, on_done=seen.on_done, on_failed=seen.on_failed)
    assert seen.done == [5]
    assert seen.failed == []
    assert not runner.busy


def test_synchronous_failure_goes_to_on_failed(qapp: QApplication) -> None:
    runner = Runner(synchronous=True)
    seen = Recorder()

    def broken() -> None:
        raise ValueError("no")

    runner.submit(broken, on_done=seen.on_done, on_failed=seen.on_failed)
    assert seen.done == []
    assert [str(error) for error in seen.failed] == ["no"]


def test_failure_without_handler_is_announced(qtbot: QtBot) -> None:
    runner = Runner(synchronous=True)

    def broken() -> None:
        raise RuntimeError("lost?")

    with qtbot.wait_signal(runner.unhandled_failure) as blocker:
        runner.submit(broken)
    assert str(blocker.args[0]) == "lost?"


def test_progress_and_cancel_follow_the_core_convention(qapp: QApplication) -> None:
    runner = Runner(synchronous=True)
    seen = Recorder()

    def long_work(items: int, *, progress, cancelled) -> int:  # type: ignore[no-untyped-def]
        done = 0
        for done in range(1, items + 1):
            progress(done, items)
            if cancelled():
                break
        return done

    runner.submit(long_work, 3, on_done=seen.on_done, on_progress=seen.on_progress)
    assert seen.progress == [(1, 3), (2, 3), (3, 3)]
    assert seen.done == [3]


def test_background_work_runs_off_the_gui_thread_and_returns_on_it(qtbot: QtBot) -> None:
    runner = Runner()
    seen = Recorder()
    gui_thread = threading.get_ident()
    worker_threads: list[int] = []
    release = threading.Event()

    def work() -> str:
        worker_threads.append(threading.get_ident())
        assert QThread.currentThread() is not QApplication.instance().thread()
        release.wait(5)
        return "ok"

    with qtbot.wait_signal(runner.busy_changed) as started:
        runner.submit(work, on_done=seen.on_done)
    assert started.args == [True]
    assert runner.busy
    assert seen.done == []  # the GUI thread was not held up
    with qtbot.wait_signal(runner.busy_changed, timeout=5000) as finished:
        release.set()
    assert finished.args == [False]
    assert seen.done == ["ok"]
    assert seen.threads == [gui_thread]
    assert worker_threads and worker_threads[0] != gui_thread
    runner.wait()


def test_background_progress_arrives_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = Runner()
    seen = Recorder()
    progress_threads: list[int] = []

    def on_progress(done: int, total: int) -> None:
        progress_threads.append(threading.get_ident())
        seen.on_progress(done, total)

    def work(*, progress, cancelled) -> None:  # type: ignore[no-untyped-def]
        progress(1, 2)
        progress(2, 2)

    with qtbot.wait_signal(runner.busy_changed, timeout=5000, check_params_cb=lambda b: not b):
        runner.submit(work, on_progress=on_progress)
    assert seen.progress == [(1, 2), (2, 2)]
    assert set(progress_threads) == {threading.get_ident()}
    runner.wait()


@pytest.mark.parametrize("synchronous", [True, False])
def test_cancel_is_seen_by_the_work(qtbot: QtBot, synchronous: bool) -> None:
    runner = Runner(synchronous=synchronous)
    seen = Recorder()
    task_started = threading.Event()
    go_on = threading.Event()

    def work(*, progress, cancelled) -> bool:  # type: ignore[no-untyped-def]
        task_started.set()
        if not synchronous:
            go_on.wait(5)
        return cancelled()

    if synchronous:
        task = runner.submit(work, on_done=seen.on_done, on_progress=seen.on_progress)
        assert seen.done == [False]
        task.cancel()
        assert task.cancelled()
        return
    with qtbot.wait_signal(runner.busy_changed, timeout=5000, check_params_cb=lambda b: not b):
        task = runner.submit(work, on_done=seen.on_done, on_progress=seen.on_progress)
        task_started.wait(5)
        task.cancel()
        go_on.set()
    assert seen.done == [True]
    runner.wait()

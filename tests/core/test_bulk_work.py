"""bulk_work(): young collections far apart inside a bulk job, the thresholds restored after."""

from __future__ import annotations

import gc

import pytest

from mediatheque.bulk_work import BULK_THRESHOLD, bulk_work


@pytest.fixture(autouse=True)
def known_thresholds():
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_raised_inside_and_restored_after() -> None:
    with bulk_work():
        assert gc.get_threshold() == (BULK_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_nested_jobs_restore_once_the_last_one_leaves() -> None:
    with bulk_work():
        with bulk_work():
            pass
        assert gc.get_threshold()[0] == BULK_THRESHOLD
    assert gc.get_threshold() == (700, 10, 10)


def test_restored_when_the_job_fails() -> None:
    @bulk_work()
    def failing() -> None:
        assert gc.get_threshold()[0] == BULK_THRESHOLD
        raise ValueError("disk full")

    with pytest.raises(ValueError, match="disk full"):
        failing()
    assert gc.get_threshold() == (700, 10, 10)
    failing_again = pytest.raises(ValueError)
    with failing_again:
        failing()  # the decorator works for every call, not only the first
    assert gc.get_threshold() == (700, 10, 10)


def test_a_higher_setting_is_kept() -> None:
    gc.set_threshold(2_000_000, 10, 10)
    with bulk_work():
        assert gc.get_threshold()[0] == 2_000_000
    assert gc.get_threshold() == (2_000_000, 10, 10)

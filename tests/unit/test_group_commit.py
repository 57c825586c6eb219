"""Group commit: concurrent callers share a batch, each gets its own outcome."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from core.errors import DomainError, InvalidValue
from core.services.group_commit import GroupCommit


class Recorder:
    """A batch function that records its batches; the first one waits for a signal, so
    the calls made meanwhile queue up behind it."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.first_started = threading.Event()
        self.release_first = threading.Event()

    def __call__(self, items: list[int]) -> list[int | DomainError]:
        self.batches.append(list(items))
        if len(self.batches) == 1:
            self.first_started.set()
            assert self.release_first.wait(5)
        return [InvalidValue(f"{i} is odd", field="n") if i % 2 else i * 10 for i in items]


def _queue_behind_first(group: GroupCommit, recorder: Recorder, others: list[int], pool):
    first = pool.submit(group.submit, 0)
    assert recorder.first_started.wait(5)
    futures = [pool.submit(group.submit, n) for n in others]
    while len(group._waiting) < len(others):
        threading.Event().wait(0.001)
    recorder.release_first.set()
    return first, futures


def test_a_lone_call_runs_at_once_in_a_batch_of_its_own():
    recorder = Recorder()
    recorder.release_first.set()
    group = GroupCommit(recorder)
    assert group.submit(4) == 40
    assert group.submit(6) == 60
    assert recorder.batches == [[4], [6]]


def test_calls_made_while_a_batch_runs_share_the_next_one():
    recorder = Recorder()
    group = GroupCommit(recorder)
    with ThreadPoolExecutor(8) as pool:
        first, futures = _queue_behind_first(group, recorder, [2, 4, 6, 8], pool)
        assert first.result(5) == 0
        assert [f.result(5) for f in futures] == [20, 40, 60, 80]
    assert recorder.batches[0] == [0]
    assert sorted(recorder.batches[1]) == [2, 4, 6, 8]
    assert len(recorder.batches) == 2


def test_a_refused_item_raises_for_its_caller_only():
    recorder = Recorder()
    group = GroupCommit(recorder)
    with ThreadPoolExecutor(8) as pool:
        _, futures = _queue_behind_first(group, recorder, [2, 3, 4], pool)
        with pytest.raises(InvalidValue, match="3 is odd"):
            futures[1].result(5)
        assert futures[0].result(5) == 20 and futures[2].result(5) == 40


def test_max_batch_bounds_a_batch():
    recorder = Recorder()
    group = GroupCommit(recorder, max_batch=2)
    with ThreadPoolExecutor(8) as pool:
        _, futures = _queue_behind_first(group, recorder, [2, 4, 6, 8, 10], pool)
        assert sorted(f.result(5) for f in futures) == [20, 40, 60, 80, 100]
    assert [len(batch) for batch in recorder.batches] == [1, 2, 2, 1]


def test_a_failed_batch_fails_each_of_its_callers_and_the_next_call_runs():
    calls: list[list[int]] = []

    def failing_once(items: list[int]) -> list[int]:
        calls.append(items)
        if len(calls) == 1:
            raise OSError("disk full")
        return [i for i in items]

    group = GroupCommit(failing_once)
    with pytest.raises(OSError, match="disk full"):
        group.submit(1)
    assert group.submit(2) == 2


def test_max_batch_must_allow_one():
    with pytest.raises(ValueError, match="at least 1"):
        GroupCommit(lambda items: items, max_batch=0)


def test_a_leader_waits_for_an_announced_item():
    batches: list[list[int]] = []
    group = GroupCommit(lambda items: batches.append(list(items)) or items, gather_seconds=5)
    with ThreadPoolExecutor(2) as pool, group.announce() as coming:
        leader = pool.submit(group.submit, 1)
        while group.queued < 1:
            threading.Event().wait(0.001)
        assert coming.submit(2) == 2
        assert leader.result(5) == 1
    assert batches == [[1, 2]]


def test_a_withdrawn_announcement_frees_the_leader():
    batches: list[list[int]] = []
    group = GroupCommit(lambda items: batches.append(list(items)) or items, gather_seconds=5)
    with ThreadPoolExecutor(1) as pool:
        with group.announce():
            leader = pool.submit(group.submit, 1)
            while group.queued < 1:
                threading.Event().wait(0.001)
        assert leader.result(5) == 1
    assert batches == [[1]]


def test_an_announced_item_that_never_comes_holds_a_leader_for_the_gather_time_only():
    group = GroupCommit(lambda items: items, gather_seconds=0.01)
    with ThreadPoolExecutor(1) as pool, group.announce():
        assert pool.submit(group.submit, 7).result(5) == 7


def test_an_announcement_is_submitted_once():
    group = GroupCommit(lambda items: items)
    with group.announce() as coming:
        assert coming.submit(3) == 3
        with pytest.raises(ValueError, match="already"):
            coming.submit(4)

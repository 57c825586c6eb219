"""The embedded outbox: transactional enqueue, retries with backoff, dead jobs, revival."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.jobs.outbox import OutboxJobs, OutboxWorker
from adapters.jobs.runner import JobRunner, RetryPolicy
from core.errors import Conflict, NotFound
from core.models import utcnow
from ports.integrations import ExportFailed
from ports.jobs import JobState

POLICY = RetryPolicy(
    max_attempts=3, base=timedelta(seconds=10), cap=timedelta(seconds=15), jitter=lambda: 1.0
)


class Clock:
    def __init__(self) -> None:
        self.now = utcnow() + timedelta(seconds=1)

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Handlers:
    """Task handlers that record their payloads and fail as told."""

    def __init__(self) -> None:
        self.ran: list[dict] = []
        self.failures: dict[str, Exception] = {}

    def __call__(self, payload: dict) -> None:
        self.ran.append(payload)
        failure = self.failures.get(payload["name"])
        if failure is not None:
            raise failure


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def open_uow(database, blobs, municipality):
    factory = database.uow_factory(blobs)
    return lambda: factory(municipality.id)


@pytest.fixture
def outbox(database, municipality, clock):
    return OutboxJobs(
        database.engine, municipality.id, stale_after=timedelta(minutes=5), clock=clock
    )


@pytest.fixture
def handlers():
    return Handlers()


@pytest.fixture
def worker(outbox, handlers):
    return OutboxWorker(outbox, JobRunner({"work": handlers}), POLICY, name="w1")


def enqueue(open_uow, name: str, *, key: str | None = None, commit: bool = True) -> None:
    with open_uow() as uow:
        uow.jobs.enqueue("work", {"name": name}, dedupe_key=key)
        if commit:
            uow.commit()


def test_a_job_exists_only_if_its_transaction_commits(open_uow, outbox):
    enqueue(open_uow, "rolled back", commit=False)
    assert outbox.list() == []
    enqueue(open_uow, "committed")
    (job,) = outbox.list()
    assert (job.task, job.payload, job.state, job.attempts) == (
        "work",
        {"name": "committed"},
        JobState.TODO,
        0,
    )


def test_a_waiting_job_absorbs_later_ones_with_its_key(open_uow, outbox, worker, handlers):
    enqueue(open_uow, "first", key="k")
    enqueue(open_uow, "second", key="k")
    enqueue(open_uow, "other", key="k2")
    assert len(outbox.list(state=JobState.TODO)) == 2
    assert worker.run_pending() == 2
    enqueue(open_uow, "after the run", key="k")
    assert [job.state for job in outbox.list()] == [JobState.TODO, JobState.DONE, JobState.DONE]
    assert [p["name"] for p in handlers.ran] == ["first", "other"]


def test_a_crashing_job_is_retried_with_backoff_then_dead_and_blocks_nobody(
    open_uow, outbox, worker, handlers, clock
):
    handlers.failures["crash"] = RuntimeError("boom for 0101901234")
    enqueue(open_uow, "crash", key="a")
    enqueue(open_uow, "fine", key="b")

    assert worker.run_pending() == 2
    crash = next(job for job in outbox.list() if job.payload["name"] == "crash")
    assert (crash.state, crash.attempts) == (JobState.TODO, 1)
    assert crash.run_after == clock.now + timedelta(seconds=10)
    assert crash.last_error == "RuntimeError: boom for 010190-XXXX"
    assert worker.run_pending() == 0  # not due yet

    clock.advance(10)
    assert worker.run_pending() == 1
    assert outbox.get(crash.id).run_after == clock.now + timedelta(seconds=15)  # capped
    clock.advance(15)
    assert worker.run_pending() == 1
    dead = outbox.get(crash.id)
    assert (dead.state, dead.attempts) == (JobState.DEAD, 3)
    assert [p["name"] for p in handlers.ran] == ["crash", "fine", "crash", "crash"]

    enqueue(open_uow, "later", key="c")
    clock.advance(3600)
    assert worker.run_pending() == 1
    assert outbox.get(crash.id).state is JobState.DEAD


def test_a_permanent_failure_is_dead_at_once_and_can_be_retried(open_uow, outbox, worker, handlers):
    handlers.failures["rejected"] = ExportFailed("StatusKode 40: bad input", retryable=False)
    enqueue(open_uow, "rejected")
    worker.run_pending()
    (job,) = outbox.list(state=JobState.DEAD)
    assert job.attempts == 1 and "StatusKode 40" in job.last_error

    del handlers.failures["rejected"]
    revived = outbox.retry(job.id)
    assert (revived.state, revived.attempts) == (JobState.TODO, 0)
    assert worker.run_pending() == 1
    assert outbox.get(job.id).state is JobState.DONE


def test_only_a_dead_job_is_retried(open_uow, outbox):
    enqueue(open_uow, "waiting")
    (job,) = outbox.list()
    with pytest.raises(Conflict):
        outbox.retry(job.id)
    with pytest.raises(NotFound):
        outbox.retry(job.id + 1000)


def test_two_jobs_of_one_key_never_run_at_once(open_uow, outbox, worker):
    enqueue(open_uow, "first", key="k")
    running = outbox.claim("w2")
    enqueue(open_uow, "second", key="k")
    enqueue(open_uow, "unrelated", key="other")
    assert outbox.claim("w3").payload["name"] == "unrelated"
    assert outbox.claim("w3") is None
    outbox.succeed(running, "w2")
    assert outbox.claim("w3").payload["name"] == "second"


def test_a_job_left_doing_by_a_dead_worker_is_claimed_again(open_uow, outbox, clock):
    enqueue(open_uow, "orphan")
    first = outbox.claim("gone")
    assert outbox.claim("w2") is None
    clock.advance(5 * 60 + 1)
    again = outbox.claim("w2")
    assert (again.id, again.attempts) == (first.id, 2)
    outbox.succeed(first, "gone")  # the lost worker's late answer changes nothing
    assert outbox.get(first.id).state is JobState.DOING
    outbox.succeed(again, "w2")
    assert outbox.get(first.id).state is JobState.DONE


def test_the_policy_waits_between_half_and_all_of_the_capped_doubling():
    low = RetryPolicy(base=timedelta(seconds=10), cap=timedelta(seconds=60), jitter=lambda: 0.0)
    high = RetryPolicy(base=timedelta(seconds=10), cap=timedelta(seconds=60), jitter=lambda: 1.0)
    assert [low.delay(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [5, 10, 20, 30, 30]
    assert [high.delay(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [10, 20, 40, 60, 60]
    assert high.next_try(RuntimeError(), 8) is None
    assert high.next_try(ExportFailed("no", retryable=False), 1) is None
    assert high.next_try(ExportFailed("later", retryable=True), 1) == timedelta(seconds=10)

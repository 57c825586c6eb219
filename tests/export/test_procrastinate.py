"""procrastinate as the job queue on PostgreSQL: deferred in the change's transaction,
retried then dead, revived, and never run twice by concurrent workers."""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta

import procrastinate
import pytest

from adapters.jobs.backends import ProcrastinateWorker
from adapters.jobs.procrastinate_queue import ProcrastinateJobs, ProcrastinateQueue, connector_for
from adapters.jobs.runner import JobRunner, RetryPolicy
from ports.integrations import ExportFailed
from ports.jobs import JobState

pytestmark = pytest.mark.postgres

NO_WAIT = RetryPolicy(max_attempts=3, base=timedelta(0), cap=timedelta(0))


@pytest.fixture
def database(postgres_db):
    return postgres_db


class Recorder:
    def __init__(self, fail: dict[str, Exception] | None = None, pause: float = 0.0) -> None:
        self.ran: list[str] = []
        self.fail = fail or {}
        self.pause = pause
        self._lock = threading.Lock()

    def __call__(self, payload: dict) -> None:
        with self._lock:
            self.ran.append(payload["name"])
        time.sleep(self.pause)
        if payload["name"] in self.fail:
            raise self.fail[payload["name"]]


def jobs_for(database, municipality, recorder, policy=NO_WAIT) -> ProcrastinateJobs:
    app = procrastinate.App(connector=connector_for(database.engine))
    return ProcrastinateJobs(
        app, database.engine, municipality.id, JobRunner({"work": recorder}), policy
    )


@pytest.fixture
def open_uow(database, blobs, municipality):
    app = procrastinate.App(connector=connector_for(database.engine))
    factory = database.uow_factory(
        blobs, job_queue=lambda session, mid: ProcrastinateQueue(app, session, mid)
    )
    return lambda: factory(municipality.id)


def enqueue(open_uow, *names: str, key: str | None = None, commit: bool = True) -> None:
    with open_uow() as uow:
        for name in names:
            uow.jobs.enqueue("work", {"name": name}, dedupe_key=key)
        if commit:
            uow.commit()


def test_a_job_is_deferred_in_the_transaction_of_its_change(open_uow, database, municipality):
    jobs = jobs_for(database, municipality, Recorder())
    enqueue(open_uow, "rolled back", commit=False)
    assert jobs.list() == []
    enqueue(open_uow, "committed", key="k")
    enqueue(open_uow, "absorbed", key="k")
    (job,) = jobs.list()
    assert (job.payload, job.state, job.dedupe_key) == ({"name": "committed"}, JobState.TODO, "k")


def test_a_crashing_job_is_retried_then_dead_and_others_still_run(open_uow, database, municipality):
    recorder = Recorder(fail={"crash": RuntimeError("boom 0101901234")})
    jobs = jobs_for(database, municipality, recorder)
    enqueue(open_uow, "crash", "fine")

    ProcrastinateWorker(jobs).run_pending()

    assert sorted(recorder.ran) == ["crash", "crash", "crash", "fine"]
    by_name = {job.payload["name"]: job for job in jobs.list()}
    crash, fine = by_name["crash"], by_name["fine"]
    assert (crash.state, crash.attempts) == (JobState.DEAD, 3)
    assert crash.last_error == "RuntimeError: boom 010190-XXXX"
    assert (fine.state, fine.attempts) == (JobState.DONE, 1)


def test_a_permanent_failure_is_dead_at_once_and_a_retry_revives_it(
    open_uow, database, municipality
):
    recorder = Recorder(fail={"rejected": ExportFailed("StatusKode 40", retryable=False)})
    jobs = jobs_for(database, municipality, recorder)
    enqueue(open_uow, "rejected")
    ProcrastinateWorker(jobs).run_pending()
    (dead,) = jobs.list(state=JobState.DEAD)
    assert dead.attempts == 1 and "StatusKode 40" in dead.last_error

    recorder.fail.clear()
    assert jobs.retry(dead.id).state is JobState.TODO
    ProcrastinateWorker(jobs).run_pending()
    assert jobs.get(dead.id).state is JobState.DONE
    assert recorder.ran == ["rejected", "rejected"]


def test_concurrent_workers_never_run_the_same_job_twice(open_uow, database, municipality):
    recorder = Recorder(pause=0.005)
    names = [f"job-{n}" for n in range(30)]
    enqueue(open_uow, *names)
    workers = [jobs_for(database, municipality, recorder) for _ in range(3)]

    async def run_all() -> None:
        await asyncio.gather(
            *(worker.work(wait=False, name=f"w{n}") for n, worker in enumerate(workers))
        )

    asyncio.run(run_all())

    assert sorted(recorder.ran) == sorted(names)
    assert {job.state for job in workers[0].list(limit=100)} == {JobState.DONE}

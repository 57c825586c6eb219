"""Choosing the job queue for a database, and what the hub does with it.

``[jobs] queue = "auto"`` takes procrastinate on PostgreSQL and the embedded outbox on
SQLite. The queue side (:func:`job_queue_factory`) is bound into every unit of work;
the worker side (:func:`job_worker`) runs the jobs: in a thread of ``sagshub serve``,
in ``sagshub worker`` (as many as wanted on PostgreSQL), and looks after them for
``sagshub jobs``.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from typing import Protocol
from uuid import UUID

import procrastinate

from adapters.jobs.outbox import OutboxJobs, OutboxQueue, OutboxWorker
from adapters.jobs.procrastinate_queue import ProcrastinateJobs, ProcrastinateQueue, connector_for
from adapters.jobs.runner import JobRunner, RetryPolicy
from adapters.settings import ConfigError, JobsSettings
from adapters.sql.database import Database
from adapters.sql.uow import JobQueueFactory
from ports.jobs import JobAdmin


class JobWorker(Protocol):
    """Runs a municipality's jobs and looks after them."""

    admin: JobAdmin

    def run_pending(self) -> None:
        """Run what is due now, then return."""
        ...

    def serve(self) -> None:
        """Run jobs in the foreground until interrupted (``sagshub worker``)."""
        ...

    def start(self) -> None:
        """Run jobs in a background thread (``sagshub serve``)."""
        ...

    def stop(self) -> None: ...


def uses_procrastinate(settings: JobsSettings, database: Database) -> bool:
    postgres = database.url.get_backend_name() == "postgresql"
    if settings.queue == "procrastinate" and not postgres:
        raise ConfigError("jobs.queue: procrastinate needs a PostgreSQL database")
    return settings.queue == "procrastinate" or (settings.queue == "auto" and postgres)


def retry_policy(settings: JobsSettings) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.max_attempts,
        base=timedelta(seconds=settings.backoff_base_seconds),
        cap=timedelta(seconds=settings.backoff_cap_seconds),
    )


def job_queue_factory(settings: JobsSettings, database: Database) -> JobQueueFactory:
    """What binds ``uow.jobs`` to a unit of work's session."""
    if not uses_procrastinate(settings, database):
        return OutboxQueue
    app = procrastinate.App(connector=connector_for(database.engine))
    return lambda session, municipality_id: ProcrastinateQueue(app, session, municipality_id)


def job_worker(
    settings: JobsSettings, database: Database, municipality_id: UUID, runner: JobRunner
) -> JobWorker:
    policy = retry_policy(settings)
    if uses_procrastinate(settings, database):
        app = procrastinate.App(connector=connector_for(database.engine))
        return ProcrastinateWorker(
            ProcrastinateJobs(app, database.engine, municipality_id, runner, policy)
        )
    jobs = OutboxJobs(database.engine, municipality_id)
    return OutboxBackend(
        jobs, OutboxWorker(jobs, runner, policy, poll_seconds=settings.poll_seconds)
    )


class OutboxBackend:
    def __init__(self, jobs: OutboxJobs, worker: OutboxWorker) -> None:
        self.admin = jobs
        self._worker = worker

    def run_pending(self) -> None:
        self._worker.run_pending()

    def serve(self) -> None:
        self._worker.serve()

    def start(self) -> None:
        self._worker.start()

    def stop(self) -> None:
        self._worker.stop()


class ProcrastinateWorker:
    """A procrastinate worker, in the foreground or in a thread with its own event loop."""

    def __init__(self, jobs: ProcrastinateJobs) -> None:
        self.admin = jobs
        self._jobs = jobs
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None

    def run_pending(self) -> None:
        asyncio.run(self._jobs.work(wait=False))

    def serve(self) -> None:
        asyncio.run(self._jobs.work(wait=True, signals=True))

    def start(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            self._task = loop.create_task(self._jobs.work(wait=True, signals=False))
            started.set()
            try:
                loop.run_until_complete(self._task)
            except asyncio.CancelledError:
                pass
            finally:
                loop.close()

        self._thread = threading.Thread(target=run, name="procrastinate", daemon=True)
        self._thread.start()
        started.wait()

    def stop(self) -> None:
        if self._thread is None or self._loop is None or self._task is None:
            return
        self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(timeout=30)
        self._thread = None

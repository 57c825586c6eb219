"""The embedded job queue: an outbox table in the hub's own database (for SQLite).

:class:`OutboxQueue` writes a job with the unit of work's session, so the job commits
or rolls back with the change that caused it. :class:`OutboxWorker` drains the table:
it claims one due job at a time with a single ``UPDATE … RETURNING`` (on PostgreSQL
with ``FOR UPDATE SKIP LOCKED``, so it is safe there too), never two jobs of the same
``dedupe_key`` at once, runs it, and marks it ``done``, back to ``todo`` with a later
``run_after``, or ``dead`` with its last error. A job left ``doing`` by a worker that
died is claimed again once ``stale_after`` has passed (the export tasks are idempotent).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Engine, and_, exists, insert, or_, select, update

from adapters.jobs.runner import JobRunner, RetryPolicy, describe, revive
from adapters.sql.conflicts import Session
from adapters.sql.export_tables import OutboxJobRow
from core.models import utcnow
from ports.jobs import JobInfo, JobState

log = logging.getLogger(__name__)

jobs = OutboxJobRow.__table__
Clock = Callable[[], datetime]


class OutboxQueue:
    """:class:`ports.integrations.JobQueue` writing in a unit of work's session."""

    def __init__(self, session: Session, municipality_id: UUID) -> None:
        self._session = session
        self._municipality_id = municipality_id

    def enqueue(
        self,
        task: str,
        payload: dict,
        *,
        dedupe_key: str | None = None,
        run_after: datetime | None = None,
    ) -> None:
        """Add a job; with ``dedupe_key``, none if one with that key is still waiting."""
        if dedupe_key is not None:
            waiting = select(jobs.c.id).where(
                jobs.c.municipality_id == self._municipality_id,
                jobs.c.dedupe_key == dedupe_key,
                jobs.c.state == JobState.TODO,
            )
            if self._session.execute(waiting.limit(1)).first() is not None:
                return
        now = utcnow()
        self._session.execute(
            insert(jobs).values(
                municipality_id=self._municipality_id,
                task=task,
                payload=payload,
                dedupe_key=dedupe_key,
                state=JobState.TODO,
                attempts=0,
                run_after=run_after or now,
                created_at=now,
            )
        )


def _info(row: Any) -> JobInfo:
    return JobInfo(
        id=row.id,
        task=row.task,
        payload=row.payload,
        state=JobState(row.state),
        attempts=row.attempts,
        run_after=row.run_after,
        last_error=row.last_error,
        dedupe_key=row.dedupe_key,
    )


class OutboxJobs:
    """Claiming, finishing and looking after one municipality's outbox jobs."""

    def __init__(
        self,
        engine: Engine,
        municipality_id: UUID,
        *,
        stale_after: timedelta = timedelta(minutes=15),
        clock: Clock = utcnow,
    ) -> None:
        self._engine = engine
        self._municipality_id = municipality_id
        self._stale_after = stale_after
        self._clock = clock

    def claim(self, worker: str) -> JobInfo | None:
        """Take the next due job (oldest first) for ``worker``, or None."""
        now = self._clock()
        stale = now - self._stale_after
        other = jobs.alias("other")
        busy = exists().where(
            other.c.municipality_id == jobs.c.municipality_id,
            other.c.dedupe_key == jobs.c.dedupe_key,
            other.c.id != jobs.c.id,
            other.c.state == JobState.DOING,
            other.c.started_at >= stale,
        )
        due = or_(
            and_(jobs.c.state == JobState.TODO, jobs.c.run_after <= now),
            and_(jobs.c.state == JobState.DOING, jobs.c.started_at < stale),
        )
        candidate = (
            select(jobs.c.id)
            .where(jobs.c.municipality_id == self._municipality_id, due, ~busy)
            .order_by(jobs.c.run_after, jobs.c.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        statement = (
            update(jobs)
            .where(jobs.c.id == candidate)
            .values(
                state=JobState.DOING,
                attempts=jobs.c.attempts + 1,
                started_at=now,
                worker=worker,
            )
            .returning(*jobs.c)
        )
        with self._engine.begin() as connection:
            row = connection.execute(statement).first()
        return _info(row) if row is not None else None

    def succeed(self, job: JobInfo, worker: str) -> None:
        self._finish(job, worker, state=JobState.DONE, finished_at=self._clock(), last_error=None)

    def fail(
        self, job: JobInfo, worker: str, error: BaseException, policy: RetryPolicy
    ) -> JobState:
        """Back to ``todo`` after the policy's delay, or ``dead``; returns which."""
        now = self._clock()
        wait = policy.next_try(error, job.attempts)
        if wait is None:
            self._finish(
                job, worker, state=JobState.DEAD, finished_at=now, last_error=describe(error)
            )
            return JobState.DEAD
        self._finish(
            job, worker, state=JobState.TODO, run_after=now + wait, last_error=describe(error)
        )
        return JobState.TODO

    def _finish(self, job: JobInfo, worker: str, **values: Any) -> None:
        """Update the job unless another worker has since claimed it as stale."""
        with self._engine.begin() as connection:
            connection.execute(
                update(jobs)
                .where(
                    jobs.c.id == job.id,
                    jobs.c.state == JobState.DOING,
                    jobs.c.worker == worker,
                )
                .values(**values)
            )

    def list(self, *, state: JobState | None = None, limit: int = 50) -> list[JobInfo]:
        statement = select(jobs).where(jobs.c.municipality_id == self._municipality_id)
        if state is not None:
            statement = statement.where(jobs.c.state == state)
        with self._engine.connect() as connection:
            rows = connection.execute(statement.order_by(jobs.c.id.desc()).limit(limit)).all()
        return [_info(row) for row in rows]

    def get(self, job_id: int) -> JobInfo | None:
        statement = select(jobs).where(
            jobs.c.id == job_id, jobs.c.municipality_id == self._municipality_id
        )
        with self._engine.connect() as connection:
            row = connection.execute(statement).first()
        return _info(row) if row is not None else None

    def retry(self, job_id: int) -> JobInfo:
        return revive(job_id, self.get, self._reset)

    def _reset(self, job_id: int) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                update(jobs)
                .where(jobs.c.id == job_id, jobs.c.state == JobState.DEAD)
                .values(state=JobState.TODO, attempts=0, run_after=self._clock(), worker=None)
            )


class OutboxWorker:
    """Runs the outbox's due jobs: :meth:`run_pending` once, or in a thread until stopped."""

    def __init__(
        self,
        jobs_: OutboxJobs,
        runner: JobRunner,
        policy: RetryPolicy,
        *,
        name: str | None = None,
        poll_seconds: float = 2.0,
    ) -> None:
        self._jobs = jobs_
        self._runner = runner
        self._policy = policy
        self.name = name or f"outbox@{socket.gethostname()}:{os.getpid()}:{uuid4().hex[:8]}"
        """Unique per worker: a worker finishes only the jobs it claimed."""
        self._poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_pending(self, limit: int | None = None) -> int:
        """Run due jobs until none is left (or ``limit`` ran); returns how many ran."""
        ran = 0
        while limit is None or ran < limit:
            job = self._jobs.claim(self.name)
            if job is None:
                break
            self._run(job)
            ran += 1
        return ran

    def _run(self, job: JobInfo) -> None:
        try:
            self._runner.run(job.task, job.payload)
        except Exception as error:
            state = self._jobs.fail(job, self.name, error, self._policy)
            log.warning(
                "job %s (%s) failed on attempt %s, now %s: %s",
                job.id,
                job.task,
                job.attempts,
                state,
                describe(error),
            )
        else:
            self._jobs.succeed(job, self.name)

    def serve(self) -> None:
        """Poll until :meth:`stop`; a database hiccup is logged and retried."""
        while not self._stop.is_set():
            try:
                self.run_pending()
            except Exception:
                log.exception("the outbox worker could not reach its jobs")
            self._stop.wait(self._poll_seconds)

    def start(self) -> None:
        """Serve in a daemon thread (the worker inside ``sagshub serve``)."""
        self._stop.clear()
        self._thread = threading.Thread(target=self.serve, name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

"""procrastinate as the job queue on PostgreSQL.

:class:`ProcrastinateQueue` defers a job on the unit of work's own psycopg connection,
inside its transaction (procrastinate's ``connection=`` option), so the job commits or
rolls back with the change. A municipality's jobs go to its own procrastinate queue.
The job's ``dedupe_key`` is its procrastinate ``lock``: procrastinate never runs two
jobs of one lock at once, and a job is not deferred while one with its lock still
waits (the waiting job reads the newest copy when it runs).

:class:`ProcrastinateJobs` registers the tasks, runs workers (several may run, in any
number of processes: procrastinate hands each job to one of them) and looks after the
jobs for ``sagshub jobs``. Retries follow :class:`adapters.jobs.runner.RetryPolicy`; a
job given up is procrastinate's ``failed`` (shown as ``dead``), and its last error,
which procrastinate does not keep, is kept in ``job_error``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import procrastinate
from procrastinate.job_context import JobContext
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy, RetryDecision
from sqlalchemy import Engine, text
from sqlalchemy.dialects.postgresql import insert

from adapters.jobs.runner import JobRunner, RetryPolicy, TaskFailed, describe, revive
from adapters.sql.conflicts import Session
from adapters.sql.export_tables import JobErrorRow
from core.models import utcnow
from ports.jobs import JobInfo, JobState

STATES = {
    "todo": JobState.TODO,
    "doing": JobState.DOING,
    "succeeded": JobState.DONE,
    "failed": JobState.DEAD,
    "cancelled": JobState.DEAD,
    "aborting": JobState.DOING,
    "aborted": JobState.DEAD,
}


def queue_name(municipality_id: UUID) -> str:
    """The municipality's procrastinate queue. Short: procrastinate's notification channel
    (``procrastinate_queue_v1#<queue>``) must fit PostgreSQL's 63 characters."""
    return f"hub-{municipality_id.hex}"


def connector_for(engine: Engine) -> procrastinate.PsycopgConnector:
    """A procrastinate connector to the database the engine is for."""
    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    return procrastinate.PsycopgConnector(conninfo=conninfo)


class ProcrastinateQueue:
    """:class:`ports.integrations.JobQueue` deferring in a unit of work's transaction."""

    def __init__(self, app: procrastinate.App, session: Session, municipality_id: UUID) -> None:
        self._app = app
        self._session = session
        self._queue = queue_name(municipality_id)

    def enqueue(
        self,
        task: str,
        payload: dict,
        *,
        dedupe_key: str | None = None,
        run_after: datetime | None = None,
    ) -> None:
        if dedupe_key is not None:
            waiting = self._session.execute(
                text(
                    "SELECT 1 FROM procrastinate_jobs "
                    "WHERE queue_name = :queue AND lock = :lock AND status = 'todo' LIMIT 1"
                ),
                {"queue": self._queue, "lock": dedupe_key},
            ).first()
            if waiting is not None:
                return
        connection = self._session.connection().connection.driver_connection
        self._app.configure_task(
            task,
            queue=self._queue,
            lock=dedupe_key,
            schedule_at=run_after,
            connection=connection,
        ).defer(**payload)


class PolicyRetry(BaseRetryStrategy):
    """procrastinate's retry decision from the hub's :class:`RetryPolicy`."""

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        wait = self._policy.next_try(exception, job.attempts + 1)
        return None if wait is None else RetryDecision(retry_at=utcnow() + wait)


_SELECT = """
SELECT jobs.id, jobs.task_name, jobs.args, jobs.status, jobs.attempts, jobs.scheduled_at,
       jobs.lock, errors.last_error
FROM procrastinate_jobs AS jobs LEFT JOIN job_error AS errors ON errors.job_id = jobs.id
WHERE jobs.queue_name = :queue
"""


def _info(row: Any) -> JobInfo:
    state = STATES[row.status]
    return JobInfo(
        id=row.id,
        task=row.task_name,
        payload=row.args,
        state=state,
        # procrastinate counts a run when it ends (retried or finished): add the running one.
        attempts=row.attempts + (1 if row.status == "doing" else 0),
        run_after=row.scheduled_at,
        last_error=row.last_error,
        dedupe_key=row.lock,
    )


class ProcrastinateJobs:
    """One municipality's procrastinate jobs: the tasks, the workers, ``sagshub jobs``."""

    def __init__(
        self,
        app: procrastinate.App,
        engine: Engine,
        municipality_id: UUID,
        runner: JobRunner,
        policy: RetryPolicy,
    ) -> None:
        self._app = app
        self._engine = engine
        self._queue = queue_name(municipality_id)
        self._runner = runner
        strategy = PolicyRetry(policy)
        for name in runner.tasks:
            app.task(name=name, pass_context=True, retry=strategy, queue=self._queue)(
                self._task(name)
            )

    def _task(self, name: str) -> Any:
        def run(context: JobContext, **payload: Any) -> None:
            try:
                self._runner.run(name, payload)
            except Exception as error:
                job = context.job
                self._record_error(job.id, job.attempts + 1, error)
                # procrastinate logs what a task raises, traceback and all: hand it the
                # masked description only, never the original (it may carry a CPR number).
                raise TaskFailed(error) from None

        run.__name__ = name
        return run

    def _record_error(self, job_id: int | None, attempts: int, error: BaseException) -> None:
        values = {
            "job_id": job_id,
            "attempts": attempts,
            "last_error": describe(error),
            "failed_at": utcnow(),
        }
        statement = insert(JobErrorRow.__table__).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=["job_id"],
            set_={key: statement.excluded[key] for key in ("attempts", "last_error", "failed_at")},
        )
        with self._engine.begin() as connection:
            connection.execute(statement)

    async def work(
        self,
        *,
        wait: bool = True,
        signals: bool = False,
        name: str = "sagshub",
        concurrency: int = 1,
    ) -> None:
        """Run a worker on this municipality's queue (until stopped, or until idle
        when ``wait`` is False). Jobs of workers that died are put back first."""
        async with self._app.open_async():
            stalled = await self._app.job_manager.get_stalled_jobs(queue=self._queue)
            for job in stalled:
                await self._app.job_manager.retry_job(job)
            await self._app.run_worker_async(
                queues=[self._queue],
                wait=wait,
                name=name,
                concurrency=concurrency,
                install_signal_handlers=signals,
                delete_jobs="never",
            )

    def list(self, *, state: JobState | None = None, limit: int = 50) -> list[JobInfo]:
        statuses = [s for s, mapped in STATES.items() if state is None or mapped is state]
        query = text(
            _SELECT + " AND jobs.status::text = ANY(:statuses) ORDER BY jobs.id DESC LIMIT :limit"
        )
        with self._engine.connect() as connection:
            rows = connection.execute(
                query, {"queue": self._queue, "statuses": statuses, "limit": limit}
            ).all()
        return [_info(row) for row in rows]

    def get(self, job_id: int) -> JobInfo | None:
        with self._engine.connect() as connection:
            row = connection.execute(
                text(_SELECT + " AND jobs.id = :id"), {"queue": self._queue, "id": job_id}
            ).first()
        return _info(row) if row is not None else None

    def retry(self, job_id: int) -> JobInfo:
        return revive(job_id, self.get, self._reset)

    def _reset(self, job_id: int) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE procrastinate_jobs SET status = 'todo', attempts = 0, "
                    "scheduled_at = now() WHERE id = :id AND queue_name = :queue "
                    "AND status IN ('failed', 'cancelled', 'aborted')"
                ),
                {"id": job_id, "queue": self._queue},
            )

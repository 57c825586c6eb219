"""Running a job's task, and deciding what a failure means: retry later, or dead."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from adapters.redaction import redact_cpr
from core.errors import Conflict, DomainError, NotFound
from ports.integrations import ExportFailed
from ports.jobs import JobInfo, JobState

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], object]
MAX_ERROR_TEXT = 2000
_jitter = random.SystemRandom()


class UnknownTask(Exception):
    """A job names a task this hub does not run (a permanent failure)."""


class TaskFailed(Exception):
    """A task's failure as a job queue may log it: described (CPR numbers masked), with
    whether a retry may help decided once, from the original error."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(describe(error))
        self.retryable = retryable(error)


def retryable(error: BaseException) -> bool:
    """Whether trying again may help: an exporter says so; a domain error (the case is
    gone, a bad value) or an unknown task never mends; anything else may be passing."""
    if isinstance(error, ExportFailed | TaskFailed):
        return error.retryable
    return not isinstance(error, DomainError | UnknownTask | KeyError | ValueError)


def describe(error: BaseException) -> str:
    """The error as it is stored and shown: its type and message, CPR numbers masked."""
    if isinstance(error, TaskFailed):
        return str(error)
    return redact_cpr(f"{type(error).__name__}: {error}")[:MAX_ERROR_TEXT]


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with jitter.

    The ``n``-th failed attempt waits between half and all of ``min(cap, base * 2**(n-1))``
    (the jitter spreads retries of many jobs that failed together); after
    ``max_attempts`` attempts, or at the first failure a retry cannot mend, the job is dead.
    """

    max_attempts: int = 8
    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=1)
    jitter: Callable[[], float] = _jitter.random

    def delay(self, attempt: int) -> timedelta:
        ceiling = min(self.cap, self.base * 2 ** max(attempt - 1, 0))
        return ceiling / 2 + ceiling / 2 * self.jitter()

    def next_try(self, error: BaseException, attempt: int) -> timedelta | None:
        """How long to wait after failed attempt number ``attempt`` (1-based); None: dead."""
        if attempt >= self.max_attempts or not retryable(error):
            return None
        return self.delay(attempt)


class JobRunner:
    """Calls the handler a job's task names."""

    def __init__(self, handlers: Mapping[str, Handler]) -> None:
        self._handlers = dict(handlers)

    @property
    def tasks(self) -> list[str]:
        return sorted(self._handlers)

    def run(self, task: str, payload: dict[str, Any]) -> None:
        handler = self._handlers.get(task)
        if handler is None:
            raise UnknownTask(f"no task named {task!r} (known: {', '.join(self.tasks)})")
        handler(payload)


def revive(
    job_id: int, get: Callable[[int], JobInfo | None], reset: Callable[[int], None]
) -> JobInfo:
    """``sagshub jobs retry``: a dead job back to ``todo`` (``reset`` does it), else an error."""
    job = get(job_id)
    if job is None:
        raise NotFound(f"no job {job_id}", field="job_id")
    if job.state is not JobState.DEAD:
        raise Conflict(f"job {job_id} is {job.state}, only a dead job is retried", field="job_id")
    reset(job_id)
    revived = get(job_id)
    assert revived is not None
    return revived

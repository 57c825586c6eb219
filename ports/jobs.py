"""Looking after the asynchronous jobs (``sagshub jobs list|show|retry``).

Jobs are written with :class:`ports.integrations.JobQueue` in the transaction of the
change that causes them; a worker runs them, retries failures with capped
exponential backoff and jitter, and gives a job up as ``dead`` with its last error
when it keeps failing or fails in a way a retry cannot mend.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, Field


class JobState(StrEnum):
    TODO = "todo"
    """Waiting to run (again), not before ``run_after``."""
    DOING = "doing"
    DONE = "done"
    DEAD = "dead"
    """Given up; ``last_error`` says why. ``retry`` puts it back to ``todo``."""


class JobInfo(BaseModel):
    id: int
    task: str
    payload: dict[str, Any]
    state: JobState
    attempts: int = Field(ge=0)
    run_after: datetime | None = None
    last_error: str | None = None
    dedupe_key: str | None = None


class JobAdmin(Protocol):
    """Inspect and revive jobs."""

    def list(self, *, state: JobState | None = None, limit: int = 50) -> list[JobInfo]:
        """The most recent jobs first."""
        ...

    def get(self, job_id: int) -> JobInfo | None: ...

    def retry(self, job_id: int) -> JobInfo:
        """Put a dead job back to ``todo``, to run now with a fresh count of attempts.

        Raises :class:`core.errors.NotFound` for an unknown id and
        :class:`core.errors.Conflict` for a job that is not dead.
        """
        ...

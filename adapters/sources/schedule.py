"""The worker's periodic poll: a ``poll_source`` job per bound source, every ``poll_seconds``.

The job goes through the job queue like any other, so a poll that fails is retried by
the queue's policy and two polls of one source never run at once (the job's dedupe key
is per source). A source's turn is claimed in the same transaction as its job is
queued; of several workers ticking at once, one queues it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from uuid import UUID

from adapters.sources.cursors import SourceCursors
from adapters.sources.poller import POLL_SOURCE
from adapters.sql.conflicts import Session
from adapters.sql.uow import JobQueueFactory


class PollSchedule:
    def __init__(
        self,
        names: Sequence[str],
        cursors: SourceCursors,
        sessions: Callable[[], Session],
        job_queue: JobQueueFactory,
        municipality_id: UUID,
        *,
        every: timedelta,
    ) -> None:
        self.names = list(names)
        self._cursors = cursors
        self._sessions = sessions
        self._job_queue = job_queue
        self._municipality_id = municipality_id
        self._every = every

    def enqueue_due(self) -> list[str]:
        """Queue a poll of every source whose turn has come; the names queued."""
        if not self.names:
            return []
        with self._sessions() as session:
            queue = self._job_queue(session, self._municipality_id)
            due = [
                name for name in self.names if self._cursors.claim_due(session, name, self._every)
            ]
            for name in due:
                queue.enqueue(
                    POLL_SOURCE,
                    {"municipality_id": str(self._municipality_id), "source": name},
                    dedupe_key=f"{POLL_SOURCE}:{name}",
                )
            session.commit()
        return due

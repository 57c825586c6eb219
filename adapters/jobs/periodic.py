"""A job worker that also queues the periodic jobs when their turn comes.

``tick`` queues what is due (it decides what "due" means, e.g. a source's poll
interval); this wrapper calls it before :meth:`run_pending` and, while the worker
serves, every ``every_seconds`` in a thread of its own, whichever job queue runs below.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from adapters.jobs.backends import JobWorker
from ports.jobs import JobAdmin

log = logging.getLogger(__name__)


class TickingWorker:
    """:class:`adapters.jobs.backends.JobWorker` around another, with a periodic ``tick``."""

    def __init__(self, inner: JobWorker, tick: Callable[[], object], every_seconds: float) -> None:
        self._inner = inner
        self._tick = tick
        self._every = every_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def admin(self) -> JobAdmin:
        return self._inner.admin

    def run_pending(self) -> None:
        self.tick()
        self._inner.run_pending()

    def serve(self) -> None:
        self._start_ticking()
        try:
            self._inner.serve()
        finally:
            self._stop_ticking()

    def start(self) -> None:
        self._start_ticking()
        self._inner.start()

    def stop(self) -> None:
        self._stop_ticking()
        self._inner.stop()

    def tick(self) -> None:
        """Queue what is due; a failure (the database away) is logged and tried next tick."""
        try:
            self._tick()
        except Exception:
            log.exception("queueing the periodic jobs failed")

    def _start_ticking(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._ticking, name="periodic-jobs", daemon=True)
        self._thread.start()

    def _ticking(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self._every)

    def _stop_ticking(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

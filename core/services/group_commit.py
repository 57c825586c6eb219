"""Group commit: concurrent callers share one transaction.

Each caller of :meth:`GroupCommit.submit` waits for its own result, as if it had run
alone. While one transaction is being written, the items that arrive queue up; the
next transaction takes them all. So the work every transaction pays once — a case's
new version, the feed lock, the sync of the files and of the database to disk — is
shared by the deliveries that arrived together, and a lone caller is never held back
waiting for company.

There is no thread of its own: the caller that finds nobody writing leads, writes
one batch (its own item first), and hands the lead to the first caller still waiting.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from core.errors import DomainError

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")

RunBatch = Callable[[list[ItemT]], Sequence[ResultT | DomainError]]
"""Runs items in one transaction: per item its result, or the DomainError that refused it."""


class _Waiter(Generic[ItemT, ResultT]):
    def __init__(self, item: ItemT) -> None:
        self.item = item
        self.result: ResultT | BaseException | None = None
        self.leads = False
        self.woken = threading.Event()

    def outcome(self) -> ResultT:
        if isinstance(self.result, BaseException):
            raise self.result
        return self.result  # type: ignore[return-value]


class GroupCommit(Generic[ItemT, ResultT]):
    """Runs the items of concurrent :meth:`submit` calls together, at most ``max_batch``
    to a transaction."""

    def __init__(self, run_batch: RunBatch, max_batch: int = 64) -> None:
        if max_batch < 1:
            raise ValueError("max_batch: at least 1")
        self._run_batch = run_batch
        self._max_batch = max_batch
        self._lock = threading.Lock()
        self._waiting: list[_Waiter[ItemT, ResultT]] = []
        self._leading = False

    @property
    def queued(self) -> int:
        """How many calls wait for the next batch."""
        with self._lock:
            return len(self._waiting)

    def submit(self, item: ItemT) -> ResultT:
        """The item's result once its transaction committed; its error if it was refused
        (a :class:`DomainError`) or if the whole transaction failed."""
        waiter: _Waiter[ItemT, ResultT] = _Waiter(item)
        with self._lock:
            self._waiting.append(waiter)
            if not self._leading:
                self._leading = waiter.leads = True
        if not waiter.leads:
            waiter.woken.wait()
        if waiter.leads:
            self._lead()
        return waiter.outcome()

    def _lead(self) -> None:
        """Run the waiting items (ours first), wake their callers, pass the lead on."""
        with self._lock:
            batch = self._waiting[: self._max_batch]
            del self._waiting[: self._max_batch]
        try:
            results: Sequence[object] = self._run_batch([w.item for w in batch])
        except BaseException as error:  # every caller of the failed transaction hears of it
            results = [error] * len(batch)
        for waiter, result in zip(batch, results, strict=True):
            waiter.result = result  # type: ignore[assignment]
        with self._lock:
            successor = self._waiting[0] if self._waiting else None
            if successor is None:
                self._leading = False
            else:
                successor.leads = True
        for waiter in batch:
            waiter.woken.set()
        if successor is not None:
            successor.woken.set()

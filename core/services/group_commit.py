"""Group commit: concurrent callers share one transaction.

Each caller of :meth:`GroupCommit.submit` waits for its own result, as if it had run
alone. While one transaction is being written, the items that arrive queue up; the
next transaction takes them all. So the work every transaction pays once — a case's
new version, the feed lock, the sync of the files and of the database to disk — is
shared by the deliveries that arrived together, and a lone caller is never held back
waiting for company — except that a caller may *announce* an item it is still
reading (:meth:`GroupCommit.announce`): a leader then waits a few milliseconds for the
announced items before it writes, since they will be there in a moment.

There is no thread of its own: the caller that finds nobody writing leads, writes
one batch (its own item first), and hands the lead to the first caller still waiting.
"""

from __future__ import annotations

import threading
import time
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


class Announcement(Generic[ItemT, ResultT]):
    """An item on its way: :meth:`submit` it, or leave the ``with`` block without (the
    caller failed to read it), which withdraws it."""

    def __init__(self, group: GroupCommit[ItemT, ResultT]) -> None:
        self._group = group
        self._pending = True

    def __enter__(self) -> Announcement[ItemT, ResultT]:
        return self

    def __exit__(self, *_: object) -> None:
        self._withdraw()

    def submit(self, item: ItemT) -> ResultT:
        if not self._pending:
            raise ValueError("this announcement was submitted or withdrawn already")
        self._pending = False
        return self._group._submit(item, announced=True)

    def _withdraw(self) -> None:
        if self._pending:
            self._pending = False
            self._group._withdraw()


class GroupCommit(Generic[ItemT, ResultT]):
    """Runs the items of concurrent :meth:`submit` calls together, at most ``max_batch``
    to a transaction; a leader waits up to ``gather_seconds`` for announced items."""

    def __init__(
        self, run_batch: RunBatch, max_batch: int = 64, gather_seconds: float = 0.01
    ) -> None:
        if max_batch < 1:
            raise ValueError("max_batch: at least 1")
        self._run_batch = run_batch
        self._max_batch = max_batch
        self._gather_seconds = gather_seconds
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._waiting: list[_Waiter[ItemT, ResultT]] = []
        self._announced = 0
        self._leading = False

    def announce(self) -> Announcement[ItemT, ResultT]:
        """Announce an item still being read (use it as a context manager)."""
        with self._lock:
            self._announced += 1
        return Announcement(self)

    def _withdraw(self) -> None:
        with self._lock:
            self._announced -= 1
            self._changed.notify_all()

    @property
    def queued(self) -> int:
        """How many calls wait for the next batch."""
        with self._lock:
            return len(self._waiting)

    def submit(self, item: ItemT) -> ResultT:
        """The item's result once its transaction committed; its error if it was refused
        (a :class:`DomainError`) or if the whole transaction failed."""
        return self._submit(item, announced=False)

    def _submit(self, item: ItemT, *, announced: bool) -> ResultT:
        waiter: _Waiter[ItemT, ResultT] = _Waiter(item)
        with self._lock:
            if announced:
                self._announced -= 1
            self._waiting.append(waiter)
            self._changed.notify_all()
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
            deadline = time.monotonic() + self._gather_seconds
            while self._announced and len(self._waiting) < self._max_batch:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
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

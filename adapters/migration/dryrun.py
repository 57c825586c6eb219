"""What a dry run decides with: a unit of work that never commits, a blob store that
only hashes. The core's intake runs unchanged on them, so a dry run places each
document by the very same rules and stores nothing at all."""

from __future__ import annotations

import hashlib
from types import TracebackType
from typing import Any, BinaryIO
from uuid import UUID, uuid4

from core.errors import PayloadRejected
from core.events import DomainEvent
from core.intake import StagedPart
from ports.blobs import BlobStore, StagedBlob
from ports.persistence import UnitOfWork, UnitOfWorkFactory

HEAD_BYTES = 4096


class NeverCommittingUnitOfWork:
    """A unit of work whose ``commit`` commits nothing: the wrapped one, left without
    its commit, rolls back when the block ends. Rules see the batch's own earlier
    writes (a new case made for an earlier document), as in a real run."""

    def __init__(self, inner: UnitOfWork) -> None:
        self._inner = inner

    def __enter__(self) -> NeverCommittingUnitOfWork:
        self._inner.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._inner.__exit__(exc_type, exc, tb)

    def __getattr__(self, name: str) -> Any:
        """The repositories and ``municipality_id`` of the wrapped unit of work."""
        return getattr(self._inner, name)

    def keep_blob(self, part: StagedPart) -> None:
        """Nothing is kept: the dry run's bytes were never written."""

    def record(self, event: DomainEvent) -> None:
        """Events of a dry run are never published."""

    def commit(self) -> None:
        """Commit nothing."""

    def rollback(self) -> None:
        self._inner.rollback()


def never_committing(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    def open_unit_of_work(municipality_id: UUID) -> NeverCommittingUnitOfWork:
        return NeverCommittingUnitOfWork(uow_factory(municipality_id))

    return open_unit_of_work


class _HashingWriter:
    def __init__(self, max_bytes: int | None) -> None:
        self._max_bytes = max_bytes
        self._hash = hashlib.sha256()
        self._size = 0
        self._head = b""

    def write(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._max_bytes is not None and self._size > self._max_bytes:
            raise PayloadRejected(f"the file is larger than {self._max_bytes} bytes", field="file")
        if len(self._head) < HEAD_BYTES:
            self._head += chunk[: HEAD_BYTES - len(self._head)]
        self._hash.update(chunk)

    def finish(self) -> StagedBlob:
        return StagedBlob(
            token=uuid4().hex, sha256=self._hash.hexdigest(), size=self._size, head=self._head
        )

    def abort(self) -> None:
        """Nothing was written."""


class HashingBlobStore:
    """A blob store for dry runs: writers hash and keep the head, nothing is written.

    Reads go to the real store; promoting is refused, since nothing may be stored.
    """

    def __init__(self, real: BlobStore) -> None:
        self._real = real

    def writer(self, *, max_bytes: int | None = None) -> _HashingWriter:
        return _HashingWriter(max_bytes)

    def promote(self, token: str, sha256: str, *, durable: bool = True) -> bool:
        raise RuntimeError("a dry run stores no file")

    def sync(self) -> None:
        """Nothing was written."""

    def discard(self, token: str) -> None:
        """Nothing was staged."""

    def remove(self, sha256: str) -> None:
        raise RuntimeError("a dry run removes no file")

    def exists(self, sha256: str) -> bool:
        return self._real.exists(sha256)

    def open(self, sha256: str) -> BinaryIO:
        return self._real.open(sha256)

    def size(self, sha256: str) -> int:
        return self._real.size(sha256)

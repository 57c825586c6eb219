"""Streaming a delivery's files into the blob store's staging area.

Bytes go chunk by chunk from the request to a :class:`ports.blobs.BlobWriter`,
which hashes as it writes, so memory stays flat whatever the file's size. A
:class:`DeliveryStaging` remembers every file it staged; when the delivery
fails, all of them are discarded, so nothing half-received stays behind.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType

from core.errors import InvalidValue, PayloadRejected
from ports.blobs import BlobStore, BlobWriter, StagedBlob

from .limits import IntakeLimits


def check_sha256(blob: StagedBlob, expected: str | None, *, field: str) -> None:
    """Raise :class:`InvalidValue` naming ``field`` if the sender's sha256 is not the file's."""
    if expected is not None and expected.lower() != blob.sha256:
        raise InvalidValue(
            f"the file's sha256 is {blob.sha256}, not the {expected.lower()} the sender gave",
            field=field,
        )


class PartWriter:
    """One file being staged: enforces the part and delivery size limits, naming the part.

    As a context manager, it aborts the file if the block raises.
    """

    def __init__(self, staging: DeliveryStaging, writer: BlobWriter, *, field: str) -> None:
        self._staging = staging
        self._writer = writer
        self._field = field
        self.size = 0

    def __enter__(self) -> PartWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None:
            self.abort()

    def write(self, chunk: bytes) -> None:
        """Append a chunk; past a size limit, raises :class:`PayloadRejected` naming the part."""
        if not chunk:
            return
        limit = self._staging.limits.max_part_bytes
        if self.size + len(chunk) > limit:
            raise PayloadRejected(f"the file is larger than {limit} bytes", field=self._field)
        self._staging._reserve(len(chunk), field=self._field)
        self.size += len(chunk)
        self._writer.write(chunk)

    def finish(self) -> StagedBlob:
        """Flush the file and hand it to the delivery, which discards it if the delivery fails."""
        blob = self._writer.finish()
        self._staging._finished(self, blob)
        return blob

    def abort(self) -> None:
        """Throw away what was written; safe to call more than once."""
        self._writer.abort()
        self._staging._closed(self)


class DeliveryStaging:
    """The staged files of one delivery, discarded together unless the delivery succeeds.

    Use it as a context manager around everything that handles the delivery, the
    core's intake included::

        with DeliveryStaging(blobs, limits) as staging:
            delivery = parse_envelope(stream, staging)
            receipt = intake.receive(delivery.to_incoming())

    Leaving the block discards whatever is still staged: after an error, every file
    of the delivery; after success, nothing (the unit of work promoted the files) or
    the unused copies of a repeated delivery. Discarding a promoted token is a no-op.
    """

    def __init__(self, blobs: BlobStore, limits: IntakeLimits | None = None) -> None:
        self.blobs = blobs
        self.limits = limits or IntakeLimits()
        self.total_bytes = 0
        """Bytes of all files of this delivery so far."""
        self._tokens: list[str] = []
        self._open: list[PartWriter] = []

    def __enter__(self) -> DeliveryStaging:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard_all()

    def open_part(self, *, field: str) -> PartWriter:
        """A writer for one file; ``field`` names the part in error messages."""
        budget = min(self.limits.max_part_bytes, self.limits.max_document_bytes)
        writer = PartWriter(self, self.blobs.writer(max_bytes=budget), field=field)
        self._open.append(writer)
        return writer

    def stage(
        self, chunks: Iterable[bytes], *, field: str, expected_sha256: str | None = None
    ) -> StagedBlob:
        """Stage a file from an iterable of chunks; the sender's sha256 is checked if given."""
        with self.open_part(field=field) as writer:
            for chunk in chunks:
                writer.write(chunk)
            blob = writer.finish()
        return self._checked(blob, expected_sha256, field)

    async def astage(
        self, chunks: AsyncIterable[bytes], *, field: str, expected_sha256: str | None = None
    ) -> StagedBlob:
        """Stage a file from an async iterable of chunks (a request body being received)."""
        with self.open_part(field=field) as writer:
            async for chunk in chunks:
                writer.write(chunk)
            blob = writer.finish()
        return self._checked(blob, expected_sha256, field)

    def discard(self, blob: StagedBlob) -> None:
        """Throw one staged file away."""
        self.blobs.discard(blob.token)
        if blob.token in self._tokens:
            self._tokens.remove(blob.token)

    def discard_all(self) -> None:
        """Abort the files being written and throw away every file this delivery staged.

        Safe to call more than once.
        """
        while self._open:
            self._open.pop().abort()
        while self._tokens:
            self.blobs.discard(self._tokens.pop())

    @contextmanager
    def all_or_nothing(self) -> Iterator[None]:
        """Discard everything this delivery staged if the block raises."""
        try:
            yield
        except BaseException:
            self.discard_all()
            raise

    @property
    def tokens(self) -> tuple[str, ...]:
        """The staging tokens of the files staged and not discarded so far."""
        return tuple(self._tokens)

    def _reserve(self, size: int, *, field: str) -> None:
        limit = self.limits.max_document_bytes
        if self.total_bytes + size > limit:
            raise PayloadRejected(
                f"the document's files are larger than {limit} bytes together", field=field
            )
        self.total_bytes += size

    def _finished(self, writer: PartWriter, blob: StagedBlob) -> None:
        self._closed(writer)
        self._tokens.append(blob.token)

    def _closed(self, writer: PartWriter) -> None:
        if writer in self._open:
            self._open.remove(writer)

    def _checked(self, blob: StagedBlob, expected_sha256: str | None, field: str) -> StagedBlob:
        try:
            check_sha256(blob, expected_sha256, field=field)
        except InvalidValue:
            self.discard(blob)
            raise
        return blob

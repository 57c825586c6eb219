"""The blob store port: file bytes, content addressed by sha256."""

from __future__ import annotations

from typing import BinaryIO, Protocol

from pydantic import BaseModel

from core.intake import StagedPart


class StagedBlob(BaseModel):
    """Bytes written to the staging area and hashed, not yet part of the store."""

    token: str
    sha256: str
    size: int
    head: bytes
    """The first bytes of the file (up to 4 KiB), for checking its declared type."""

    def as_part(self, name: str, mime_type: str) -> StagedPart:
        """These bytes as a document part named ``name``, for the intake to keep."""
        return StagedPart(
            name=name,
            mime_type=mime_type,
            size=self.size,
            sha256=self.sha256,
            staging_token=self.token,
        )


class BlobWriter(Protocol):
    """Receives a file's bytes chunk by chunk, hashing as it writes; memory stays flat."""

    def write(self, chunk: bytes) -> None:
        """Append a chunk; raises :class:`core.errors.PayloadRejected` past the size limit."""
        ...

    def finish(self) -> StagedBlob:
        """Flush the staged file and return its hash and size.

        The bytes are made durable by their promotion (or by :meth:`BlobStore.sync`),
        not here: a staged file matters only once it is promoted.
        """
        ...

    def abort(self) -> None:
        """Throw away what was written; safe to call more than once."""
        ...


class BlobStore(Protocol):
    """Stores file bytes once per sha256.

    Writing is two-phase so that files and rows commit together: bytes are first
    *staged* (a temporary file), then *promoted* when the transaction that references
    them commits, or *discarded* when it does not.
    """

    def writer(self, *, max_bytes: int | None = None) -> BlobWriter: ...

    def promote(self, token: str, sha256: str, *, durable: bool = True) -> bool:
        """Move a staged file to its content address; returns False if it was already stored.

        ``durable=False`` skips making the file and its move durable, so that a batch of
        promotions shares two syncs instead of two each: call :meth:`sync` before such
        promotions (the staged bytes must be on disk before their new name is) and again
        after them, before anything relies on the files (the commit of their rows).

        .. versionchanged:: 0.1 ``durable``
        """
        ...

    def sync(self) -> None:
        """Make every staged file and every promotion so far durable.

        .. versionadded:: 0.1
        """
        ...

    def discard(self, token: str) -> None:
        """Remove a staged file; unknown tokens are ignored."""
        ...

    def remove(self, sha256: str) -> None:
        """Delete stored bytes (used only to undo a promotion whose transaction failed)."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def open(self, sha256: str) -> BinaryIO:
        """Open stored bytes for reading; raises :class:`core.errors.NotFound` if absent."""
        ...

    def size(self, sha256: str) -> int: ...

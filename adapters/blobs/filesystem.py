"""A content-addressed blob store on the local filesystem.

Layout: ``root/ab/cd/<sha256>`` for stored bytes, ``root/tmp/<token>`` for staged
ones. Staging and storage share one filesystem, so promotion is an atomic rename.

Durability: a staged file is fsynced just before it is moved, and the directory
after; or, for a batch (``promote(..., durable=False)`` between two :meth:`sync`
calls), the whole filesystem is synced once before the moves and once after, which
turns two fsyncs per file into two per batch.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import re
from pathlib import Path
from typing import BinaryIO
from uuid import uuid4

from core.errors import InvalidValue, NotFound, PayloadRejected
from ports.blobs import StagedBlob

HEAD_BYTES = 4096
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class FilesystemBlobStore:
    """:class:`ports.blobs.BlobStore` on a directory."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.staging = self.root / "tmp"
        self.staging.mkdir(parents=True, exist_ok=True)

    def writer(self, *, max_bytes: int | None = None) -> FilesystemBlobWriter:
        return FilesystemBlobWriter(self.staging, uuid4().hex, max_bytes)

    def promote(self, token: str, sha256: str, *, durable: bool = True) -> bool:
        staged = self._staged(token)
        if not staged.exists():
            raise NotFound(f"no staged file {token}", field="staging_token")
        target = self._path(sha256)
        if target.exists():
            staged.unlink()
            return False
        if durable:
            _fsync(staged)
        created = _make_dirs(target.parent)
        os.replace(staged, target)
        if durable:
            for directory in (target.parent, *created):
                _fsync(directory)
        return True

    def sync(self) -> None:
        _sync_filesystem(self.root)

    def discard(self, token: str) -> None:
        self._staged(token).unlink(missing_ok=True)

    def remove(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self._path(sha256).open("rb")
        except FileNotFoundError:
            raise NotFound(f"no stored file with sha256 {sha256}", field="sha256") from None

    def size(self, sha256: str) -> int:
        try:
            return self._path(sha256).stat().st_size
        except FileNotFoundError:
            raise NotFound(f"no stored file with sha256 {sha256}", field="sha256") from None

    def _path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise InvalidValue("a sha256 is 64 lower-case hex digits", field="sha256")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def _staged(self, token: str) -> Path:
        if not _TOKEN.match(token):
            raise InvalidValue("not a staging token of this store", field="staging_token")
        return self.staging / token


class FilesystemBlobWriter:
    """Streams chunks into ``tmp/<token>`` while hashing; holds one chunk at a time."""

    def __init__(self, staging: Path, token: str, max_bytes: int | None) -> None:
        self._path = staging / token
        self._token = token
        self._max_bytes = max_bytes
        self._file: BinaryIO | None = self._path.open("xb")
        self._hash = hashlib.sha256()
        self._size = 0
        self._head = b""

    def write(self, chunk: bytes) -> None:
        file = self._open_file()
        self._size += len(chunk)
        if self._max_bytes is not None and self._size > self._max_bytes:
            self.abort()
            raise PayloadRejected(f"the file is larger than {self._max_bytes} bytes", field="file")
        if len(self._head) < HEAD_BYTES:
            self._head += chunk[: HEAD_BYTES - len(self._head)]
        self._hash.update(chunk)
        file.write(chunk)

    def finish(self) -> StagedBlob:
        file = self._open_file()
        file.close()
        self._file = None
        return StagedBlob(
            token=self._token, sha256=self._hash.hexdigest(), size=self._size, head=self._head
        )

    def abort(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._path.unlink(missing_ok=True)

    def _open_file(self) -> BinaryIO:
        if self._file is None:
            raise ValueError("this blob writer is finished or aborted")
        return self._file


def _make_dirs(directory: Path) -> list[Path]:
    """Create ``directory`` and missing parents; return the parents of the new ones,
    whose entries must be fsynced for the new directories to survive a crash."""
    missing: list[Path] = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    for path in reversed(missing):
        path.mkdir(exist_ok=True)
    return [path.parent for path in missing]


def _load_syncfs():
    """Linux's ``syncfs(2)``, which Python's ``os`` lacks; None elsewhere."""
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError):
        return None
    syncfs.argtypes = [ctypes.c_int]
    return syncfs


_SYNCFS = _load_syncfs()


def _sync_filesystem(path: Path) -> None:
    """Write every dirty buffer of the filesystem holding ``path`` to disk: ``syncfs``
    where there is one, else ``sync`` (every filesystem)."""
    if _SYNCFS is None:
        os.sync()
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        if _SYNCFS(descriptor) != 0:
            error = ctypes.get_errno()
            raise OSError(error, os.strerror(error))
    finally:
        os.close(descriptor)


def _fsync(path: Path) -> None:
    """fsync a file or a directory (its entries)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)

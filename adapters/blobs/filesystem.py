"""A content-addressed blob store on the local filesystem.

Layout: ``root/ab/cd/<sha256>`` for stored bytes, ``root/tmp/<token>`` for staged
ones. Staging and storage share one filesystem, so promotion is an atomic rename.

Durability: a staged file is fsynced just before it is moved, and the directory
after; or, for a batch (``promote(..., durable=False)`` between two :meth:`sync`
calls), the whole filesystem is synced once before the moves and once after, which
turns two fsyncs per file into two per batch.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import re
from pathlib import Path
from typing import BinaryIO

from core.errors import InvalidValue, NotFound, PayloadRejected
from ports.blobs import StagedBlob

HEAD_BYTES = 4096
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class FilesystemBlobStore:
    """:class:`ports.blobs.BlobStore` on a directory.

    Paths are handled as plain strings and files through ``os`` calls: a bulk
    migration stages and promotes thousands of files a second, and ``pathlib``
    objects and buffered file objects cost more than the system calls they wrap.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.staging = self.root / "tmp"
        self.staging.mkdir(parents=True, exist_ok=True)
        self._root = str(self.root)
        self._staging = str(self.staging)

    def writer(self, *, max_bytes: int | None = None) -> FilesystemBlobWriter:
        return FilesystemBlobWriter(self._staging, os.urandom(16).hex(), max_bytes)

    def promote(self, token: str, sha256: str, *, durable: bool = True) -> bool:
        """Rename the staged file to its address: a stat and a rename, plus the
        directories' creation the first time an address's directory is used."""
        staged = self._staged(token)
        target = self._path(sha256)
        if os.path.exists(target):
            try:
                os.unlink(staged)
            except FileNotFoundError:
                raise _no_staged_file(token) from None
            return False
        if durable:
            try:
                _fsync(staged)
            except FileNotFoundError:
                raise _no_staged_file(token) from None
        created: list[str] = []
        try:
            os.replace(staged, target)
        except FileNotFoundError:
            if not os.path.exists(staged):
                raise _no_staged_file(token) from None
            created = _make_dirs(os.path.dirname(target))
            os.replace(staged, target)
        if durable:
            for directory in (os.path.dirname(target), *created):
                _fsync(directory)
        return True

    def sync(self) -> None:
        _sync_filesystem(self._root)

    def discard(self, token: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._staged(token))

    def remove(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._path(sha256))

    def exists(self, sha256: str) -> bool:
        return os.path.isfile(self._path(sha256))

    def open(self, sha256: str) -> BinaryIO:
        try:
            return open(self._path(sha256), "rb")
        except FileNotFoundError:
            raise NotFound(f"no stored file with sha256 {sha256}", field="sha256") from None

    def size(self, sha256: str) -> int:
        try:
            return os.stat(self._path(sha256)).st_size
        except FileNotFoundError:
            raise NotFound(f"no stored file with sha256 {sha256}", field="sha256") from None

    def _path(self, sha256: str) -> str:
        if not _SHA256.fullmatch(sha256):
            raise InvalidValue("a sha256 is 64 lower-case hex digits", field="sha256")
        return f"{self._root}/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def _staged(self, token: str) -> str:
        if not _TOKEN.fullmatch(token):
            raise InvalidValue("not a staging token of this store", field="staging_token")
        return f"{self._staging}/{token}"


def _no_staged_file(token: str) -> NotFound:
    return NotFound(f"no staged file {token}", field="staging_token")


class FilesystemBlobWriter:
    """Streams chunks into ``tmp/<token>`` while hashing; holds one chunk at a time."""

    def __init__(self, staging: str, token: str, max_bytes: int | None) -> None:
        self._path = f"{staging}/{token}"
        self._token = token
        self._max_bytes = max_bytes
        self._fd: int | None = os.open(self._path, _CREATE_NEW, 0o666)
        self._hash = hashlib.sha256()
        self._size = 0
        self._head = b""

    def write(self, chunk: bytes) -> None:
        fd = self._open_fd()
        self._size += len(chunk)
        if self._max_bytes is not None and self._size > self._max_bytes:
            self.abort()
            raise PayloadRejected(f"the file is larger than {self._max_bytes} bytes", field="file")
        if len(self._head) < HEAD_BYTES:
            self._head += chunk[: HEAD_BYTES - len(self._head)]
        self._hash.update(chunk)
        _write_all(fd, chunk)

    def finish(self) -> StagedBlob:
        os.close(self._open_fd())
        self._fd = None
        return StagedBlob(
            token=self._token, sha256=self._hash.hexdigest(), size=self._size, head=self._head
        )

    def abort(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._path)

    def _open_fd(self) -> int:
        if self._fd is None:
            raise ValueError("this blob writer is finished or aborted")
        return self._fd


_CREATE_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _write_all(fd: int, chunk: bytes) -> None:
    """``os.write`` may write less than asked (a full disk, a signal): write the rest."""
    view = memoryview(chunk)
    while view:
        view = view[os.write(fd, view) :]


def _make_dirs(directory: str) -> list[str]:
    """Create ``directory`` and missing parents; return the parents of the new ones,
    whose entries must be fsynced for the new directories to survive a crash."""
    missing: list[str] = []
    while not os.path.isdir(directory):
        missing.append(directory)
        directory = os.path.dirname(directory)
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            os.mkdir(path)
    return [os.path.dirname(path) for path in missing]


def _load_syncfs():
    """Linux's ``syncfs(2)``, which Python's ``os`` lacks; None elsewhere."""
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError):
        return None
    syncfs.argtypes = [ctypes.c_int]
    return syncfs


_SYNCFS = _load_syncfs()


def _sync_filesystem(path: str) -> None:
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


def _fsync(path: str) -> None:
    """fsync a file or a directory (its entries)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)

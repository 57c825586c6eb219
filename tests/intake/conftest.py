"""Fixtures of the intake tests: a throw-away two-phase blob store on tmp_path.

It stands in for the real filesystem blob store until that one is merged; it
keeps the port's promises that the intake code relies on: bytes are hashed as
they are written (memory stays flat), staged files live under ``staging/`` until
promoted or discarded, and ``head`` is the first 4 KiB.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import BinaryIO

import pytest

from adapters.intake.limits import IntakeLimits
from adapters.intake.staging import DeliveryStaging
from core.errors import NotFound, PayloadRejected
from ports.blobs import StagedBlob

HEAD_BYTES = 4096


class TmpBlobWriter:
    def __init__(self, path: Path, max_bytes: int | None) -> None:
        self._path = path
        self._file = path.open("xb")
        self._hash = hashlib.sha256()
        self._head = b""
        self._size = 0
        self._max = max_bytes

    def write(self, chunk: bytes) -> None:
        if self._max is not None and self._size + len(chunk) > self._max:
            raise PayloadRejected(f"more than {self._max} bytes")
        self._file.write(chunk)
        self._hash.update(chunk)
        if len(self._head) < HEAD_BYTES:
            self._head += chunk[: HEAD_BYTES - len(self._head)]
        self._size += len(chunk)

    def finish(self) -> StagedBlob:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return StagedBlob(
            token=self._path.name, sha256=self._hash.hexdigest(), size=self._size, head=self._head
        )

    def abort(self) -> None:
        self._file.close()
        self._path.unlink(missing_ok=True)


class TmpBlobStore:
    """BlobStore on a directory: ``staging/<token>`` until promoted to ``objects/<sha256>``."""

    def __init__(self, root: Path) -> None:
        self.staging = root / "staging"
        self.objects = root / "objects"
        self.staging.mkdir(parents=True)
        self.objects.mkdir(parents=True)

    def writer(self, *, max_bytes: int | None = None) -> TmpBlobWriter:
        return TmpBlobWriter(self.staging / uuid.uuid4().hex, max_bytes)

    def promote(self, token: str, sha256: str) -> bool:
        target = self.objects / sha256
        if target.exists():
            self.discard(token)
            return False
        os.replace(self.staging / token, target)
        return True

    def discard(self, token: str) -> None:
        (self.staging / token).unlink(missing_ok=True)

    def remove(self, sha256: str) -> None:
        (self.objects / sha256).unlink(missing_ok=True)

    def exists(self, sha256: str) -> bool:
        return (self.objects / sha256).exists()

    def open(self, sha256: str) -> BinaryIO:
        if not self.exists(sha256):
            raise NotFound("no such blob", field="sha256")
        return (self.objects / sha256).open("rb")

    def size(self, sha256: str) -> int:
        return (self.objects / sha256).stat().st_size

    def staged_files(self) -> list[str]:
        """Names of the files now in the staging area (the test's view of leftovers)."""
        return sorted(p.name for p in self.staging.iterdir())


@pytest.fixture
def blobs(tmp_path: Path) -> TmpBlobStore:
    return TmpBlobStore(tmp_path / "blobs")


@pytest.fixture
def limits() -> IntakeLimits:
    return IntakeLimits()


@pytest.fixture
def staging(blobs: TmpBlobStore, limits: IntakeLimits) -> DeliveryStaging:
    return DeliveryStaging(blobs, limits)

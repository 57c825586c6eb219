"""Fixtures of the intake tests: the real filesystem blob store on tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.blobs.filesystem import FilesystemBlobStore
from adapters.intake.limits import IntakeLimits
from adapters.intake.staging import DeliveryStaging


class InspectableBlobStore(FilesystemBlobStore):
    """The filesystem blob store, plus a look at what its staging area holds."""

    def staged_files(self) -> list[str]:
        """Tokens of the files now staged: what a failed delivery must not leave behind."""
        return sorted(path.name for path in self.staging.iterdir())


@pytest.fixture
def blobs(tmp_path: Path) -> InspectableBlobStore:
    return InspectableBlobStore(tmp_path / "blobs")


@pytest.fixture
def limits() -> IntakeLimits:
    return IntakeLimits()


@pytest.fixture
def staging(blobs: InspectableBlobStore, limits: IntakeLimits) -> DeliveryStaging:
    return DeliveryStaging(blobs, limits)

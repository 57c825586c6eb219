from __future__ import annotations

import pytest

from tests.fakes import (
    InMemoryBlobStore,
    InMemoryStore,
    RecordingPublisher,
    memory_uow_factory,
)
from tests.unit.builders import World


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def blobs() -> InMemoryBlobStore:
    return InMemoryBlobStore()


@pytest.fixture
def publisher() -> RecordingPublisher:
    return RecordingPublisher()


@pytest.fixture
def uow_factory(store, blobs, publisher):
    return memory_uow_factory(store, blobs, publisher)


@pytest.fixture
def world(uow_factory) -> World:
    return World(uow_factory)

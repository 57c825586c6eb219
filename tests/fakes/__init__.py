"""Fakes at the ports, for unit tests and for the contract suite's reference run."""

from tests.fakes.memory import (
    InMemoryBlobStore,
    InMemoryStore,
    InMemoryUnitOfWork,
    memory_uow_factory,
)
from tests.fakes.recording import RecordingNotifier, RecordingPublisher

__all__ = [
    "InMemoryBlobStore",
    "InMemoryStore",
    "InMemoryUnitOfWork",
    "RecordingNotifier",
    "RecordingPublisher",
    "memory_uow_factory",
]

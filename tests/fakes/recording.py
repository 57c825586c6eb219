"""Fakes that remember what they were given: an event publisher and a notifier."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from core.events import DomainEvent
from core.models import Caseworker, Notice


class RecordingPublisher:
    """An :class:`ports.persistence.EventPublisher` that keeps the published events.

    ``on_publish`` (optional) runs at each publication, e.g. to look at the store then.
    """

    def __init__(self, on_publish: Callable[[Sequence[DomainEvent]], None] | None = None) -> None:
        self.events: list[DomainEvent] = []
        self._on_publish = on_publish

    def publish(self, events: Sequence[DomainEvent]) -> None:
        if self._on_publish is not None:
            self._on_publish(events)
        self.events.extend(events)


class RecordingNotifier:
    """A :class:`ports.integrations.Notifier` that keeps each (caseworker, notice)."""

    def __init__(self) -> None:
        self.sent: list[tuple[Caseworker, Notice]] = []

    def notify(self, caseworker: Caseworker, notice: Notice) -> None:
        self.sent.append((caseworker, notice))

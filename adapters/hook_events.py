"""Publishes committed domain events to the plugins' event hooks.

The unit of work hands events over only after its commit succeeded, so a hook
never sees a change that was rolled back. A failing plugin must not undo or
block what was already stored, nor keep the other plugins from hearing about
it: each implementation is called on its own and its exception is logged (with
the plugin's name, the event type and the ids, never a CPR number).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pluggy

from adapters.plugins import call_implementation, implementations
from core.events import CaseChanged, DocumentPlaced, DocumentReceived, DomainEvent

log = logging.getLogger(__name__)

HOOKS: dict[type[DomainEvent], str] = {
    DocumentReceived: "sagshub_document_received",
    DocumentPlaced: "sagshub_document_placed",
    CaseChanged: "sagshub_case_changed",
}


class HookEventPublisher:
    """An :class:`ports.persistence.EventPublisher` that calls the ``sagshub_*`` event hooks."""

    def __init__(self, manager: pluggy.PluginManager) -> None:
        self._manager = manager

    def publish(self, events: Sequence[DomainEvent]) -> None:
        for event in events:
            hook = HOOKS.get(type(event))
            if hook is None:
                continue
            for impl in implementations(self._manager, hook):
                try:
                    call_implementation(impl, event=event)
                except Exception:
                    log.exception(
                        "plugin %s failed in %s for %s (ids %s)",
                        impl.plugin_name,
                        hook,
                        type(event).__name__,
                        _ids(event),
                    )


def _ids(event: DomainEvent) -> str:
    """The event's uuids, for the log line: enough to find the object, nothing personal."""
    fields = event.model_dump(include={"document_id", "case_id", "placement_id"})
    return ", ".join(f"{key}={value}" for key, value in sorted(fields.items()))

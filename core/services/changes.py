"""What every committed change to a case leaves behind: a version and export jobs.

:class:`ChangeRecorder` is the units of work's before-commit callback (see
:class:`ports.persistence.UnitOfWork`). It runs inside the transaction that changed
the case, so the version, the feed entry and the export jobs exist exactly when the
change does: a rollback leaves none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from core.events import CaseChanged, DocumentPlaced, DomainEvent
from core.services.loading import require_case
from core.services.snapshots import case_snapshot
from ports.persistence import UnitOfWork

EXPORT_CASE = "export_case"
EXPORT_DOCUMENT = "export_document"


def export_key(task: str, adapter: str, object_id: UUID) -> str:
    """One waiting export per adapter and object: a later change joins the waiting job,
    which reads the then newest copy when it runs."""
    return f"{task}:{adapter}:{object_id}"


class ChangeRecorder:
    """Records a version of each changed case and schedules its exports.

    :param case_exporters: the adapter names bound to the ``case_export`` port.
    :param document_exporters: the adapter names bound to ``document_export``; a
        document placed on a case is exported to each.
    """

    def __init__(
        self, case_exporters: Sequence[str] = (), document_exporters: Sequence[str] = ()
    ) -> None:
        self._case_exporters = tuple(case_exporters)
        self._document_exporters = tuple(document_exporters)

    def __call__(self, uow: UnitOfWork, events: Sequence[DomainEvent]) -> None:
        changed: dict[UUID, str] = {}
        for event in events:
            if isinstance(event, CaseChanged):
                changed.setdefault(event.case_id, event.change)
        placed = dict.fromkeys(
            event.document_id
            for event in events
            if isinstance(event, DocumentPlaced) and event.case_id is not None
        )
        if changed:
            # Feed order is commit order, and the copies below see every change
            # committed before this one.
            uow.history.lock()
        for case_id, change in changed.items():
            uow.history.record(case_snapshot(uow, require_case(uow, case_id)), change)
            for adapter in self._case_exporters:
                self._schedule(uow, EXPORT_CASE, adapter, "case_id", case_id)
        for document_id in placed:
            for adapter in self._document_exporters:
                self._schedule(uow, EXPORT_DOCUMENT, adapter, "document_id", document_id)

    @staticmethod
    def _schedule(uow: UnitOfWork, task: str, adapter: str, field: str, object_id: UUID) -> None:
        uow.jobs.enqueue(
            task,
            {
                "municipality_id": str(uow.municipality_id),
                "adapter": adapter,
                field: str(object_id),
            },
            dedupe_key=export_key(task, adapter, object_id),
        )

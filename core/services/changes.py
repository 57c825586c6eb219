"""What every committed change to a case leaves behind: a version and export jobs.

:class:`ChangeRecorder` is the units of work's before-commit callback (see
:class:`ports.persistence.UnitOfWork`). It runs inside the transaction that changed
the case, so the version, the feed entry and the export jobs exist exactly when the
change does: a rollback leaves none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from core.errors import NotFound
from core.events import CaseChanged, DocumentPlaced, DomainEvent
from core.services.snapshots import case_heads
from ports.history import CaseDelta
from ports.persistence import UnitOfWork

EXPORT_CASE = "export_case"
EXPORT_DOCUMENT = "export_document"


def export_key(task: str, adapter: str, object_id: UUID) -> str:
    """One waiting export per adapter and object: a later change joins the waiting job,
    which reads the then newest copy when it runs."""
    return f"{task}:{adapter}:{object_id}"


_CHILD_FIELD = {"activity": "activities", "journal_note": "journal_notes"}
"""The :class:`CaseDelta` field of the child a :class:`CaseChanged` of this kind added."""


def children_added(events: Sequence[DomainEvent]) -> dict[UUID, CaseDelta]:
    """Per case, the ids of the children the events say were added to it: a placed
    document's link and placement, an added activity or journal note."""
    added: dict[UUID, list[CaseDelta]] = {}

    def add(case_id: UUID, **ids: list) -> None:
        added.setdefault(case_id, []).append(CaseDelta(**ids))

    for event in events:
        if isinstance(event, DocumentPlaced) and event.case_id is not None:
            add(
                event.case_id,
                links=[(event.document_id, event.activity_id)],
                placements=[event.placement_id],
            )
        elif isinstance(event, CaseChanged) and event.change in _CHILD_FIELD:
            if event.object_id is None:
                # The version would silently lack the child: a bug of the service.
                raise ValueError(f"a CaseChanged {event.change!r} must name its object_id")
            add(event.case_id, **{_CHILD_FIELD[event.change]: [event.object_id]})
    return {case_id: CaseDelta.union(deltas) for case_id, deltas in added.items()}


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
            self._record(uow, changed, events)
        for case_id in changed:
            for adapter in self._case_exporters:
                self._schedule(uow, EXPORT_CASE, adapter, "case_id", case_id)
        for document_id in placed:
            for adapter in self._document_exporters:
                self._schedule(uow, EXPORT_DOCUMENT, adapter, "document_id", document_id)

    @staticmethod
    def _record(uow: UnitOfWork, changed: dict[UUID, str], events: Sequence[DomainEvent]) -> None:
        """Register the next version of each changed case."""
        # Feed order is commit order, and the heads below see every change committed
        # before this one.
        uow.history.lock()
        added = children_added(events)
        cases = uow.cases.get_many(list(changed))
        if len(cases) != len(changed):
            missing = set(changed) - {case.id for case in cases}
            raise NotFound(f"no case with id {next(iter(missing))}", field="case_id")
        heads = case_heads(uow, cases)
        uow.history.record_many(
            [(head, added.get(head.case.id, CaseDelta()), changed[head.case.id]) for head in heads]
        )

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

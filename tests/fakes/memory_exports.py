"""In-memory case history, export ledger and job queue (see :mod:`tests.fakes.memory`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from core.services.snapshots import registered_snapshot
from ports.history import CaseChange, CaseDelta, CaseHead, ChangePage
from ports.persistence import UnitOfWork
from ports.snapshots import CaseSnapshot
from tests.fakes.memory_store import Workspace


class VersionRow(BaseModel):
    municipality_id: UUID
    change: CaseChange
    head: CaseHead
    delta: CaseDelta


class ExportRow(BaseModel):
    municipality_id: UUID
    external_id: str


class JobRow(BaseModel):
    municipality_id: UUID
    id: int
    task: str
    payload: dict[str, Any]
    dedupe_key: str | None = None
    run_after: datetime | None = None


class HistoryTable:
    """A :class:`ports.history.CaseHistory`; two units of work taking the same cursor
    make the later commit conflict, as the real feed lock would make it wait."""

    table = "versions"

    def __init__(self, ws: Workspace, children: UnitOfWork) -> None:
        self._ws = ws
        self._children = children

    def _changes(self) -> list[CaseChange]:
        return sorted((row.change for row in self._ws.rows(self.table)), key=lambda c: c.cursor)

    def lock(self) -> None:
        return None

    def record(self, head: CaseHead, delta: CaseDelta, change: str) -> CaseChange:
        changes = self._changes()
        last = changes[-1] if changes else None
        registered = max(head.taken_at, last.registered_at) if last else head.taken_at
        entry = CaseChange(
            cursor=last.cursor + 1 if last else 1,
            case_id=head.case.id,
            version=1 + sum(1 for c in changes if c.case_id == head.case.id),
            change=change,
            registered_at=registered,
        )
        row = VersionRow(
            municipality_id=self._ws.municipality_id,
            change=entry,
            head=head.model_copy(update={"taken_at": registered}, deep=True),
            delta=delta,
        )
        self._ws.insert(self.table, entry.cursor, row)
        return entry

    def record_many(self, changes: Sequence[tuple[CaseHead, CaseDelta, str]]) -> list[CaseChange]:
        return [self.record(head, delta, change) for head, delta, change in changes]

    def as_of(self, case_id: UUID, moment: datetime) -> CaseSnapshot | None:
        rows = [
            row
            for row in self._ws.rows(self.table)
            if row.change.case_id == case_id and row.change.registered_at <= moment
        ]
        if not rows:
            return None
        rows.sort(key=lambda row: row.change.cursor)
        children = CaseDelta.union(row.delta for row in rows)
        head = rows[-1].head.model_copy(deep=True)
        return registered_snapshot(self._children, head, children)

    def changes_after(self, cursor: int, limit: int) -> ChangePage:
        after = [c for c in self._changes() if c.cursor > cursor]
        page = after[:limit]
        return ChangePage(
            changes=page,
            next_cursor=page[-1].cursor if page else cursor,
            more=len(after) > limit,
        )


class ExportTable:
    """A :class:`ports.history.ExportLedger`."""

    table = "exports"

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def external_id(self, adapter: str, object_type: str, object_id: UUID) -> str | None:
        row = self._ws.get(self.table, (adapter, object_type, object_id))
        return row.external_id if row else None

    def remember(self, adapter: str, object_type: str, object_id: UUID, external_id: str) -> None:
        key = (adapter, object_type, object_id)
        row = ExportRow(municipality_id=self._ws.municipality_id, external_id=external_id)
        if self._ws.get(self.table, key) is None:
            self._ws.insert(self.table, key, row)
        else:
            self._ws.replace(self.table, key, row, field="object_id")


class JobTable:
    """A :class:`ports.integrations.JobQueue` that only collects what was enqueued."""

    table = "jobs"

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def enqueue(
        self,
        task: str,
        payload: dict,
        *,
        dedupe_key: str | None = None,
        run_after: datetime | None = None,
    ) -> None:
        rows = self._ws.rows(self.table)
        if dedupe_key is not None and any(row.dedupe_key == dedupe_key for row in rows):
            return
        job_id = 1 + max((row.id for row in rows), default=0)
        row = JobRow(
            municipality_id=self._ws.municipality_id,
            id=job_id,
            task=task,
            payload=payload,
            dedupe_key=dedupe_key,
            run_after=run_after,
        )
        self._ws.insert(self.table, job_id, row)

    def all(self) -> list[JobRow]:
        """What was enqueued (committed, and pending in this unit of work)."""
        return sorted(self._ws.rows(self.table), key=lambda row: row.id)

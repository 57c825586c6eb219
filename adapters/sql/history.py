"""Case versions, the change feed and external ids over one SQL session.

The feed is kept in commit order by one counter row per municipality: a recorder
locks it (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite has a single writer anyway)
before it reads what it records, and holds it until its transaction ends. A reader
that has seen cursor ``n`` can therefore never later meet a committed ``n - 1``: the
transaction that took ``n - 1`` committed before ``n`` was handed out. PostgreSQL
sequences give no such promise (numbers are taken at insert, commits come in any
order), which is why the feed does not use one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from adapters.sql.buffer import WriteBuffer
from adapters.sql.conflicts import Session
from adapters.sql.export_tables import CaseVersionRow, ExportRefRow, FeedCounterRow
from core.models import utcnow
from core.services.snapshots import registered_snapshot
from ports.history import CaseChange, CaseDelta, CaseHead, ChangePage
from ports.persistence import UnitOfWork
from ports.snapshots import CaseSnapshot


def insert_ignoring_duplicates(session: Session, table: Any, **values: Any) -> Any:
    """``INSERT … ON CONFLICT DO NOTHING`` in the session's dialect."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table).values(**values).on_conflict_do_nothing()


_COUNTER = FeedCounterRow.__table__  # type: ignore[attr-defined]


@dataclass
class _Counter:
    """The feed counter's values as this transaction moves them."""

    last_cursor: int
    last_registered_at: datetime | None


class SqlCaseHistory:
    """:class:`ports.history.CaseHistory` for one municipality.

    :param children: the unit of work whose tables :meth:`as_of` reads a version's
        children from.
    """

    def __init__(
        self,
        session: Session,
        municipality_id: UUID,
        buffer: WriteBuffer,
        children: UnitOfWork,
    ) -> None:
        self._session = session
        self._municipality_id = municipality_id
        self._buffer = buffer
        self._children = children
        self._lock: tuple[object, _Counter] | None = None
        """The transaction that holds the counter's lock, and the counter as it holds it."""

    def lock(self) -> None:
        self._locked_counter()

    def _locked_counter(self) -> _Counter:
        """The municipality's counter, its row locked until the transaction ends (made if
        new; locked once per transaction, by an update of the row that returns it).

        The session and the write buffer are written first, so the transaction holds the
        locks of the rows it changed (the case's, above all) before it waits for the
        counter: lock order is always rows, then counter, and two recorders cannot
        deadlock on them.
        """
        transaction = self._session.get_transaction()
        if self._lock is not None and self._lock[0] is transaction and transaction is not None:
            return self._lock[1]
        self._buffer.write()
        self._session.flush()
        row = self._session.execute(self._lock_counter).first()
        if row is None:
            self._session.execute(
                insert_ignoring_duplicates(
                    self._session, _COUNTER, municipality_id=self._municipality_id, last_cursor=0
                )
            )
            row = self._session.execute(self._lock_counter).one()
        counter = _Counter(row.last_cursor, row.last_registered_at)
        self._lock = (self._session.get_transaction(), counter)
        return counter

    @property
    def _lock_counter(self) -> Any:
        return (
            update(_COUNTER)
            .where(_COUNTER.c.municipality_id == self._municipality_id)
            .values(last_cursor=_COUNTER.c.last_cursor)
            .returning(_COUNTER.c.last_cursor, _COUNTER.c.last_registered_at)
        )

    def record(self, head: CaseHead, delta: CaseDelta, change: str) -> CaseChange:
        return self.record_many([(head, delta, change)])[0]

    def record_many(self, changes: Sequence[tuple[CaseHead, CaseDelta, str]]) -> list[CaseChange]:
        if not changes:
            return []
        counter = self._locked_counter()
        latest = self._latest_versions([head.case.id for head, _, _ in changes])
        entries = []
        for head, delta, change in changes:
            registered = head.taken_at
            if counter.last_registered_at is not None and counter.last_registered_at > registered:
                registered = counter.last_registered_at
            case_id = head.case.id
            latest[case_id] = version = latest.get(case_id, 0) + 1
            entry = CaseChange(
                cursor=counter.last_cursor + 1,
                case_id=case_id,
                version=version,
                change=change,
                registered_at=registered,
            )
            self._buffer.insert(
                CaseVersionRow.__table__,  # type: ignore[attr-defined]
                {
                    "municipality_id": self._municipality_id,
                    "head": head.model_copy(update={"taken_at": registered}).model_dump_json(),
                    "delta": delta.model_dump_json(),
                    **entry.model_dump(),
                },
            )
            counter.last_cursor = entry.cursor
            counter.last_registered_at = registered
            entries.append(entry)
        self._session.execute(
            update(_COUNTER)
            .where(_COUNTER.c.municipality_id == self._municipality_id)
            .values(last_cursor=counter.last_cursor, last_registered_at=counter.last_registered_at)
        )
        return entries

    def _latest_versions(self, case_ids: list[UUID]) -> dict[UUID, int]:
        statement = (
            select(CaseVersionRow.case_id, func.max(CaseVersionRow.version))
            .where(
                CaseVersionRow.municipality_id == self._municipality_id,
                col(CaseVersionRow.case_id).in_(case_ids),
            )
            .group_by(col(CaseVersionRow.case_id))
        )
        return {case_id: version for case_id, version in self._session.exec(statement).all()}

    def as_of(self, case_id: UUID, moment: datetime) -> CaseSnapshot | None:
        statement = (
            select(CaseVersionRow.head, CaseVersionRow.delta)
            .where(
                CaseVersionRow.municipality_id == self._municipality_id,
                CaseVersionRow.case_id == case_id,
                CaseVersionRow.registered_at <= moment,
            )
            .order_by(col(CaseVersionRow.cursor))
        )
        rows = self._session.exec(statement).all()
        if not rows:
            return None
        children = CaseDelta.union(CaseDelta.model_validate_json(delta) for _, delta in rows)
        head = CaseHead.model_validate_json(rows[-1][0])
        return registered_snapshot(self._children, head, children)

    def changes_after(self, cursor: int, limit: int) -> ChangePage:
        statement = (
            select(
                CaseVersionRow.cursor,
                CaseVersionRow.case_id,
                CaseVersionRow.version,
                CaseVersionRow.change,
                CaseVersionRow.registered_at,
            )
            .where(
                CaseVersionRow.municipality_id == self._municipality_id,
                CaseVersionRow.cursor > cursor,
            )
            .order_by(col(CaseVersionRow.cursor))
            .limit(limit + 1)
        )
        rows = self._session.exec(statement).all()
        changes = [CaseChange.model_validate(row._mapping) for row in rows[:limit]]
        return ChangePage(
            changes=changes,
            next_cursor=changes[-1].cursor if changes else cursor,
            more=len(rows) > limit,
        )


class SqlExportLedger:
    """:class:`ports.history.ExportLedger` for one municipality."""

    def __init__(self, session: Session, municipality_id: UUID) -> None:
        self._session = session
        self._municipality_id = municipality_id

    def external_id(self, adapter: str, object_type: str, object_id: UUID) -> str | None:
        row = self._session.get(
            ExportRefRow, (self._municipality_id, adapter, object_type, object_id)
        )
        return row.external_id if row is not None else None

    def remember(self, adapter: str, object_type: str, object_id: UUID, external_id: str) -> None:
        self._session.merge(
            ExportRefRow(
                municipality_id=self._municipality_id,
                adapter=adapter,
                object_type=object_type,
                object_id=object_id,
                external_id=external_id,
                exported_at=utcnow(),
            )
        )

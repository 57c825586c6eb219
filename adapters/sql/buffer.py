"""Rows a unit of work adds, written in bulk.

The ORM writes each added object on its own and, with autoflush, before every query:
for an intake, which adds some fifteen rows per document, that was most of its cost.
The append-only tables (a document and its parts, links, placements, inbox items,
notices, parties, the intake ledger, audit entries, case versions) are collected here
as plain values instead and inserted with one ``executemany`` per table — before the
next query that may read them, and at commit. The one in-place change an intake makes
(a case's ``updated_at``) is collected the same way.

A query that reads none of these tables, or whose repository answers from the rows
added here before it asks the database (parties by CPR number), carries
:data:`READS_UNBUFFERED` and leaves the buffer alone: every query of the repositories
with ``reads_unbuffered = True`` (cases, activities, caseworkers; see
:class:`adapters.sql.scoping.TenantRepository`), the municipality's, and the party
lookups by number and id. A query added to those must keep to it. Foreign keys are checked at commit
(:func:`adapters.sql.tables.references`), so the order of the inserts does not matter.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import Insert, Table, Update, bindparam, insert, update
from sqlalchemy.orm import ORMExecuteState

from adapters.sql.conflicts import Session, conflicts_raised

READS_UNBUFFERED = {"sagshub_reads_unbuffered": True}
"""Execution options of a query that needs no buffered row written before it runs."""


_NONE = object()


@cache
def _insert(table: Table) -> Insert:
    """One statement object per table, so SQLAlchemy computes its cache key once."""
    return insert(table)


@cache
def _set_column(table: Table, column: str) -> Update:
    return (
        update(table).where(table.c.id == bindparam("row_id")).values({column: bindparam("value")})
    )


class WriteBuffer:
    """The rows one unit of work added and has not written yet.

    :param before_write: called before the buffer writes (the unit of work takes
        SQLite's writer lock there).
    """

    def __init__(self, session: Session, before_write: Callable[[], None]) -> None:
        self._session = session
        self._before_write = before_write
        self._inserts: dict[Table, list[dict[str, Any]]] = {}
        self._updates: dict[tuple[Table, str], dict[UUID, Any]] = {}

    def __bool__(self) -> bool:
        return bool(self._inserts or self._updates)

    def insert(self, table: Table, values: dict[str, Any]) -> None:
        """Insert a row (every column given) at the next write."""
        self._inserts.setdefault(table, []).append(values)

    def set_column(self, table: Table, row_id: UUID, column: str, value: Any) -> None:
        """Set one column of the row with this ``id`` at the next write (the last value
        given wins)."""
        self._updates.setdefault((table, column), {})[row_id] = value

    def forget_column(self, table: Table, row_id: UUID, column: str) -> bool:
        """Drop a pending :meth:`set_column` (True if there was one): the ORM writes this
        row's column itself."""
        return self._updates.get((table, column), {}).pop(row_id, _NONE) is not _NONE

    def write(self) -> None:
        """Write everything collected, one statement per table (and updated column).

        A taken unique key raises :class:`core.errors.Conflict`. The buffer is empty
        afterwards whatever happens: on an error the transaction is rolled back anyway.
        """
        if not self:
            return
        inserts, self._inserts = self._inserts, {}
        updates, self._updates = self._updates, {}
        self._before_write()
        connection = self._session.connection()
        with conflicts_raised():
            for table, rows in inserts.items():
                connection.execute(_insert(table), rows)
            for (table, column), values in updates.items():
                if values:
                    rows = [{"row_id": i, "value": v} for i, v in values.items()]
                    connection.execute(_set_column(table, column), rows)

    def before_statement(self, state: ORMExecuteState) -> None:
        """The session's ``do_orm_execute`` hook: write first unless the query says it
        reads no buffered table."""
        if self and not state.execution_options.get("sagshub_reads_unbuffered"):
            self.write()

    def clear(self) -> None:
        self._inserts.clear()
        self._updates.clear()

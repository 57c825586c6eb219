"""The in-memory "database" and one unit of work's view of it (see :mod:`tests.fakes.memory`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from operator import attrgetter
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from core.errors import Conflict, NotAllowed, NotFound

TABLES = (
    "municipalities",
    "cases",
    "activities",
    "parties",
    "caseworkers",
    "documents",
    "links",
    "placements",
    "inbox",
    "journal",
    "notices",
    "intake",
    "audit",
    "versions",
    "exports",
    "jobs",
)

UNIQUE: dict[str, tuple[tuple[str, Callable[[Any], Any]], ...]] = {
    "municipalities": (("cvr", attrgetter("cvr")),),
    "cases": (("number", attrgetter("number")),),
    "parties": (("cpr", attrgetter("cpr")), ("cvr", attrgetter("cvr"))),
    "caseworkers": (("username", attrgetter("username")),),
}
"""Unique columns per table, within one municipality (values are never put in messages)."""

KEY_FIELD = {"intake": "message_id"}
"""The field a duplicate primary key is reported on (default ``id``)."""

Key = tuple[UUID | None, Any]
"""A row's key in a table: (municipality id or None for unscoped tables, natural key)."""


class InMemoryStore:
    """The shared "database": one dict per table, written only by committing units of work."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[Key, BaseModel]] = {name: {} for name in TABLES}
        self.lock = threading.Lock()


def _taken(table: str, how: str) -> Conflict:
    field = KEY_FIELD.get(table, "id")
    return Conflict(f"{table}: this {field} {how}", field=field)


class Workspace:
    """One unit of work's view: the committed rows overlaid by its pending changes."""

    def __init__(self, store: InMemoryStore, municipality_id: UUID) -> None:
        self.store = store
        self.municipality_id = municipality_id
        self.clear()

    def clear(self) -> None:
        self.pending: dict[str, dict[Key, BaseModel]] = {name: {} for name in TABLES}
        self.inserted: set[tuple[str, Key]] = set()
        self.violations: list[Conflict] = []

    def key(self, table: str, natural: Any) -> Key:
        return (None if table == "municipalities" else self.municipality_id, natural)

    def rows(self, table: str) -> list[Any]:
        """This municipality's rows (not copies: callers copy what they hand out)."""
        scope = self.key(table, None)[0]
        merged = {**self.store.tables[table], **self.pending[table]}
        return [row for key, row in merged.items() if key[0] == scope]

    def get(self, table: str, natural: Any) -> Any | None:
        key = self.key(table, natural)
        row = self.pending[table].get(key)
        if row is None:
            row = self.store.tables[table].get(key)
        return row.model_copy(deep=True) if row is not None else None

    def insert(self, table: str, natural: Any, row: BaseModel) -> None:
        """Add a row; a key already taken makes the commit raise Conflict (as a database would)."""
        self._check_tenant(row)
        key = self.key(table, natural)
        if key in self.pending[table] or key in self.store.tables[table]:
            self.violations.append(_taken(table, "is already stored"))
            return
        self.pending[table][key] = row.model_copy(deep=True)
        self.inserted.add((table, key))

    def replace(self, table: str, natural: Any, row: BaseModel, field: str) -> None:
        self._check_tenant(row)
        if self.get(table, natural) is None:
            raise NotFound(f"no {table} row with id {natural}", field=field)
        self.pending[table][self.key(table, natural)] = row.model_copy(deep=True)

    def check(self) -> None:
        """Raise Conflict if committing now would break a unique key."""
        if self.violations:
            raise self.violations[0]
        for table, key in self.inserted:
            if key in self.store.tables[table]:
                raise _taken(table, "was stored by a concurrent transaction")
        for table, uniques in UNIQUE.items():
            if self.pending[table]:
                self._check_unique(table, uniques)

    def _check_unique(self, table: str, uniques: tuple[tuple[str, Callable], ...]) -> None:
        merged = {**self.store.tables[table], **self.pending[table]}
        for field, value_of in uniques:
            owners: dict[tuple, set[Key]] = {}
            for key, row in merged.items():
                if value_of(row) is not None:
                    owners.setdefault((key[0], value_of(row)), set()).add(key)
            for key, row in self.pending[table].items():
                if value_of(row) is not None and len(owners[(key[0], value_of(row))]) > 1:
                    raise Conflict(f"{table}: another row has the same {field}", field=field)

    def apply(self) -> None:
        for table, rows in self.pending.items():
            self.store.tables[table].update(rows)

    def _check_tenant(self, row: BaseModel) -> None:
        owner = getattr(row, "municipality_id", self.municipality_id)
        if owner != self.municipality_id:
            raise NotAllowed(
                "the row belongs to another municipality than this unit of work",
                field="municipality_id",
            )

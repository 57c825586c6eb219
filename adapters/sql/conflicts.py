"""Unique-key violations become :class:`core.errors.Conflict`, naming what clashed.

The translation sits in :meth:`Session.flush`, which SQLAlchemy calls for an explicit
flush, for autoflush before a query and for commit, so a clash surfaces as a Conflict
wherever the unit of work happens to write it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session as SqlModelSession

from adapters.sql.tables import metadata
from core.errors import Conflict

_POSTGRES_UNIQUE_VIOLATION = "23505"
_SQLITE_UNIQUE_ERRORS = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}
_SQLITE_COLUMNS = re.compile(r"UNIQUE constraint failed: (.+)$")


class Session(SqlModelSession):
    """A session whose flushes raise :class:`Conflict` for a taken unique key, and for
    SQLite's refusal to let a transaction write after another wrote since it read."""

    def flush(self, objects: Sequence[Any] | None = None) -> None:
        with conflicts_raised():
            super().flush(objects)


@contextmanager
def conflicts_raised() -> Iterator[None]:
    """Turn a taken unique key, or SQLite's busy refusal, raised by the writes of the
    block into a :class:`Conflict`; any other error passes unchanged."""
    try:
        yield
    except IntegrityError as error:
        conflict = conflict_for(error)
        if conflict is None:
            raise
        raise conflict from error
    except OperationalError as error:
        if not _sqlite_busy(error):
            raise
        raise Conflict(
            "another transaction wrote first; the work must be done again on what it wrote"
        ) from error


def _sqlite_busy(error: OperationalError) -> bool:
    """SQLite's "database is locked" at a transaction's first write: its snapshot is older
    than another transaction's commit (SQLITE_BUSY_SNAPSHOT, answered at once), or the
    lock stayed taken for the whole busy timeout. Running the work again in a new
    transaction, as :func:`core.services.transaction.transact` does, is the remedy."""
    return str(getattr(error.orig, "sqlite_errorname", "")).startswith("SQLITE_BUSY")


def conflict_for(error: IntegrityError) -> Conflict | None:
    """The Conflict a unique violation means, or None for any other integrity error."""
    driver_error = error.orig
    if getattr(driver_error, "sqlstate", None) == _POSTGRES_UNIQUE_VIOLATION:
        key = _unique_keys_by_name().get(driver_error.diag.constraint_name)  # type: ignore[union-attr]
        return _conflict(key)
    if getattr(driver_error, "sqlite_errorname", None) in _SQLITE_UNIQUE_ERRORS:
        match = _SQLITE_COLUMNS.search(str(driver_error))
        columns = tuple(c.strip() for c in match.group(1).split(",")) if match else ()
        return _conflict(_unique_keys_by_columns().get(columns))
    return None


def _conflict(key: tuple[str, Sequence[str]] | None) -> Conflict:
    if key is None:
        return Conflict("a unique key is already taken")
    table, columns = key
    noun = table.replace("_", " ")
    what = " and ".join(c.replace("_", " ") for c in columns if c != "municipality_id")
    return Conflict(f"another {noun} already has this {what}")


def _unique_keys() -> Iterable[tuple[str, str, tuple[str, ...]]]:
    """(name, table, columns) of every primary key, unique constraint and unique index."""
    for table in metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, PrimaryKeyConstraint | UniqueConstraint):
                yield str(constraint.name), table.name, tuple(constraint.columns.keys())
        for index in table.indexes:
            if index.unique:
                columns = tuple(c.name for c in index.columns)
                yield str(index.name), table.name, columns


@cache
def _unique_keys_by_name() -> dict[str, tuple[str, tuple[str, ...]]]:
    return {name: (table, columns) for name, table, columns in _unique_keys()}


@cache
def _unique_keys_by_columns() -> dict[tuple[str, ...], tuple[str, tuple[str, ...]]]:
    """Keyed the way SQLite reports a violation: ``("table.col", "table.col2")``."""
    return {
        tuple(f"{table}.{c}" for c in columns): (table, columns)
        for _, table, columns in _unique_keys()
    }

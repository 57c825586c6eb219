"""A throw-away SQLite database for the set comparisons validation makes.

Keys, document numbers and file paths of a large extract do not fit comfortably in
Python sets; SQLite keeps them on disk (a private temporary database) and answers
"which are missing where" with a join. Bags are named freely (names may come from
the extract); each gets a table with a generated name.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator


class KeyStore:
    def __init__(self) -> None:
        self._db = sqlite3.connect("")
        self._tables: dict[str, str] = {}

    def close(self) -> None:
        self._db.close()

    def _table(self, bag: str) -> str:
        if bag not in self._tables:
            name = f"bag{len(self._tables)}"
            self._db.execute(
                f"CREATE TABLE {name} (key TEXT PRIMARY KEY, extra TEXT) WITHOUT ROWID"
            )
            self._tables[bag] = name
        return self._tables[bag]

    def add(self, bag: str, key: str, extra: str = "") -> bool:
        """Put ``key`` in ``bag``; False when it was already there."""
        table = self._table(bag)
        cursor = self._db.execute(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", (key, extra))  # noqa: S608
        return cursor.rowcount == 1

    def add_many(self, bag: str, keys: Iterable[tuple[str, str]]) -> None:
        table = self._table(bag)
        self._db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", keys)  # noqa: S608

    def missing(self, bag: str, other: str) -> Iterator[tuple[str, str]]:
        """Keys (with their extra) in ``bag`` that ``other`` lacks, in key order."""
        left, right = self._table(bag), self._table(other)
        yield from self._db.execute(
            f"SELECT a.key, a.extra FROM {left} a WHERE NOT EXISTS "  # noqa: S608
            f"(SELECT 1 FROM {right} b WHERE b.key = a.key) ORDER BY a.key"
        )

    def get(self, bag: str, key: str) -> str | None:
        """The extra stored with ``key``, or None when the bag lacks it."""
        row = self._db.execute(
            f"SELECT extra FROM {self._table(bag)} WHERE key = ?",  # noqa: S608
            (key,),
        ).fetchone()
        return row[0] if row else None

    def items(self, bag: str) -> Iterator[tuple[str, str]]:
        yield from self._db.execute(f"SELECT key, extra FROM {self._table(bag)} ORDER BY key")  # noqa: S608

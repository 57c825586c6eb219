"""The resume state of an extract in progress, kept in SQLite beside the AVID folder.

It remembers each converted document (its number, the input it came from, the
converter recipe and the finished TIFF's MD5), so a re-run after an interruption
reuses every TIFF that is complete and verified instead of converting it again.
It also holds the run's "already written" keys (a document on two cases is one
document), so memory stays flat however many documents the extract holds.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS converted (
    document_key TEXT PRIMARY KEY,
    document_id INTEGER NOT NULL,
    collection INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    recipe TEXT NOT NULL,
    md5 TEXT NOT NULL,
    size INTEGER NOT NULL,
    pages INTEGER NOT NULL,
    run INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS converted_by_number ON converted (document_id);
CREATE TABLE IF NOT EXISTS runs (run INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT);
CREATE TEMP TABLE seen (key TEXT PRIMARY KEY) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class Converted:
    """A document's finished TIFF as the state recorded it."""

    document_id: int
    collection: int
    fingerprint: str
    recipe: str
    md5: str
    size: int
    pages: int


class ResumeState:
    """One run's view of the state file; close it when done (``contextlib.closing``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        cursor = self._db.execute("INSERT INTO runs (started) VALUES (datetime('now'))")
        self.run = cursor.lastrowid

    def close(self) -> None:
        self._db.close()

    def first_time(self, kind: str, key: object) -> bool:
        """True the first time this run sees ``(kind, key)``; False every later time."""
        cursor = self._db.execute("INSERT OR IGNORE INTO seen VALUES (?)", (f"{kind}:{key}",))
        return cursor.rowcount == 1

    def seen(self, kind: str, key: object) -> bool:
        row = self._db.execute("SELECT 1 FROM seen WHERE key = ?", (f"{kind}:{key}",))
        return row.fetchone() is not None

    def converted(self, document_key: str) -> Converted | None:
        row = self._db.execute(
            "SELECT document_id, collection, fingerprint, recipe, md5, size, pages "
            "FROM converted WHERE document_key = ?",
            (document_key,),
        ).fetchone()
        return Converted(*row) if row else None

    def record(self, document_key: str, done: Converted) -> None:
        """Remember a finished document as produced (or reused) by this run."""
        self._db.execute("BEGIN")
        try:
            self._db.execute("DELETE FROM converted WHERE document_id = ?", (done.document_id,))
            self._db.execute(
                "INSERT OR REPLACE INTO converted VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    document_key,
                    done.document_id,
                    done.collection,
                    done.fingerprint,
                    done.recipe,
                    done.md5,
                    done.size,
                    done.pages,
                    self.run,
                ),
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def produced_now(self, collection: int, document_id: int) -> Converted | None:
        """The document this run put at ``docCollection<collection>/<document_id>``, if any."""
        row = self._db.execute(
            "SELECT document_id, collection, fingerprint, recipe, md5, size, pages "
            "FROM converted WHERE document_id = ? AND collection = ? AND run = ?",
            (document_id, collection, self.run),
        ).fetchone()
        return Converted(*row) if row else None

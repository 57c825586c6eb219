"""The database: engine, migrations and units of work for one URL (SQLite or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.orm import sessionmaker

from adapters.jobs.outbox import OutboxQueue
from adapters.sql.conflicts import Session
from adapters.sql.uow import JobQueueFactory, SqlUnitOfWork, WriteLock
from ports.blobs import BlobStore
from ports.persistence import BeforeCommit, EventPublisher

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
POOL_SIZE = 20
POOL_OVERFLOW = 20
"""Connections kept open, and opened besides when all are taken. Each of the web
server's worker threads (40 at most) may hold one: a delivery's thread confirms its
key before the shared commit. With SQLAlchemy's default of 5 kept, busy intake
opened and closed a connection per request, each with its PRAGMAs."""


class Database:
    """One database. ``postgresql://`` URLs are driven by psycopg 3."""

    def __init__(self, url: str) -> None:
        self.url = _with_driver(make_url(url))
        self.engine: Engine = create_engine(
            self.url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW
        )
        self._write_lock: WriteLock | None = None
        if self.url.get_backend_name() == "sqlite":
            self._write_lock = WriteLock()
            event.listen(self.engine, "connect", _configure_sqlite)
            if self.url.database and self.url.database != ":memory:":
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
        self._sessions = sessionmaker(self.engine, class_=Session, expire_on_commit=False)

    def alembic_config(self) -> Config:
        """The alembic configuration, built in code (no alembic.ini): for ``upgrade`` and
        for writing new revisions (``alembic.command.revision(db.alembic_config(), …)``)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["engine"] = self.engine
        return config

    def upgrade(self) -> None:
        """Migrate the schema to the newest revision."""
        command.upgrade(self.alembic_config(), "head")

    def current_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def uow_factory(
        self,
        blobs: BlobStore,
        publisher: EventPublisher | None = None,
        *,
        before_commit: BeforeCommit | None = None,
        job_queue: JobQueueFactory = OutboxQueue,
    ) -> Callable[[UUID], SqlUnitOfWork]:
        def open_unit_of_work(municipality_id: UUID) -> SqlUnitOfWork:
            return SqlUnitOfWork(
                self._sessions,
                municipality_id,
                blobs,
                publisher,
                before_commit=before_commit,
                job_queue=job_queue,
                write_lock=self._write_lock,
            )

        return open_unit_of_work

    def session(self) -> Session:
        """A session of its own, outside any unit of work (the hub's background bookkeeping)."""
        return self._sessions()

    def dispose(self) -> None:
        self.engine.dispose()


def _with_driver(url: URL) -> URL:
    if url.drivername in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    return url


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Durable, concurrent-reader SQLite: WAL, full fsync, enforced foreign keys, and a
    writer waits for the lock instead of failing at once."""
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        "foreign_keys=ON",
        f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()

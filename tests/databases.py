"""Test databases: a migrated SQLite file, or a PostgreSQL database of the session's own.

PostgreSQL is found through ``SAGSHUB_TEST_POSTGRES_URL``; when it cannot be reached
the tests that need it are skipped, unless ``SAGSHUB_REQUIRE_POSTGRES=1`` (``make test``)
makes that a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from psycopg import sql
from sqlalchemy import make_url

from adapters.sql.database import Database

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def sqlite_database(folder: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{folder / 'sagshub.db'}")
    database.upgrade()
    try:
        yield database
    finally:
        database.dispose()


@contextmanager
def postgres_database() -> Iterator[Database]:
    """A new database on the test server, migrated, dropped on the way out."""
    url = make_url(os.environ.get("SAGSHUB_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    server = url.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"sagshub_test_{uuid4().hex[:12]}"
    _admin(server, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    database = Database(url.set(database=name).render_as_string(hide_password=False))
    try:
        database.upgrade()
        yield database
    finally:
        database.dispose()
        _admin(server, sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def _admin(server: str, statement: sql.Composed) -> None:
    try:
        connection = psycopg.connect(server, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        message = f"PostgreSQL is not reachable: {error}".strip()
        if os.environ.get("SAGSHUB_REQUIRE_POSTGRES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    with connection:
        connection.execute(statement)

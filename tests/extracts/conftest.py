"""The archive API's tests run on the export tests' databases (SQLite and PostgreSQL) with
the official schemas the archive plugin's tests find."""

from __future__ import annotations

from tests.export.conftest import database, postgres_db, sqlite_db  # noqa: F401
from tests.plugins.archive.conftest import standards_dir  # noqa: F401

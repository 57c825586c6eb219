"""The end-to-end tests: a hub built from a TOML file, its worker and command line, against
the local fake ESDH services, on SQLite (the outbox) and PostgreSQL (procrastinate)."""

from __future__ import annotations

import pytest

from tests.e2e.esdh import build_hub_for

# The databases as the export tests have them (each test runs on SQLite and PostgreSQL),
# the fake services and the Acadre user's variable as the plugin tests have them.
from tests.export.conftest import database, postgres_db, sqlite_db  # noqa: F401
from tests.plugins.esdh.conftest import (  # noqa: F401
    acadre,
    acadre_service,
    acadre_user_variable,
    kmd,
    kmd_service,
    standards_dir,
)


@pytest.fixture
def database_url(database) -> str:  # noqa: F811
    return database.url.render_as_string(hide_password=False)


@pytest.fixture
def hub(esdh, database_url, tmp_path):
    """A hub of a new municipality, configured for the module's ``esdh``."""
    built = build_hub_for(esdh, database_url, tmp_path)
    yield built
    built.close()

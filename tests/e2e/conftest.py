"""The end-to-end tests: hubs built from a TOML file, their worker, command line and API,
against the local fakes (Serviceplatformen for letters; Acadre and KMD Sag for the ESDH
round trip, on SQLite with the outbox and PostgreSQL with procrastinate)."""

from __future__ import annotations

import pytest

from tests.e2e.esdh import build_hub_for

# The databases as the export tests have them (each ESDH test runs on SQLite and
# PostgreSQL), and the local fakes as the letter and ESDH plugin tests have them.
from tests.export.conftest import database, postgres_db, sqlite_db  # noqa: F401
from tests.letters.conftest import _fake_servers, platform  # noqa: F401
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
    """A hub of a new municipality, configured for the ESDH test module's ``esdh``."""
    built = build_hub_for(esdh, database_url, tmp_path)
    yield built
    built.close()

"""The API tests' hub: real SQLite (or PostgreSQL) and the filesystem blob store in tmp_path.

``hub`` is a built hub with migrated storage; ``http`` a test client of its app;
``keys`` issues API keys; ``world`` seeds the hub's municipality; ``stored``
tells what the hub holds, to show that a refused delivery left nothing behind.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from litestar.testing import TestClient
from sqlalchemy import func, select

from adapters.settings import load_settings
from adapters.sql.tables import DocumentRow
from hub import Hub, build_container, build_hub, create_app
from tests.config_files import isolate_environment, write_config
from tests.databases import postgres_database
from tests.unit.builders import World

DATABASE_FILE = "sagshub.db"
"""The configuration's default SQLite file, in the configuration's folder."""


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_environment(monkeypatch)


def make_hub(folder: Path, extra: str = "", *, template: Path | None = None) -> Hub:
    """A hub on the configuration ``extra`` adds to, with its storage migrated.

    With ``template`` (a migrated SQLite file), the default SQLite database starts as
    a copy of it, which is much quicker than migrating.
    """
    settings = load_settings(write_config(folder, extra))
    if template is not None and "[database]" not in extra:
        shutil.copyfile(template, folder / DATABASE_FILE)
    database = build_container(settings).database()
    try:
        database.upgrade()
    finally:
        database.dispose()
    return build_hub(settings)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite database file to copy."""
    folder = tmp_path_factory.mktemp("template")
    make_hub(folder).close()
    return folder / DATABASE_FILE


@pytest.fixture
def intake_settings() -> str:
    """Extra configuration for the hub (override in a test module for other limits)."""
    return ""


@pytest.fixture
def hub(tmp_path: Path, intake_settings: str, migrated_template: Path) -> Iterator[Hub]:
    built = make_hub(tmp_path, intake_settings, template=migrated_template)
    yield built
    built.close()


@pytest.fixture
def postgres_hub(tmp_path: Path) -> Iterator[Hub]:
    """A hub on a PostgreSQL database of its own, dropped afterwards."""
    with postgres_database() as database:
        url = database.url.render_as_string(hide_password=False)
        built = make_hub(tmp_path, f'[database]\nurl = "{url}"\n')
        try:
            yield built
        finally:
            built.close()


@pytest.fixture
def http(hub: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(hub)) as client:
        yield client


class HubWorld(World):
    """:class:`tests.unit.builders.World` on the hub's own municipality."""

    def __init__(self, hub: Hub) -> None:
        self.uow_factory = hub.services.uow_factory
        self.municipality = hub.services.municipality
        self.id = self.municipality.id
        self._sequence = 0


@pytest.fixture
def world(hub: Hub) -> HubWorld:
    return HubWorld(hub)


class Keys:
    """Issues API keys and hands back the request headers that carry them."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    def client(
        self, name: str = "scanner-01", scopes: str = "intake", **options: object
    ) -> dict[str, str]:
        issued = self.hub.services.clients.issue(name, scopes.split(","), **options)
        return bearer(issued.key)

    def caseworker(self, username: str, scopes: str = "inbox,cases:read") -> dict[str, str]:
        issued = self.hub.services.clients.issue(username, scopes.split(","), caseworker=username)
        return bearer(issued.key)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def keys(hub: Hub) -> Keys:
    return Keys(hub)


@dataclass(frozen=True)
class Stored:
    """What the hub holds: document rows, stored files, staged (half-received) files."""

    documents: int
    files: list[str]
    staged: list[str]


def stored(hub: Hub) -> Stored:
    blobs = hub.services.blobs
    files = sorted(
        path.name
        for path in blobs.root.rglob("*")
        if path.is_file() and blobs.staging not in path.parents
    )
    with hub.container.database().engine.connect() as connection:
        documents = connection.execute(select(func.count()).select_from(DocumentRow)).scalar_one()
    return Stored(documents, files, sorted(p.name for p in blobs.staging.iterdir()))


class LiveServer:
    """The hub's app served by uvicorn on a free port, in a thread of the test process."""

    def __init__(self, hub: Hub) -> None:
        self._server = uvicorn.Server(
            uvicorn.Config(create_app(hub), host="127.0.0.1", port=0, log_level="warning")
        )
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> str:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc_info: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

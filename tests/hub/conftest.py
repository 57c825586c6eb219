"""Fixtures for the composition root and the command line: real SQLite in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.settings import Settings, load_settings
from hub import Hub, build_container, build_hub
from tests.config_files import isolate_environment, write_config, write_vendor_config


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_environment(monkeypatch)


def migrate(settings: Settings) -> None:
    database = build_container(settings).database()
    try:
        database.upgrade()
    finally:
        database.dispose()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A plain configuration whose SQLite database is not migrated yet."""
    return write_config(tmp_path)


@pytest.fixture
def migrated_config(config: Path) -> Path:
    migrate(load_settings(config))
    return config


@pytest.fixture
def vendor_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The vendor example enabled and bound, on a migrated database."""
    path = write_vendor_config(tmp_path, monkeypatch)
    migrate(load_settings(path))
    return path


@pytest.fixture
def hub(migrated_config: Path) -> Iterator[Hub]:
    built = build_hub(load_settings(migrated_config))
    yield built
    built.close()


@pytest.fixture
def free_port() -> int:
    """A TCP port nobody listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]

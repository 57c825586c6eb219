"""Fixtures for the plugin mechanism and configuration tests.

The vendor example package must be installed (``pip install -e tests/vendor_plugin``;
``make test`` does it): these tests load it through its real entry point.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from adapters.plugins import discover_plugins
from tests.config_files import isolate_environment, write_config, write_vendor_config


@pytest.fixture(autouse=True)
def _vendor_plugin_installed() -> None:
    names = {plugin.name for plugin in discover_plugins()}
    assert "vendor_example" in names, "run `pip install -e tests/vendor_plugin` (make test does)"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_environment(monkeypatch)


@pytest.fixture(name="write_config")
def write_config_fixture(tmp_path: Path) -> Callable[..., Path]:
    """Write ``sagshub.toml`` (or ``name``) in a temporary folder."""
    return lambda extra="", **options: write_config(tmp_path, extra, **options)


@pytest.fixture
def vendor_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return write_vendor_config(tmp_path, monkeypatch)

"""Fixtures for the plugin mechanism and configuration tests.

The vendor example package must be installed (``pip install -e tests/vendor_plugin``;
``make test`` does it): these tests load it through its real entry point.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from adapters.plugins import discover_plugins

BASE_CONFIG = """\
[municipality]
name = "Testrup Kommune"
cvr = "29188386"
"""

VENDOR_CONFIG = """\
[plugins]
enabled = ["vendor_example"]

[ports]
case_export = ["vendor_example"]

[plugins.vendor_example]
endpoint = "https://esdh.testrup.example/api"
token_env = "VENDOR_EXAMPLE_TOKEN"
out_dir = "{out_dir}"
"""


@pytest.fixture(autouse=True)
def _vendor_plugin_installed() -> None:
    names = {plugin.name for plugin in discover_plugins()}
    assert "vendor_example" in names, "run `pip install -e tests/vendor_plugin` (make test does)"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SAGSHUB_* variable of the calling shell may leak into a test's configuration."""
    import os

    for name in list(os.environ):
        if name.startswith("SAGSHUB_") and name != "SAGSHUB_STANDARDS_DIR":
            monkeypatch.delenv(name)


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Path]:
    """Write ``sagshub.toml`` in a temporary folder: the municipality plus ``extra``."""

    def write(extra: str = "", *, base: str = BASE_CONFIG, name: str = "sagshub.toml") -> Path:
        path = tmp_path / name
        path.write_text(base + "\n" + extra, encoding="utf-8")
        return path

    return write


@pytest.fixture
def vendor_config(
    write_config: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A configuration that enables the vendor plugin and binds its exporter."""
    monkeypatch.setenv("VENDOR_EXAMPLE_TOKEN", "signing-key-for-tests")
    return write_config(VENDOR_CONFIG.format(out_dir=tmp_path / "exported"))

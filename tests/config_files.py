"""Configuration files for tests: a municipality, and the vendor example plugin enabled."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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

VENDOR_TOKEN = "signing-key-for-tests"


def write_config(
    folder: Path, extra: str = "", *, base: str = BASE_CONFIG, name: str = "sagshub.toml"
) -> Path:
    """Write a configuration file: the municipality plus ``extra``."""
    path = folder / name
    path.write_text(base + "\n" + extra, encoding="utf-8")
    return path


def write_vendor_config(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A configuration that enables the vendor plugin and binds its exporter."""
    monkeypatch.setenv("VENDOR_EXAMPLE_TOKEN", VENDOR_TOKEN)
    return write_config(folder, VENDOR_CONFIG.format(out_dir=folder / "exported"))


def isolate_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SAGSHUB_* variable of the calling shell (but the standards folder) may leak in."""
    for name in list(os.environ):
        if name.startswith("SAGSHUB_") and name != "SAGSHUB_STANDARDS_DIR":
            monkeypatch.delenv(name)

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.plugins.letters.builders import LetterWorld

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def standards_dir() -> Path:
    path = Path(os.environ.get("SAGSHUB_STANDARDS_DIR", REPO.parent / "shared" / "standards"))
    if not (path / "memo").is_dir():
        pytest.fail(f"the official schemas are not in {path}; set SAGSHUB_STANDARDS_DIR")
    return path


@pytest.fixture
def world() -> LetterWorld:
    return LetterWorld()

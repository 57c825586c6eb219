"""Fixtures for the archive plugin: the official schemas and valid extracts to mutate."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from plugins.archive.layout import Limits
from plugins.archive.settings import ArchiveSettings
from plugins.archive.writer import ArchiveWriter
from ports.integrations import ArchiveProfile, ArchiveRequest

from .builders import Blobs, two_cases

REPO = Path(__file__).resolve().parents[3]
SMALL_COLLECTIONS = Limits(docs_per_collection=5)
"""Nine documents in collections of five: the extracts have docCollection1 and 2."""


@pytest.fixture(scope="session")
def standards_dir() -> Path:
    folder = Path(os.environ.get("SAGSHUB_STANDARDS_DIR", REPO.parent / "shared" / "standards"))
    if not (folder / "archive-bek128" / "SOURCES.md").is_file():
        pytest.fail(f"the official schemas are not at {folder}; set SAGSHUB_STANDARDS_DIR")
    return folder


def fast_settings(**overrides: object) -> ArchiveSettings:
    """Low resolution keeps the tests quick; nothing else differs from production."""
    return ArchiveSettings(dpi=100, **overrides)


def make_extract(
    standards_dir: Path, out: Path, profile: ArchiveProfile, blobs: Blobs, snapshots, **settings
):
    writer = ArchiveWriter(fast_settings(**settings), standards_dir, limits=SMALL_COLLECTIONS)
    request = ArchiveRequest(
        profile=profile,
        archive_code="SA",
        number=7,
        case_ids=[s.case.id for s in snapshots],
        out_dir=out,
    )
    return writer.create(request, iter(snapshots), blobs.open)


@pytest.fixture(scope="session")
def bek128_extract(standards_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    blobs = Blobs()
    out = tmp_path_factory.mktemp("bek128")
    return make_extract(standards_dir, out, ArchiveProfile.BEK128, blobs, two_cases(blobs)).path


@pytest.fixture(scope="session")
def bek1007_extract(standards_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    blobs = Blobs()
    out = tmp_path_factory.mktemp("bek1007")
    result = make_extract(
        standards_dir,
        out,
        ArchiveProfile.BEK1007,
        blobs,
        two_cases(blobs),
        compression="group4",
        form_version="FORM 2024",
        form_classes={"03.05.02": "Børn og unge med særlige behov"},
    )
    return result.path

"""Fixtures for the ESDH plugin tests: the standards folder and the local fakes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from plugins.esdh_acadre.client import AcadreClient
from plugins.esdh_acadre.settings import AcadreSettings
from plugins.esdh_kmd_sag.client import KmdSagClient
from plugins.esdh_kmd_sag.settings import KmdSagSettings
from tests.fakes.acadre import FakeAcadre
from tests.fakes.kmd_sag import FakeKmdSag

REPO = Path(__file__).resolve().parents[3]
ACADRE_USER = "sagshub-test"


@pytest.fixture(scope="session")
def standards_dir() -> Path:
    path = Path(os.environ.get("SAGSHUB_STANDARDS_DIR", REPO.parent / "shared" / "standards"))
    if not (path / "acadre").is_dir():
        pytest.fail(f"the official schemas are not in {path}; set SAGSHUB_STANDARDS_DIR")
    return path


@pytest.fixture(scope="session")
def acadre_service(standards_dir):
    """One fake Acadre for the whole run (its WSDL is loaded once); reset per test."""
    fake = FakeAcadre(standards_dir=standards_dir)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def acadre(acadre_service) -> FakeAcadre:
    acadre_service.reset()
    return acadre_service


def acadre_settings(fake: FakeAcadre, **overrides) -> AcadreSettings:
    values = {
        "endpoint": fake.endpoint,
        "user_env": "ACADRE_USER",
        "timeout_seconds": 5.0,
        "read_retries": 1,
        "retry_backoff_seconds": 0.0,
        "case": {"caseworkers": {"hanne": 17}, "default_case_manager": 1},
        "source": {"document_type_id": fake.hub_marker_type},
    }
    return AcadreSettings(**(values | overrides))


@pytest.fixture(scope="session")
def acadre_client(acadre_service) -> AcadreClient:
    """A client shared by the tests (it loads the WSDL from the fake once)."""
    return AcadreClient(acadre_settings(acadre_service), user=ACADRE_USER)


@pytest.fixture(scope="session")
def kmd_service(standards_dir):
    fake = FakeKmdSag(standards_dir=standards_dir)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def kmd(kmd_service) -> FakeKmdSag:
    kmd_service.reset()
    return kmd_service


def kmd_settings(fake: FakeKmdSag, **overrides) -> KmdSagSettings:
    values = {
        "sag_endpoint": fake.sag_endpoint,
        "dokument_endpoint": fake.dokument_endpoint,
        "timeout_seconds": 5.0,
        "read_retries": 1,
        "retry_backoff_seconds": 0.0,
        "source": {"marker_class_urn": fake.marker_class_urn, "page_size": 2},
    }
    return KmdSagSettings(**(values | overrides))


@pytest.fixture(scope="session")
def kmd_client(kmd_service) -> KmdSagClient:
    return KmdSagClient(kmd_settings(kmd_service))

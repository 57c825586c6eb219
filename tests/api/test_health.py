"""/health says whether the hub can serve."""

from __future__ import annotations

from litestar.testing import TestClient

from adapters.api.app import HealthReport, build_app


def client_for(health):
    return TestClient(build_app(title="sagshub", version="1.0", health=health))


def test_healthy_when_the_database_is_migrated():
    report = HealthReport(version="1.0", database_revision="0001", migrated=True)
    with client_for(lambda: report) as client:
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "version": "1.0",
        "database_revision": "0001",
        "migrated": True,
    }


def test_unavailable_when_the_database_has_no_schema():
    report = HealthReport(version="1.0", database_revision=None, migrated=False)
    with client_for(lambda: report) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_unavailable_when_the_database_does_not_answer():
    def unreachable() -> HealthReport:
        raise ConnectionRefusedError("127.0.0.1:5432")

    with client_for(unreachable) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "version": "1.0",
        "database_revision": None,
        "migrated": False,
    }

"""Issue 7's API job: ``POST /api/archive/extracts`` queues a job that runs the archive
plugin's writer, ``GET /api/archive/extracts/{id}`` follows it; scope ``archive``.

A hub from a TOML file with the archive plugin enabled and bound; its worker makes the
extract from the real case service and blob store."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar.testing import TestClient

from core.services.cases import NewCase
from hub import create_app
from plugins.archive.validation.run import validate
from tests.contract.persistence.builders import new_cpr
from tests.export.hubs import build_test_hub, deliver, header_caller
from tests.plugins.archive.builders import pdf_bytes

ORDERS = "/api/archive/extracts"


@pytest.fixture
def hub(database, standards_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("SAGSHUB_STANDARDS_DIR", str(standards_dir))
    url = database.url.render_as_string(hide_password=False)
    config = """
[plugins]
enabled = ["archive"]

[ports]
archive = ["archive"]

[plugins.archive]
dpi = 100

[archive]
extracts_dir = "extracts"

[jobs]
worker_in_serve = false
"""
    built = build_test_hub(url, tmp_path, config)
    yield built
    built.close()


@pytest.fixture
def client(hub):
    with TestClient(create_app(hub, caller=header_caller)) as client:
        client.headers.update(
            {"x-caller": "arkivar", "x-municipality": str(hub.services.municipality.id)}
        )
        yield client


def as_archivist(client, **headers):
    return {"x-scopes": "archive", **headers}


def closed_case_with_document(hub, title: str, data: bytes):
    cases = hub.services.cases
    case = cases.create_case(
        NewCase(title=title, kle_subject="27.24.00", handlingsfacet="G01", primary_cpr=new_cpr()),
        "caseworker",
    )
    cpr = cases.snapshot(case.id, "test").parties[0].cpr
    deliver(hub, case.id, cpr, data=data, title=f"Brev om {title}")
    return cases.close_case(case.id, "caseworker")


def order(client, **fields):
    body = {"profile": "bek128", "archive_code": "SA", "number": 7, "select": "closed"} | fields
    return client.post(ORDERS, json=body, headers=as_archivist(client))


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_an_ordered_extract_is_made_by_the_worker_and_valid(client, hub, standards_dir):
    closed = [closed_case_with_document(hub, t, pdf_bytes(2)) for t in ("Anbringelse", "Støtte")]
    hub.services.cases.create_case(  # still open: not selected
        NewCase(title="Åben", kle_subject="27.24.00", handlingsfacet="G01"), "caseworker"
    )

    ordered = order(client, profile="bek1007")
    assert ordered.status_code == 202, ordered.text
    status = ordered.json()
    assert ordered.headers["location"] == f"{ORDERS}/{status['id']}"
    assert (status["state"], status["adapter"], status["requested_by"]) == (
        "queued",
        "archive",
        "arkivar",
    )
    assert client.get(ordered.headers["location"], headers=as_archivist(client)).json() == status

    hub.jobs.run_pending()

    done = client.get(ordered.headers["location"], headers=as_archivist(client)).json()
    assert done["state"] == "done", done
    assert (done["cases"], done["documents"], done["pages"]) == (2, 2, 4)
    assert done["error"] is None and done["findings"] == []
    path = Path(done["path"])
    assert path == hub.settings.config_file.parent / "extracts" / "AVID.SA.7.1"
    assert validate(path, standards_dir) == []
    with hub.services.uow_factory(hub.services.municipality.id) as uow:
        reads = [e for e in uow.audit.list(limit=500).items if e.action == "archive"]
    assert {e.actor for e in reads} == {"archive-api:arkivar"}
    assert {e.object_id for e in reads} == {case.id for case in closed}

    again = order(client)
    assert again.status_code == 409
    assert again.json()["field"] == "number" and "is already ordered" in again.json()["detail"]


def test_an_extract_that_cannot_be_made_fails_with_its_findings(client, hub):
    broken = closed_case_with_document(hub, "Ødelagt", b"%PDF-1.7 but nothing after that")

    ordered = order(client, number=8, select=f"number:{broken.number}")
    assert ordered.status_code == 202, ordered.text
    hub.jobs.run_pending()

    failed = client.get(ordered.headers["location"], headers=as_archivist(client)).json()
    assert failed["state"] == "failed"
    assert failed["error"].startswith("documents: 1 document(s) cannot be converted")
    (finding,) = failed["findings"]
    assert "Brev om Ødelagt" in finding
    assert failed["path"] is None and failed["finished_at"] is not None
    assert order(client, number=8, select=f"number:{broken.number}").status_code == 202


def test_orders_need_the_archive_scope_and_name_what_is_wrong(client, hub):
    refused = client.post(ORDERS, json={}, headers={"x-scopes": "cases:read"})
    assert refused.status_code == 403 and "lacks the scope archive" in refused.json()["detail"]
    unknown = f"{ORDERS}/00000000-0000-4000-8000-000000000000"
    assert client.get(unknown, headers={"x-scopes": "cases:read"}).status_code == 403

    bad_selection = order(client, select="sometimes")
    assert bad_selection.status_code == 422
    assert bad_selection.json()["field"] == "select"
    missing_case = order(client, select="number:27.24.00-G01-999-24")
    assert missing_case.status_code == 404 and missing_case.json()["field"] == "select"
    bad_code = order(client, archive_code="sa!")
    assert bad_code.status_code == 400
    assert [e["field"] for e in bad_code.json()["errors"]] == ["body.archive_code"]
    no_adapter = order(client, adapter="rigsarkivet")
    assert no_adapter.status_code == 404 and no_adapter.json()["field"] == "adapter"
    assert client.get(unknown, headers=as_archivist(client)).status_code == 404
    assert hub.jobs.admin.list() == []  # nothing was queued

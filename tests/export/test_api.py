"""The pull endpoints: locked copies as OIO XML under /oio and JSON under /api."""

from __future__ import annotations

import base64
import hashlib
from uuid import uuid4

import pytest
from litestar.testing import TestClient
from lxml import etree

from adapters.oio.namespaces import NSMAP
from adapters.oio.schemas import sf1470_schema, validate
from hub import create_app
from tests.export.hubs import PDF, build_test_hub, header_caller, rich_case


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def hub(request, tmp_path_factory):
    database = request.getfixturevalue(f"{request.param}_db")
    url = database.url.render_as_string(hide_password=False)
    folder = tmp_path_factory.mktemp(f"api-{request.param}")
    built = build_test_hub(url, folder, "[jobs]\nworker_in_serve = false\n")
    yield built
    built.close()


@pytest.fixture
def case(hub):
    return rich_case(hub)


@pytest.fixture(scope="module")
def client(hub):
    with TestClient(create_app(hub, caller=header_caller)) as client:
        yield client


def as_(hub, *scopes, name="sapa", municipality=None):
    return {
        "x-caller": name,
        "x-municipality": str(municipality or hub.services.municipality.id),
        "x-scopes": ",".join(scopes),
    }


def xml(response, standards_dir):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    validate(sf1470_schema(standards_dir, with_sagshub=True), root)
    return root


def texts(root, path):
    return root.xpath(path, namespaces=NSMAP)


def test_a_case_as_sf1470_xml_now_and_as_registered_before(hub, case, client, standards_dir):
    reader = as_(hub, "cases:read")
    now = xml(client.get(f"/oio/sag/{case.case_id}", headers=reader), standards_dir)
    assert texts(now, "sd:UUIDIdentifikator/text()") == [str(case.case_id)]
    posts = texts(now, "//sag:Journalpost")
    assert len(posts) == 2
    assert texts(posts[0], "gd:ReferenceID/sd:UUIDIdentifikator/text()") == [str(case.document_id)]
    (notat,) = texts(now, "//sag:Notat/text()")
    assert base64.b64decode(notat).decode() == "Mor ringede"
    assert texts(now, "//sag:Sagspart/gd:ReferenceID/sd:URNIdentifikator/text()") == [
        f"urn:oio:cpr-nr:{case.cpr}"
    ]
    assert texts(now, "//sh:Aktivitet/sh:Titel/text()") == ["Møde"]

    then = xml(
        client.get(
            f"/oio/sag/{case.case_id}",
            params={"registreringstid": case.before_note.isoformat()},
            headers=reader,
        ),
        standards_dir,
    )
    assert len(texts(then, "//sag:Journalpost")) == 1
    assert texts(then, "//sag:JournalnotatEgenskaber") == []


def test_a_partys_cases_and_the_change_feed(hub, case, client, standards_dir):
    reader = as_(hub, "cases:read")
    listing = xml(
        client.get("/oio/sag", params={"part": f"urn:oio:cpr-nr:{case.cpr}"}, headers=reader),
        standards_dir,
    )
    assert texts(listing, "//sag:ObjektType/sd:UUIDIdentifikator/text()") == [str(case.case_id)]

    everything = client.get("/api/cases/changes", params={"limit": 1000}, headers=reader).json()
    start = next(c["cursor"] for c in everything["changes"] if c["case_id"] == str(case.case_id))
    first = xml(
        client.get("/oio/sag/aendringer", params={"efter": start - 1, "antal": 2}, headers=reader),
        standards_dir,
    )
    assert texts(first, "sh:Aendring/sh:SagUUID/text()") == [str(case.case_id)] * 2
    assert texts(first, "sh:Aendring/sh:Aendringstype/text()") == ["created", "activity"]
    assert texts(first, "sh:Flere/text()") == ["true"]
    (cursor,) = texts(first, "sh:NaesteCursor/text()")
    assert int(cursor) == start + 1
    rest = xml(
        client.get("/oio/sag/aendringer", params={"efter": cursor, "antal": 2}, headers=reader),
        standards_dir,
    )
    assert texts(rest, "sh:Aendring/sh:Aendringstype/text()") == ["document", "journal_note"]
    assert texts(rest, "sh:Aendring/sh:Version/text()") == ["3", "4"]


def test_a_document_its_parts_and_their_bytes_with_etag(hub, case, client, standards_dir):
    reader = as_(hub, "documents:read")
    metadata = xml(client.get(f"/oio/dokument/{case.document_id}", headers=reader), standards_dir)
    (href,) = texts(metadata, "//sh:Del/sh:Href/text()")
    assert href == f"/oio/dokument/{case.document_id}/dele/{case.sha256}"
    assert texts(metadata, "//sh:Del/sh:Stoerrelse/text()") == [str(len(PDF))]

    download = client.get(href, headers=reader)
    assert download.status_code == 200
    assert download.content == PDF
    assert hashlib.sha256(download.content).hexdigest() == case.sha256
    assert download.headers["etag"] == f'"{case.sha256}"'
    assert download.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''underretning%20%C3%A6.pdf" in download.headers["content-disposition"]

    unchanged = client.get(href, headers={**reader, "If-None-Match": f'W/"{case.sha256}"'})
    assert unchanged.status_code == 304 and unchanged.content == b""
    missing = client.get(f"/oio/dokument/{case.document_id}/dele/{'0' * 64}", headers=reader)
    assert missing.status_code == 404 and missing.json()["field"] == "sha256"


def test_the_json_twins(hub, case, client):
    cases, documents = as_(hub, "cases:read"), as_(hub, "documents:read")
    snapshot = client.get(f"/api/cases/{case.case_id}", headers=cases).json()
    assert snapshot["case"]["id"] == str(case.case_id)
    assert [n["title"] for n in snapshot["journal_notes"]] == ["Samtale"]
    earlier = client.get(
        f"/api/cases/{case.case_id}",
        params={"registered_at": case.before_note.isoformat()},
        headers=cases,
    ).json()
    assert earlier["journal_notes"] == []
    assert [
        s["case"]["id"]
        for s in client.get(
            "/api/cases", params={"party": f"urn:oio:cpr-nr:{case.cpr}"}, headers=cases
        ).json()
    ] == [str(case.case_id)]
    feed = client.get("/api/cases/changes", params={"limit": 1000}, headers=cases).json()
    mine = [c for c in feed["changes"] if c["case_id"] == str(case.case_id)]
    assert [(c["version"], c["change"]) for c in mine] == [
        (1, "created"),
        (2, "activity"),
        (3, "document"),
        (4, "journal_note"),
    ]
    assert feed["next_cursor"] == feed["changes"][-1]["cursor"] and feed["more"] is False
    document = client.get(f"/api/documents/{case.document_id}", headers=documents).json()
    assert document["links"][0]["case_id"] == str(case.case_id)
    part = client.get(f"/api/documents/{case.document_id}/parts/{case.sha256}", headers=documents)
    assert part.content == PDF and part.headers["etag"] == f'"{case.sha256}"'


def test_every_read_is_audited_with_who_and_what(hub, case, client):
    reader = as_(hub, "cases:read", "documents:read", name="sapa-prod")
    client.get(f"/oio/sag/{case.case_id}", headers=reader)
    client.get(f"/api/documents/{case.document_id}/parts/{case.sha256}", headers=reader)
    client.get("/oio/sag/aendringer", headers=reader)
    with hub.services.uow_factory(hub.services.municipality.id) as uow:
        entries = uow.audit.list(actor="sapa-prod").items
    assert {(e.action, e.object_type, e.object_id) for e in entries} == {
        ("read", "case", case.case_id),
        ("download", "document", case.document_id),
        ("read", "case_feed", None),
    }
    assert {e.municipality_id for e in entries} == {hub.services.municipality.id}


def test_scopes_and_municipality_are_enforced(hub, case, client):
    assert client.get(f"/oio/sag/{case.case_id}").status_code == 401
    documents_only = as_(hub, "documents:read")
    refused = client.get(f"/oio/sag/{case.case_id}", headers=documents_only)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert client.get(f"/api/cases/{case.case_id}", headers=documents_only).status_code == 403
    stranger = as_(hub, "cases:read", municipality=uuid4())
    assert client.get(f"/oio/sag/{case.case_id}", headers=stranger).status_code == 403


def test_bad_requests_are_problems_naming_the_field(hub, case, client):
    reader = as_(hub, "cases:read")
    unknown = client.get(f"/oio/sag/{uuid4()}", headers=reader)
    assert unknown.status_code == 404 and unknown.json()["field"] == "case_id"
    bad_party = client.get("/oio/sag", params={"part": case.cpr}, headers=reader)
    assert bad_party.status_code == 422 and bad_party.json()["field"] == "part"
    too_early = client.get(
        f"/oio/sag/{case.case_id}",
        params={"registreringstid": "2001-01-01T00:00:00Z"},
        headers=reader,
    )
    assert too_early.status_code == 404 and too_early.json()["field"] == "registreringstid"


def test_without_authentication_the_hub_refuses_every_read(hub, case):
    with TestClient(create_app(hub)) as client:
        response = client.get(f"/oio/sag/{case.case_id}", headers=as_(hub, "cases:read"))
    assert response.status_code == 401
    assert response.json()["status"] == 401

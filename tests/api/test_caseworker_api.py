"""The caseworker API: cases, documents, inboxes and notices, each read audited."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote
from uuid import UUID

import pytest

from core.models import utcnow
from tests.intake.envelopes import CPR, PDF, PartSpec, VariantSpec, envelope, sha

CASES_RW = "cases:read,cases:write,documents:read,inbox"


@pytest.fixture
def hanne(world):
    return world.caseworker("hanne")


@pytest.fixture
def as_hanne(keys, hanne):
    return keys.caseworker("hanne", CASES_RW)


@pytest.fixture
def scanner(keys):
    return keys.client("scanner-01", "intake")


def deliver(http, headers, message_id: str, **fields) -> dict:
    data = envelope(message_id=message_id, **fields)
    response = http.post(
        "/oio/dokument", content=data, headers=headers | {"Content-Type": "application/xml"}
    )
    assert response.status_code == 201, response.text
    return response.json()


def audited(hub, actor: str, action: str, object_id) -> bool:
    with hub.services.uow_factory(hub.services.municipality.id) as uow:
        entries = uow.audit.list(object_id=UUID(str(object_id)), actor=actor).items
    return any(entry.action == action for entry in entries)


def test_create_a_case_add_an_activity_and_a_note_then_read_it_all(http, hub, hanne, as_hanne):
    created = http.post(
        "/api/cases",
        json={
            "title": "Særlig støtte",
            "kle_subject": "27.24.00",
            "handlingsfacet": "G01",
            "primary_cpr": CPR,
            "caseworker": "hanne",
        },
        headers=as_hanne,
    )
    assert created.status_code == 201, created.text
    case = created.json()
    assert case["number"].startswith("27.24.00-G01-") and case["caseworker_id"] == str(hanne.id)
    assert case["links"] == {"self": f"/api/cases/{case['id']}"}

    activity = http.post(
        f"/api/cases/{case['id']}/activities",
        json={"title": "Børnefaglig undersøgelse", "kind": "undersoegelse"},
        headers=as_hanne,
    )
    assert activity.status_code == 201
    note = http.post(
        f"/api/cases/{case['id']}/journal-notes",
        json={"title": "Samtale", "text": "Barnet er glad.", "activity_id": activity.json()["id"]},
        headers=as_hanne,
    )
    assert note.status_code == 201
    assert note.json()["author_id"] == str(hanne.id)

    detail = http.get(f"/api/cases/{case['id']}", headers=as_hanne).json()
    assert detail["case"]["id"] == case["id"]
    assert [p["cpr"] for p in detail["parties"]] == [CPR]
    assert [a["title"] for a in detail["activities"]] == ["Børnefaglig undersøgelse"]
    assert [n["text"] for n in detail["journal_notes"]] == ["Barnet er glad."]
    assert audited(hub, "hanne", "read", case["id"])


def test_a_case_shows_its_documents_and_how_they_got_there(http, world, as_hanne, scanner):
    case = world.case(world.person(CPR))
    receipt = deliver(http, scanner, "m-1")

    detail = http.get(f"/api/cases/{case.id}", headers=as_hanne).json()
    (document,) = detail["documents"]
    assert document["id"] == receipt["document_id"]
    (placement,) = detail["placements"]
    assert (placement["rule"], placement["reason"]) == (receipt["rule"], receipt["reason"])
    assert detail["links"][0]["case_id"] == str(case.id)


def test_search_by_cpr_or_number_and_no_cpr_in_the_url(http, hub, world, as_hanne):
    child = world.person(CPR)
    first, second = world.case(child), world.case(child)

    by_cpr = http.post("/api/cases/search", json={"cpr": CPR}, headers=as_hanne)
    assert by_cpr.status_code == 200
    assert {c["id"] for c in by_cpr.json()} == {str(first.id), str(second.id)}
    by_number = http.post("/api/cases/search", json={"number": second.number}, headers=as_hanne)
    assert [c["number"] for c in by_number.json()] == [second.number]
    assert audited(hub, "hanne", "search", first.id)

    bad = http.post("/api/cases/search", json={"cpr": "3213901234"}, headers=as_hanne)
    assert bad.status_code == 400 and "3213901234" not in bad.text


def test_a_document_and_its_bytes(http, hub, world, as_hanne, scanner):
    name = 'Underretning æøå "1".pdf'
    spec = PartSpec(file_name=name)
    receipt = deliver(http, scanner, "m-1", variants=[VariantSpec(parts=[spec])])
    url = f"/api/documents/{receipt['document_id']}"

    detail = http.get(url, headers=as_hanne).json()
    assert detail["document"]["title"] == "Underretning fra skolen"
    assert [p["cpr"] for p in detail["parties"]] == [CPR]

    download = http.get(f"{url}/parts/{sha(PDF)}", headers=as_hanne)
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-length"] == str(len(PDF))
    disposition = download.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="')
    assert disposition.endswith(f"filename*=UTF-8''{quote(name)}")
    assert audited(hub, "hanne", "download", receipt["document_id"])
    assert http.get(f"{url}/parts/{'0' * 64}", headers=as_hanne).status_code == 404


def test_inboxes_filter_and_page(http, world, hanne, as_hanne, scanner):
    world.caseworker("bo")
    deliver(http, scanner, "common-1", parties=())
    deliver(http, scanner, "common-2", parties=(), channel="email")
    deliver(http, scanner, "hanne-1", parties=(), after_document="<Caseworker>hanne</Caseworker>")
    deliver(http, scanner, "bo-1", parties=(), after_document="<Caseworker>bo</Caseworker>")
    deliver(http, scanner, "cpr-1", parties=(f"urn:oio:cpr-nr:{CPR}",))

    def inbox(**query) -> dict:
        response = http.get("/api/inbox", params=query, headers=as_hanne)
        assert response.status_code == 200, response.text
        return response.json()

    mine_and_common = inbox()
    assert mine_and_common["total"] == 4  # hanne's and the common inbox, not bo's
    assert all(i["caseworker_id"] in (None, str(hanne.id)) for i in mine_and_common["items"])
    assert inbox(common="true", caseworker_id=str(hanne.id))["total"] == 4
    assert inbox(common="true")["total"] == 3
    assert inbox(caseworker_id=str(hanne.id))["total"] == 1
    assert inbox(channel="email")["total"] == 1
    assert inbox(has_cpr="true")["total"] == 1
    assert inbox(has_cpr="false")["total"] == 3
    page = inbox(limit=2, offset=2)
    assert (page["total"], len(page["items"]), page["offset"]) == (4, 2, 2)
    future = (utcnow() + timedelta(hours=1)).isoformat()
    assert inbox(received_from=future)["total"] == 0
    assert inbox(received_to=future)["total"] == 4
    naive = http.get(
        "/api/inbox", params={"received_from": "2024-01-01T00:00:00"}, headers=as_hanne
    )
    assert (naive.status_code, naive.json()["field"]) == (422, "received_from")


def test_placing_an_inbox_item_by_hand_records_who(http, hub, world, hanne, as_hanne, scanner):
    case = world.case()
    activity = world.activity(case)
    receipt = deliver(http, scanner, "m-1", parties=())
    item_id = receipt["inbox_item_id"]
    body = {"case_id": str(case.id), "activity_id": str(activity.id), "reason": "om skolen"}

    placed = http.post(f"/api/inbox/{item_id}/placement", json=body, headers=as_hanne)
    assert placed.status_code == 201, placed.text
    placement = placed.json()
    assert placement["placed_by"] == str(hanne.id) and placement["rule"] == "manual"
    assert (placement["target"], placement["activity_id"]) == ("activity", str(activity.id))

    again = http.post(f"/api/inbox/{item_id}/placement", json=body, headers=as_hanne)
    assert again.status_code == 409
    history = http.get(f"/api/cases/{case.id}", headers=as_hanne).json()["placements"]
    assert [p["placed_by"] for p in history] == [str(hanne.id)]
    assert http.get("/api/inbox", headers=as_hanne).json()["total"] == 0


def test_placing_on_an_unknown_case_is_404(http, world, as_hanne, scanner):
    item_id = deliver(http, scanner, "m-1", parties=())["inbox_item_id"]
    body = {"case_id": "7b0a3c1e-2d4f-4a6b-8c9d-0e1f2a3b4c5d"}
    response = http.post(f"/api/inbox/{item_id}/placement", json=body, headers=as_hanne)
    assert response.status_code == 404 and response.json()["field"] == "case_id"


def test_a_caseworker_sees_and_reads_the_notices_of_their_inbox(
    http, world, hanne, as_hanne, keys, scanner
):
    world.caseworker("bo")
    as_bo = keys.caseworker("bo", "inbox")
    receipt = deliver(
        http, scanner, "m-1", parties=(), after_document="<Caseworker>hanne</Caseworker>"
    )

    (notice,) = http.get("/api/notices", headers=as_hanne).json()
    assert notice["document_id"] == receipt["document_id"] and notice["read_at"] is None
    assert http.get("/api/notices", headers=as_bo).json() == []
    assert http.post(f"/api/notices/{notice['id']}/read", headers=as_bo).status_code == 404

    assert http.post(f"/api/notices/{notice['id']}/read", headers=as_hanne).status_code == 204
    assert http.get("/api/notices", params={"unread_only": "true"}, headers=as_hanne).json() == []
    assert http.get("/api/notices", headers=as_hanne).json()[0]["read_at"] is not None

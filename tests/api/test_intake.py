"""Delivering documents over HTTP: the three shapes, receipts, idempotency, limits."""

from __future__ import annotations

import json

import pytest

from tests.intake.envelopes import CPR, PDF, PNG, PartSpec, VariantSpec, envelope, sha

from .conftest import stored
from .multipart import form_data, related

XML = {"Content-Type": "application/xml"}


@pytest.fixture
def intake_key(keys):
    return keys.client("scanner-01", "intake")


def post_envelope(http, headers, data: bytes, **kwargs):
    return http.post("/oio/dokument", content=data, headers=headers | XML, **kwargs)


def on_case(number: str, **parts) -> bytes:
    return envelope(case=f"<Case><CaseNumber>{number}</CaseNumber></Case>", **parts)


def test_an_envelope_lands_on_its_case_and_the_receipt_says_so(http, hub, world, intake_key):
    case = world.case(world.person(CPR))
    response = post_envelope(http, intake_key, on_case(case.number))

    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["target"] == "case"
    assert (receipt["case_id"], receipt["case_number"]) == (str(case.id), case.number)
    assert receipt["rule"] and receipt["reason"] and receipt["duplicate"] is False
    document_url = f"/api/documents/{receipt['document_id']}"
    assert response.headers["location"] == document_url
    assert receipt["links"] == {"document": document_url, "case": f"/api/cases/{case.id}"}
    assert stored(hub).files == [sha(PDF)] and stored(hub).staged == []


def test_a_known_cpr_with_one_open_case_places_it_there(http, world, intake_key):
    case = world.case(world.person(CPR))
    receipt = post_envelope(http, intake_key, envelope()).json()
    assert (receipt["target"], receipt["case_id"]) == ("case", str(case.id))


def test_nothing_known_lands_in_the_common_inbox(http, intake_key):
    receipt = post_envelope(http, intake_key, envelope(parties=())).json()
    assert receipt["target"] == "common_inbox" and receipt["inbox_item_id"]


def test_a_repeat_gets_the_first_receipt_and_stores_nothing_new(http, hub, intake_key):
    first = post_envelope(http, intake_key, envelope())
    again = post_envelope(http, intake_key, envelope())

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json() | {"duplicate": True}
    assert stored(hub).documents == 1 and stored(hub).staged == []


def test_the_same_message_id_with_other_content_is_a_conflict(http, hub, intake_key):
    post_envelope(http, intake_key, envelope())
    other = b"%PDF-1.7 another letter"
    response = post_envelope(
        http, intake_key, envelope(variants=[VariantSpec(parts=[PartSpec(data=other)])])
    )

    assert response.status_code == 409
    assert response.json()["field"] == "/Envelope/Sender/MessageId"
    assert stored(hub) == stored(hub).__class__(1, [sha(PDF)], [])


def test_files_as_multipart_related_parts_found_by_content_id(http, hub, intake_key):
    parts = [PartSpec(cid="brev@x"), PartSpec("bilag.png", "image/png", PNG, cid="bilag@x")]
    data = envelope(variants=[VariantSpec(parts=parts)])
    body, content_type = related(
        [
            ("envelope@x", "application/xml", data),
            ("brev@x", "application/pdf", PDF),
            ("bilag@x", "image/png", PNG),
        ],
        start="envelope@x",
    )
    response = http.post(
        "/oio/dokument", content=body, headers=intake_key | {"Content-Type": content_type}
    )

    assert response.status_code == 201, response.text
    assert sorted(stored(hub).files) == sorted([sha(PDF), sha(PNG)])


def test_files_may_come_before_the_envelope_that_start_names(http, hub, intake_key):
    data = envelope(variants=[VariantSpec(parts=[PartSpec(cid="brev@x")])])
    body, content_type = related(
        [("brev@x", "application/pdf", PDF), ("envelope@x", "application/xml", data)],
        start="<envelope@x>",
    )
    response = http.post(
        "/oio/dokument", content=body, headers=intake_key | {"Content-Type": content_type}
    )
    assert response.status_code == 201, response.text
    assert stored(hub).documents == 1


def test_the_envelope_as_multipart_form_data(http, hub, intake_key):
    data = envelope(variants=[VariantSpec(parts=[PartSpec(cid="brev")])])
    body, content_type = form_data(
        [("envelope", None, "application/xml", data), ("brev", "brev.pdf", "application/pdf", PDF)]
    )
    response = http.post(
        "/oio/dokument", content=body, headers=intake_key | {"Content-Type": content_type}
    )
    assert response.status_code == 201, response.text


def metadata(**changes) -> bytes:
    data = {
        "sender": {"system": "scanner-01", "message_id": "json-1"},
        "channel": "form",
        "document": {"titel": "Ansøgning", "type": "Brev, indgaaende"},
        "parties": [f"urn:oio:cpr-nr:{CPR}"],
        "variants": [
            {
                "name": "arkiv",
                "parts": [
                    {
                        "file_name": "ansøgning.pdf",
                        "mime_type": "application/pdf",
                        "sha256": sha(PDF),
                        "file": "arkiv-1",
                    }
                ],
            }
        ],
    }
    return json.dumps(data | changes).encode()


@pytest.mark.parametrize("metadata_first", [True, False])
def test_json_metadata_and_files(http, hub, world, intake_key, metadata_first):
    case = world.case(world.person(CPR))
    fields = [
        ("metadata", None, "application/json", metadata()),
        ("arkiv-1", "ansøgning.pdf", "application/pdf", PDF),
    ]
    body, content_type = form_data(fields if metadata_first else fields[::-1])
    response = http.post(
        "/api/documents", content=body, headers=intake_key | {"Content-Type": content_type}
    )

    assert response.status_code == 201, response.text
    assert response.json()["case_id"] == str(case.id)
    assert stored(hub).files == [sha(PDF)] and stored(hub).staged == []


def test_a_client_delivers_only_as_its_own_sender_system(http, hub, keys):
    other = keys.client("forms-01", "intake")
    response = post_envelope(http, other, envelope())

    assert response.status_code == 403
    assert response.json()["field"] == "/Envelope/Sender/System"
    assert stored(hub) == stored(hub).__class__(0, [], [])


def test_json_metadata_naming_another_sender_is_refused(http, hub, keys):
    headers = keys.client("forms-01", "intake")
    body, content_type = form_data(
        [
            ("metadata", None, "application/json", metadata()),
            ("arkiv-1", "a.pdf", "application/pdf", PDF),
        ]
    )
    response = http.post(
        "/api/documents", content=body, headers=headers | {"Content-Type": content_type}
    )
    assert response.status_code == 403
    assert response.json()["field"] == "sender.system"
    assert stored(hub).staged == [] and stored(hub).documents == 0


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/oio/dokument", "application/json"),
        ("/oio/dokument", "text/plain"),
        ("/api/documents", "application/xml"),
    ],
)
def test_other_content_types_are_415(http, intake_key, path, content_type):
    response = http.post(
        path, content=envelope(), headers=intake_key | {"Content-Type": content_type}
    )
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "Content-Type"

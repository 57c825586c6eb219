"""Hostile and broken deliveries: a 4xx problem naming the field, and nothing stored.

After every refusal the hub holds no document row, no stored file and no staged
(half-received) file.
"""

from __future__ import annotations

import json

import pytest

from tests.intake.envelopes import PDF, PNG, PartSpec, VariantSpec, envelope
from tests.intake.test_hostile_envelopes import (
    BILLION_LAUGHS,
    BODY,
    DECL,
    QUADRATIC,
    XXE_FILE,
    XXE_NETWORK,
    XXE_PARAMETER,
)

from .conftest import Stored, stored
from .multipart import BOUNDARY, form_data, related

NOTHING = Stored(documents=0, files=[], staged=[])
PART_1 = "/Envelope/Variants/Variant[1]/Part[1]"


@pytest.fixture
def headers(keys):
    return keys.client("scanner-01", "intake")


def refused(response, status: int, field: str | None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    assert problem.get("field") == field
    return problem


def post_xml(http, headers, data: bytes):
    return http.post(
        "/oio/dokument", content=data, headers=headers | {"Content-Type": "application/xml"}
    )


HOSTILE = {
    "xxe-file": XXE_FILE,
    "xxe-network": XXE_NETWORK,
    "xxe-parameter-entity": XXE_PARAMETER,
    "billion-laughs": BILLION_LAUGHS,
    "quadratic-blow-up": QUADRATIC,
    "empty-doctype": DECL + b"<!DOCTYPE Envelope>" + BODY,
}


@pytest.mark.parametrize("data", list(HOSTILE.values()), ids=list(HOSTILE))
def test_entity_tricks_and_any_doctype_are_refused_unparsed(http, hub, headers, data):
    problem = refused(post_xml(http, headers, data), 400, "envelope")
    assert problem["type"] == "urn:sagshub:problem:payload-rejected"
    assert "DOCTYPE" in problem["detail"]
    assert "root:" not in problem["detail"]  # no /etc/passwd
    assert stored(hub) == NOTHING


def test_deep_nesting_is_refused_at_the_limit(http, hub, headers):
    data = b"<Envelope>" + b"<a>" * 10_000 + b"</a>" * 10_000 + b"</Envelope>"
    problem = refused(post_xml(http, headers, data), 400, "/Envelope" + "/a" * 32)
    assert "deeper than 32" in problem["detail"]
    assert stored(hub) == NOTHING


def test_xml_that_is_not_well_formed_is_refused(http, hub, headers):
    refused(post_xml(http, headers, envelope()[:-20]), 400, "envelope")
    assert stored(hub) == NOTHING


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (envelope(titel=""), "/Envelope/Document/Titel", "Titel"),
        (
            envelope(variants=[VariantSpec(parts=[PartSpec(), PartSpec(inline_text="JVBE!!")])]),
            "/Envelope/Variants/Variant[1]/Part[2]/Inline",
            "base64",
        ),
        (
            envelope(variants=[VariantSpec(parts=[PartSpec(), PartSpec(sha256="0" * 64)])]),
            "/Envelope/Variants/Variant[1]/Part[2]/Sha256",
            "sha256",
        ),
        (
            envelope(variants=[VariantSpec(parts=[PartSpec("x.png", "image/png", PDF)])]),
            f"{PART_1}/MimeType",
            "image/png",
        ),
        (
            envelope(parties=("urn:oio:cpr-nr:3113901234",)),
            "/Envelope/Parties/Party[1]",
            "real date",
        ),
    ],
    ids=["schema-invalid", "bad-base64", "sha256-mismatch", "mime-contradiction", "invalid-cpr"],
)
def test_invalid_values_are_422_naming_the_field(http, hub, headers, data, field, words):
    problem = refused(post_xml(http, headers, data), 422, field)
    assert problem["type"] == "urn:sagshub:problem:invalid-value"
    assert words in problem["detail"]
    assert "3113901234" not in json.dumps(problem)
    assert stored(hub) == NOTHING


@pytest.mark.parametrize(
    "case",
    [
        "<Case><CaseNumber>27.24.00-G01-999-23</CaseNumber></Case>",
        "<Case><CaseId>7b0a3c1e-2d4f-4a6b-8c9d-0e1f2a3b4c5d</CaseId></Case>",
    ],
)
def test_an_unknown_case_is_404_naming_the_case(http, hub, headers, case):
    problem = refused(post_xml(http, headers, envelope(case=case)), 404, "/Envelope/Case")
    assert problem["type"] == "urn:sagshub:problem:not-found"
    assert stored(hub) == NOTHING


def test_an_unknown_activity_is_404_naming_it(http, hub, world, headers):
    case = world.case()
    xml = (
        f"<Case><CaseNumber>{case.number}</CaseNumber>"
        "<ActivityId>7b0a3c1e-2d4f-4a6b-8c9d-0e1f2a3b4c5d</ActivityId></Case>"
    )
    refused(post_xml(http, headers, envelope(case=xml)), 404, "/Envelope/Case/ActivityId")
    assert stored(hub) == NOTHING


def cid_envelope(*cids: str) -> bytes:
    parts = [PartSpec(f"f{n}.pdf", cid=cid) for n, cid in enumerate(cids)]
    return envelope(variants=[VariantSpec(parts=parts)])


def post_related(http, headers, parts, start="env@x"):
    body, content_type = related(parts, start=start)
    return http.post(
        "/oio/dokument", content=body, headers=headers | {"Content-Type": content_type}
    )


def test_a_missing_cid_part_is_refused_and_the_arrived_parts_discarded(http, hub, headers):
    data = cid_envelope("a@x", "b@x")
    response = post_related(
        http, headers, [("env@x", "application/xml", data), ("a@x", "application/pdf", PDF)]
    )
    problem = refused(response, 422, "/Envelope/Variants/Variant[1]/Part[2]/ContentRef")
    assert "b@x" in problem["detail"]
    assert stored(hub) == NOTHING


def test_a_part_no_one_refers_to_is_refused(http, hub, headers):
    parts = [
        ("env@x", "application/xml", cid_envelope("a@x")),
        ("a@x", "application/pdf", PDF),
        ("stray@x", "application/pdf", PDF),
    ]
    refused(post_related(http, headers, parts), 422, "stray@x")
    assert stored(hub) == NOTHING


def test_a_cid_part_with_other_bytes_than_declared_discards_everything(http, hub, headers):
    parts = [
        ("env@x", "application/xml", cid_envelope("a@x", "b@x")),
        ("a@x", "application/pdf", PDF),
        ("b@x", "application/pdf", PNG),
    ]
    refused(post_related(http, headers, parts), 422, "/Envelope/Variants/Variant[1]/Part[2]/Sha256")
    assert stored(hub) == NOTHING


def test_a_body_cut_off_before_its_closing_boundary_is_refused(http, hub, headers):
    body, content_type = related(
        [("env@x", "application/xml", cid_envelope("a@x")), ("a@x", "application/pdf", PDF)],
        start="env@x",
    )
    cut = body[: body.rindex(f"--{BOUNDARY}--".encode())]
    response = http.post(
        "/oio/dokument", content=cut, headers=headers | {"Content-Type": content_type}
    )
    refused(response, 422, "body")
    assert stored(hub) == NOTHING


def test_a_multipart_body_without_a_boundary_is_refused(http, headers):
    response = http.post(
        "/oio/dokument", content=b"x", headers=headers | {"Content-Type": "multipart/related"}
    )
    refused(response, 422, "Content-Type")


@pytest.mark.parametrize(
    ("metadata", "field"),
    [
        (b"{not json", "metadata"),
        (b'{"sender": {"system": "scanner-01", "message_id": "m"}}', "channel"),
        (
            json.dumps(
                {
                    "sender": {"system": "scanner-01", "message_id": "m"},
                    "channel": "form",
                    "document": {"titel": "T"},
                    "surprise": 1,
                    "variants": [
                        {
                            "name": "a",
                            "parts": [
                                {"file_name": "a.pdf", "mime_type": "application/pdf", "file": "f"}
                            ],
                        }
                    ],
                }
            ).encode(),
            "surprise",
        ),
    ],
    ids=["not-json", "missing-field", "unknown-field"],
)
def test_bad_json_metadata_is_422_naming_the_field(http, hub, headers, metadata, field):
    body, content_type = form_data(
        [("metadata", None, "application/json", metadata), ("f", "a.pdf", "application/pdf", PDF)]
    )
    response = http.post(
        "/api/documents", content=body, headers=headers | {"Content-Type": content_type}
    )
    refused(response, 422, field)
    assert stored(hub) == NOTHING


def test_a_json_delivery_without_metadata_is_refused(http, hub, headers):
    body, content_type = form_data([("f", "a.pdf", "application/pdf", PDF)])
    response = http.post(
        "/api/documents", content=body, headers=headers | {"Content-Type": content_type}
    )
    refused(response, 422, "metadata")
    assert stored(hub) == NOTHING

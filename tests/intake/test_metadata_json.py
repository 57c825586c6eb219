"""The JSON metadata of POST /api/documents: same model, same translation as the envelope."""

from __future__ import annotations

import json

import pytest

from adapters.intake.delivery import Delivery
from adapters.intake.metadata import json_field, parse_metadata_json
from adapters.intake.xml_envelope import parse_envelope
from core.errors import Conflict, InvalidValue, NotFound

from .envelopes import CPR, PDF, PNG, PartSpec, VariantSpec, envelope, sha


def metadata(**changes) -> dict:
    data = {
        "sender": {"system": "scanner-01", "message_id": "msg-1"},
        "channel": "scanning",
        "document": {
            "titel": "Underretning fra skolen",
            "brev_dato": "2024-05-01",
            "type": "Brev, indgaaende",
        },
        "parties": [f"urn:oio:cpr-nr:{CPR}"],
        "variants": [
            {
                "name": "arkiv",
                "parts": [
                    {
                        "file_name": "brev.pdf",
                        "mime_type": "application/pdf",
                        "sha256": sha(PDF),
                        "file": "brev",
                    },
                    {"file_name": "bilag.png", "mime_type": "image/png", "file": "bilag"},
                ],
            }
        ],
    }
    data.update(changes)
    return data


def refused(data: dict, staging) -> InvalidValue:
    with pytest.raises(InvalidValue) as caught:
        Delivery(parse_metadata_json(json.dumps(data)), staging)
    return caught.value


def test_json_delivery_translates_exactly_like_the_equivalent_envelope(blobs, staging):
    delivery = Delivery(parse_metadata_json(json.dumps(metadata())), staging)
    assert delivery.pending == ("brev", "bilag")
    delivery.stage("brev", [PDF])
    delivery.stage("bilag", [PNG])
    from_json = delivery.to_incoming()

    parts = [PartSpec(), PartSpec("bilag.png", "image/png", PNG, sha256=None)]
    from_xml = parse_envelope(envelope(variants=[VariantSpec(parts=parts)]), staging)

    assert from_json.fingerprint() == from_xml.to_incoming().fingerprint()
    assert from_json.cprs == [CPR]
    assert len(blobs.staged_files()) == 4


async def test_files_stream_in_asynchronously(blobs, staging):
    delivery = Delivery(parse_metadata_json(json.dumps(metadata())), staging)

    async def chunks(data: bytes):
        yield data

    await delivery.astage("brev", chunks(PDF))
    await delivery.astage("bilag", chunks(PNG))
    assert [p.size for p in delivery.to_incoming().variants[0].parts] == [len(PDF), len(PNG)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"parties": ["urn:oio:cpr-nr:0101901234", "urn:oio:cpr-nr:0113901234"]}, "parties[1]"),
        ({"parties": ["urn:oio:cvr-nr:12345678"]}, "parties[0]"),
        ({"parties": ["cpr:0101901234"]}, "parties[0]"),
        ({"document": {"brev_dato": "2024-05-01"}}, "document.titel"),
        ({"document": {"titel": "x", "type": "Memo"}}, "document.type"),
        ({"channel": "migration"}, "channel"),
        (
            {"case": {"id": "4f1c2a8e-3b7d-4c55-9e0a-1d2b3c4d5e6f", "number": "27.24.00-G01-5-24"}},
            "case",
        ),
        ({"case": {"number": "27.24.00-G1-5-24"}}, "case.number"),
        ({"caseworker": "j doe"}, "caseworker"),
        ({"sender": {"system": "scanner-01"}}, "sender.message_id"),
        ({"unknown": 1}, "unknown"),
        ({"variants": []}, "variants"),
    ],
)
def test_invalid_metadata_names_the_json_field(changes, field, staging):
    assert refused(metadata(**changes), staging).field == field


def test_invalid_json_names_the_metadata_field():
    with pytest.raises(InvalidValue) as caught:
        parse_metadata_json(b"{not json")
    assert caught.value.field == "metadata"


def test_the_cpr_is_not_repeated_in_the_error(staging):
    error = refused(metadata(parties=["urn:oio:cpr-nr:3113901234"]), staging)
    assert "3113901234" not in str(error)


@pytest.mark.parametrize(
    ("variants", "field", "what"),
    [
        (
            [
                {
                    "name": "arkiv",
                    "parts": [{"file_name": "a.pdf", "mime_type": "application/pdf", "file": "a"}],
                }
            ]
            * 2,
            "variants[1].name",
            "variant names",
        ),
        (
            [
                {
                    "name": "arkiv",
                    "parts": [{"file_name": "a.pdf", "mime_type": "application/pdf", "file": "a"}]
                    * 2,
                }
            ],
            "variants[0].parts[1].file",
            "file references",
        ),
    ],
)
def test_repeated_names_are_refused(variants, field, what, staging):
    error = refused(metadata(variants=variants), staging)
    assert error.field == field
    assert what in error.message


def test_repeated_party(staging):
    urn = f"urn:oio:cpr-nr:{CPR}"
    assert refused(metadata(parties=[urn, urn]), staging).field == "parties[1]"


def test_part_without_file_reference_cannot_be_completed(blobs, staging):
    data = metadata()
    del data["variants"][0]["parts"][1]["file"]
    delivery = Delivery(parse_metadata_json(json.dumps(data)), staging)
    delivery.stage("brev", [PDF])
    with pytest.raises(InvalidValue) as caught:
        delivery.to_incoming()
    assert caught.value.field == "variants[0].parts[1].file"
    assert blobs.staged_files() == []


def test_wrong_file_bytes_name_the_json_field(blobs, staging):
    delivery = Delivery(parse_metadata_json(json.dumps(metadata())), staging)
    delivery.stage("brev", [PDF])
    with pytest.raises(InvalidValue) as caught:
        delivery.stage("bilag", [PDF])
    assert caught.value.field == "variants[0].parts[1].mime_type"
    assert blobs.staged_files() == []


def test_json_field():
    assert json_field(()) == "metadata"
    assert json_field(("variants", 0, "parts", 1, "sha256")) == "variants[0].parts[1].sha256"


def test_core_errors_are_renamed_to_the_json_fields(staging):
    delivery = Delivery(parse_metadata_json(json.dumps(metadata())), staging)
    conflict = delivery.in_senders_terms(Conflict("used before", field="message_id"))
    assert (type(conflict), conflict.field, conflict.message) == (
        Conflict,
        "sender.message_id",
        "used before",
    )
    assert delivery.in_senders_terms(NotFound("no", field="activity")).field == "case.activity_id"
    assert delivery.in_senders_terms(NotFound("no", field="other")).field == "other"

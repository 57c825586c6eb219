"""Valid envelopes become IncomingDocuments with their files staged."""

from __future__ import annotations

import base64
from uuid import UUID

import pytest

from adapters.intake.staging import DeliveryStaging
from adapters.intake.xml_envelope import aparse_envelope, content_id, parse_envelope, xml_field
from core.errors import InvalidValue
from core.models import Channel

from .envelopes import CPR, CVR, PDF, PNG, PartSpec, VariantSpec, envelope, sha

CASE_ID = "4f1c2a8e-3b7d-4c55-9e0a-1d2b3c4d5e6f"
ACTIVITY_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


def staged_bytes(blobs, token: str) -> bytes:
    return (blobs.staging / token).read_bytes()


def test_inline_part_is_staged_and_translated(blobs, staging):
    delivery = parse_envelope(envelope(), staging)
    incoming = delivery.to_incoming()

    assert incoming.sender_system == "scanner-01"
    assert incoming.message_id == "msg-1"
    assert incoming.title == "Underretning fra skolen"
    assert incoming.letter_date.isoformat() == "2024-05-01"
    assert incoming.doc_type == "Brev, indgaaende"
    assert incoming.channel is Channel.SCANNING
    assert incoming.cprs == [CPR]
    assert delivery.pending == ()
    [variant] = incoming.variants
    [part] = variant.parts
    assert (variant.name, part.name, part.mime_type) == ("arkiv", "brev.pdf", "application/pdf")
    assert (part.size, part.sha256) == (len(PDF), sha(PDF))
    assert staged_bytes(blobs, part.staging_token) == PDF
    assert blobs.staged_files() == [part.staging_token]


def test_cid_parts_stay_pending_until_their_bytes_are_staged(blobs, staging):
    spec = PartSpec(file_name="bilag.png", mime_type="image/png", data=PNG, cid="bilag-1@scanner")
    delivery = parse_envelope(envelope(variants=[VariantSpec(parts=[PartSpec(), spec])]), staging)

    assert delivery.pending == ("bilag-1@scanner",)
    assert delivery.expects(content_id("<bilag-1@scanner>"))
    delivery.stage("bilag-1@scanner", [PNG[:5], PNG[5:]])

    assert delivery.pending == ()
    parts = delivery.to_incoming().variants[0].parts
    assert [p.name for p in parts] == ["brev.pdf", "bilag.png"]
    assert staged_bytes(blobs, parts[1].staging_token) == PNG


def test_percent_encoded_cid_matches_the_content_id(staging):
    spec = PartSpec(cid="scan%201@vendor.example", sha256=None)
    delivery = parse_envelope(envelope(variants=[VariantSpec(parts=[spec])]), staging)
    assert delivery.pending == ("scan 1@vendor.example",)


def test_several_variants_and_parts_keep_their_order(staging):
    variants = [
        VariantSpec("arkiv", [PartSpec("a.pdf"), PartSpec("b.png", "image/png", PNG)]),
        VariantSpec("produktion", [PartSpec("c.txt", "text/plain; charset=UTF-8", b"hej\n")]),
        VariantSpec("PDF", [PartSpec("d.pdf", cid="d")]),
    ]
    delivery = parse_envelope(envelope(variants=variants), staging)
    delivery.stage("d", iter([PDF]))
    incoming = delivery.to_incoming()

    assert [v.name for v in incoming.variants] == ["arkiv", "produktion", "PDF"]
    assert [[p.name for p in v.parts] for v in incoming.variants] == [
        ["a.pdf", "b.png"],
        ["c.txt"],
        ["d.pdf"],
    ]
    assert incoming.variants[1].parts[0].mime_type == "text/plain; charset=UTF-8"
    assert incoming.variants[1].parts[0].sha256 == sha(b"hej\n")


@pytest.mark.parametrize(
    "channel", ["scanning", "form", "email", "digital_post_reply", "esdh", "other"]
)
def test_every_channel(staging, channel):
    incoming = parse_envelope(envelope(channel=channel), staging).to_incoming()
    assert incoming.channel is Channel(channel)


def test_unknown_channel_is_refused(blobs, staging):
    with pytest.raises(InvalidValue) as caught:
        parse_envelope(envelope(channel="migration"), staging)
    assert caught.value.field == "/Envelope/Channel"
    assert blobs.staged_files() == []


def test_every_optional_field(staging):
    after = (
        "<Caseworker>jdoe</Caseworker><ReplyTo>dp-2024-77</ReplyTo>"
        "<Subject>Svar: Indkaldelse til møde</Subject><CreateCase>true</CreateCase>"
    )
    case = (
        "<Case><CaseNumber>27.24.00-G01-5-24</CaseNumber>"
        f"<ActivityId>{ACTIVITY_ID}</ActivityId></Case>"
    )
    data = envelope(
        parties=(f"urn:oio:cpr-nr:{CPR}", f"urn:oio:cvr-nr:{CVR}"), case=case, after_document=after
    ).replace(
        b"<Type>",
        b"<Dokumentnummer>D-17</Dokumentnummer><Foelsomhed>FORTROLIGE_PERSONOPLYSNINGER</Foelsomhed><Type>",
    )
    incoming = parse_envelope(data, staging).to_incoming()

    assert (incoming.cprs, incoming.cvrs) == ([CPR], [CVR])
    assert incoming.case.case_number == "27.24.00-G01-5-24"
    assert incoming.case.case_id is None
    assert incoming.case.activity_id == UUID(ACTIVITY_ID)
    assert incoming.caseworker == "jdoe"
    assert incoming.reply_to == "dp-2024-77"
    assert incoming.subject_hint == "Svar: Indkaldelse til møde"
    assert incoming.create_case is True
    assert incoming.document_number == "D-17"
    assert incoming.sensitivity == "FORTROLIGE_PERSONOPLYSNINGER"


def test_case_by_uuid_and_no_parties(staging):
    case = f"<Case><CaseId>{CASE_ID}</CaseId></Case>"
    incoming = parse_envelope(envelope(parties=(), case=case), staging).to_incoming()
    assert incoming.case.case_id == UUID(CASE_ID)
    assert (incoming.cprs, incoming.cvrs, incoming.create_case) == ([], [], False)


def test_envelope_fed_byte_by_byte_and_as_file(staging, tmp_path):
    data = envelope()
    one_byte_chunks = parse_envelope((data[i : i + 1] for i in range(len(data))), staging)
    path = tmp_path / "envelope.xml"
    path.write_bytes(data)
    with path.open("rb") as file:
        from_file = parse_envelope(file, staging)
    assert one_byte_chunks.to_incoming().fingerprint() == from_file.to_incoming().fingerprint()


async def test_async_source(staging):
    data = envelope()

    async def body():
        for i in range(0, len(data), 100):
            yield data[i : i + 100]

    delivery = await aparse_envelope(body(), staging)
    assert delivery.to_incoming().variants[0].parts[0].sha256 == sha(PDF)


async def test_async_staging_of_a_cid_part(blobs, staging):
    delivery = parse_envelope(envelope(variants=[VariantSpec(parts=[PartSpec(cid="x")])]), staging)

    async def body():
        yield PDF[:10]
        yield PDF[10:]

    blob = await delivery.astage("x", body())
    assert staged_bytes(blobs, blob.token) == PDF


def test_inline_base64_with_line_breaks_and_comments_around(staging):
    text = base64.encodebytes(PDF * 50).decode()  # lines of 76 characters
    spec = PartSpec(data=PDF * 50, inline_text=f"\n  {text}  \n")
    data = envelope(variants=[VariantSpec(parts=[spec])]).replace(
        b"<Channel>", b"<!-- a comment --><Channel>"
    )
    incoming = parse_envelope(data, staging).to_incoming()
    assert incoming.variants[0].parts[0].sha256 == sha(PDF * 50)


def test_empty_text_file_inline(staging):
    spec = PartSpec("tom.txt", "text/plain", b"", inline_text="")
    part = parse_envelope(envelope(variants=[VariantSpec(parts=[spec])]), staging).to_incoming()
    assert part.variants[0].parts[0].size == 0


def test_sha256_is_optional_and_case_insensitive(staging):
    parts = [PartSpec(sha256=None), PartSpec("b.pdf", sha256=sha(PDF).upper())]
    incoming = parse_envelope(envelope(variants=[VariantSpec(parts=parts)]), staging).to_incoming()
    assert [p.sha256 for p in incoming.variants[0].parts] == [sha(PDF), sha(PDF)]


def test_xml_field_names_elements_of_the_envelope():
    assert xml_field(("variants", 0, "parts", 2, "sha256")) == (
        "/Envelope/Variants/Variant[1]/Part[3]/Sha256"
    )
    assert xml_field(("document", "titel")) == "/Envelope/Document/Titel"
    assert xml_field(("case", "number")) == "/Envelope/Case/CaseNumber"


def test_staged_files_are_discarded_when_the_staging_block_is_left_without_promotion(blobs):
    with DeliveryStaging(blobs) as staging:
        incoming = parse_envelope(envelope(), staging).to_incoming()
        token = incoming.variants[0].parts[0].staging_token
        assert blobs.staged_files() == [token]
    assert blobs.staged_files() == []


def test_promoted_files_survive_the_staging_block(blobs):
    with DeliveryStaging(blobs) as staging:
        part = parse_envelope(envelope(), staging).to_incoming().variants[0].parts[0]
        assert blobs.promote(part.staging_token, part.sha256)
    assert blobs.staged_files() == []
    assert blobs.open(part.sha256).read() == PDF

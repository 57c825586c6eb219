"""Hostile and broken envelopes are refused early, naming the field, leaving nothing staged."""

from __future__ import annotations

import pytest

from adapters.intake import xml_envelope
from adapters.intake.limits import IntakeLimits
from adapters.intake.staging import DeliveryStaging
from adapters.intake.xml_envelope import EnvelopeReader, parse_envelope
from core.errors import InvalidValue, PayloadRejected

from .envelopes import PartSpec, VariantSpec, envelope

BODY = envelope().split(b"?>", 1)[1]  # a valid envelope without its XML declaration
DECL = b'<?xml version="1.0" encoding="UTF-8"?>\n'

BILLION_LAUGHS = DECL + (
    b'<!DOCTYPE Envelope [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">'
        % (i, b"".join([b"&lol%s;" % (b"" if i == 1 else b"%d" % (i - 1))] * 10))
        for i in range(1, 10)
    )
    + b"]>"
    + b'<Envelope xmlns="urn:sagshub:intake:1"><Sender><System>&lol9;</System></Sender></Envelope>'
)
QUADRATIC = DECL + (
    b'<!DOCTYPE Envelope [<!ENTITY a "' + b"x" * 50_000 + b'">]>'
    b'<Envelope xmlns="urn:sagshub:intake:1"><Sender><System>'
    + b"&a;" * 50_000
    + b"</System></Sender></Envelope>"
)
XXE_FILE = DECL + (
    b'<!DOCTYPE Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<Envelope xmlns="urn:sagshub:intake:1"><Sender><System>&xxe;</System></Sender></Envelope>'
)
XXE_NETWORK = DECL + (
    b'<!DOCTYPE Envelope [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">]>'
    b'<Envelope xmlns="urn:sagshub:intake:1"><Sender><System>&xxe;</System></Sender></Envelope>'
)
XXE_PARAMETER = DECL + (
    b'<!DOCTYPE Envelope [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd">%remote;]>' + BODY
)


def refused(data: bytes | list[bytes], staging: DeliveryStaging, error=PayloadRejected):
    with pytest.raises(error) as caught:
        parse_envelope(data, staging)
    assert staging.blobs.staged_files() == []
    return caught.value


@pytest.fixture
def parser_never_built(monkeypatch):
    """Fails the test if the XML parser is asked for any bytes: refusal must come before."""

    def no_parsing(self, chunk):
        raise AssertionError("the parser was fed")

    monkeypatch.setattr(EnvelopeReader, "_parse", no_parsing)


@pytest.mark.parametrize(
    "data",
    [BILLION_LAUGHS, QUADRATIC, XXE_FILE, XXE_NETWORK, XXE_PARAMETER],
    ids=["billion-laughs", "quadratic-blowup", "xxe-file", "xxe-network", "xxe-parameter-entity"],
)
def test_entity_attacks_are_refused_before_parsing(data, staging, parser_never_built):
    error = refused(data, staging)
    assert "DOCTYPE" in error.message
    assert error.field == "envelope"


@pytest.mark.parametrize(
    "doctype",
    [
        b"<!DOCTYPE Envelope>",
        b'<!DOCTYPE Envelope SYSTEM "intake.dtd">',
        b'<!DOCTYPE Envelope PUBLIC "-//x//y//EN" "http://example.org/y.dtd">',
        b"<!DOCTYPE Envelope []>",
        b"<!doctype Envelope>",
        b"<!ELEMENT Envelope ANY>",
    ],
)
@pytest.mark.parametrize(
    "before",
    [b"", DECL, b"\xef\xbb\xbf" + DECL, DECL + b"<!-- hello -->\n<?pi x?>\n  "],
    ids=["bare", "declaration", "bom", "comment-and-pi"],
)
def test_any_doctype_is_refused(doctype, before, staging, parser_never_built):
    refused(before + doctype + BODY, staging)


def test_doctype_split_across_chunks_is_refused(staging, parser_never_built):
    data = DECL + b"<!-- x -->" + b"<!DOCTYPE Envelope>" + BODY
    error = refused([data[i : i + 3] for i in range(0, len(data), 3)], staging)
    assert "DOCTYPE" in error.message


def test_deep_nesting_stops_at_the_depth_limit(staging):
    data = b"<Envelope>" + b"<a>" * 10_000 + b"</a>" * 10_000 + b"</Envelope>"
    error = refused(data, staging)
    assert "deeper than 32" in error.message
    assert error.field.count("/") == 33  # stopped at the 33rd level, not at the bottom


def test_element_count_is_limited(blobs):
    staging = DeliveryStaging(blobs, IntakeLimits(max_elements=100))
    data = b"<Envelope>" + b"<a/>" * 50_000 + b"</Envelope>"
    error = refused(data, staging)
    assert "more than 100 elements" in error.message
    assert error.field == "/Envelope/a[100]"


def test_envelope_size_is_limited(blobs):
    staging = DeliveryStaging(blobs, IntakeLimits(max_envelope_bytes=1000))
    data = envelope(variants=[VariantSpec(parts=[PartSpec(data=b"%PDF-" + b"x" * 2000)])])
    error = refused([data[i : i + 256] for i in range(0, len(data), 256)], staging)
    assert error.field == "envelope"
    assert "larger than 1000 bytes" in error.message


def test_text_outside_inline_content_is_limited(staging):
    error = refused(envelope(titel="x" * 300_000), staging)
    assert error.field == "/Envelope/Document/Titel"
    assert "outside Inline" in error.message


def test_attributes_count_as_text(blobs):
    staging = DeliveryStaging(blobs, IntakeLimits(max_text_chars=1000))
    error = refused(
        envelope().replace(b"<Channel>", b'<Channel a="' + b"x" * 2000 + b'">'), staging
    )
    assert error.field == "/Envelope/Channel"


def test_elements_inside_inline_are_refused_at_once(staging):
    spec = PartSpec(inline_text="JVBE<b>Ri0=</b>")
    error = refused(envelope(variants=[VariantSpec(parts=[spec])]), staging, InvalidValue)
    assert error.field == "/Envelope/Variants/Variant[1]/Part[1]/Inline/b"


def test_repeated_element_is_named_with_its_position(staging):
    data = envelope().replace(b"</Channel>", b"</Channel><Channel>form</Channel>")
    assert refused(data, staging, InvalidValue).field == "/Envelope/Channel[2]"


def test_oversized_inline_part_is_refused_while_streaming(blobs, limits):
    staging = DeliveryStaging(blobs, limits)
    text = "A" * (limits.max_inline_chars + 4)
    spec = PartSpec(data=b"", sha256=None, inline_text=text)
    error = refused(envelope(variants=[VariantSpec(parts=[PartSpec(), spec])]), staging)
    assert error.field == "/Envelope/Variants/Variant[1]/Part[2]/Inline"
    assert "cid:" in error.message


def test_undefined_entity_reference_is_not_well_formed(staging):
    error = refused(envelope(titel="&xxe;"), staging)
    assert error.field == "envelope"
    assert "xxe" in error.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"hello", "not an XML document"),
        (b"\xff\xfe<\x00E\x00", "UTF-8"),
        (b'<?xml version="1.0" encoding="ISO-8859-1"?>' + BODY, "UTF-8"),
        (b'<?xml version="1.0" encoding="UTF-16"?>' + BODY, "UTF-8"),
        (DECL, "ends before its root element"),
        (DECL + b"<Envelope><Sender>", "not well-formed"),
        (BODY + b"<trailing/>", "not well-formed"),
    ],
)
def test_not_an_envelope(data, message, staging):
    assert message in refused(data, staging).message


def test_schema_invalid_envelope_names_the_field_and_discards_inline_files(staging):
    data = envelope().replace(b"<Type>Brev, indgaaende</Type>", b"<Type>Memo</Type>")
    error = refused(data, staging, InvalidValue)
    assert error.field == "/Envelope/Document/Type"
    assert "Memo" in error.message


def test_misplaced_inline_element_is_not_streamed_but_schema_invalid(staging):
    data = envelope().replace(b"<Channel>", b"<Inline>JVBERi0=</Inline><Channel>")
    error = refused(data, staging, InvalidValue)
    assert error.field == "/Envelope/Inline"


@pytest.mark.parametrize(
    ("replace", "field"),
    [
        (
            (b"<System>scanner-01</System>", b"<System>scanner 01</System>"),
            "/Envelope/Sender/System",
        ),
        (
            (b"<BrevDato>2024-05-01</BrevDato>", b"<BrevDato>01-05-2024</BrevDato>"),
            "/Envelope/Document/BrevDato",
        ),
        ((b"<Name>arkiv</Name>", b"<Name>../arkiv</Name>"), "/Envelope/Variants/Variant[1]/Name"),
        (
            (b"<FileName>brev.pdf</FileName>", b"<FileName>../../etc/passwd</FileName>"),
            "/Envelope/Variants/Variant[1]/Part[1]/FileName",
        ),
        (
            (b"<MimeType>application/pdf</MimeType>", b"<MimeType>pdf</MimeType>"),
            "/Envelope/Variants/Variant[1]/Part[1]/MimeType",
        ),
        ((b"<Channel>", b'<Channel foo="bar">'), "/Envelope/Channel"),
        (
            (b"<Parties>", b"<Parties><Party>urn:oio:cpr-nr:12</Party>"),
            "/Envelope/Parties/Party[1]",
        ),
    ],
    ids=["system", "date", "variant-name", "file-name", "mime-type", "attribute", "urn"],
)
def test_schema_errors_name_the_element(replace, field, staging):
    error = refused(envelope().replace(*replace), staging, InvalidValue)
    assert error.field == field


def test_duplicate_variant_names_are_schema_invalid(staging):
    data = envelope(variants=[VariantSpec("arkiv"), VariantSpec("arkiv")])
    error = refused(data, staging, InvalidValue)
    assert error.field.startswith("/Envelope")
    assert "UniqueVariantName" in error.message


def test_bad_base64_names_the_inline_element(staging):
    spec = PartSpec(inline_text="JVBERi0xLjQK!!!!")
    error = refused(
        envelope(variants=[VariantSpec(parts=[PartSpec(), spec])]), staging, InvalidValue
    )
    assert error.field == "/Envelope/Variants/Variant[1]/Part[2]/Inline"


@pytest.mark.parametrize("text", ["JVBERi0", "JV==JVBE", "JVBERi0xLjQK\u00e6\u00e6\u00e6\u00e6"])
def test_base64_of_wrong_length_or_padding_or_alphabet(text, staging):
    spec = PartSpec(inline_text=text)
    error = refused(envelope(variants=[VariantSpec(parts=[spec])]), staging, InvalidValue)
    assert error.field.endswith("/Inline")


def test_sha256_mismatch_names_the_part(staging):
    spec = PartSpec(sha256="0" * 64)
    error = refused(
        envelope(variants=[VariantSpec(parts=[PartSpec(), spec])]), staging, InvalidValue
    )
    assert error.field == "/Envelope/Variants/Variant[1]/Part[2]/Sha256"


def test_mime_type_contradicted_by_the_bytes(staging):
    spec = PartSpec("foto.jpg", "image/jpeg")
    error = refused(envelope(variants=[VariantSpec(parts=[spec])]), staging, InvalidValue)
    assert error.field == "/Envelope/Variants/Variant[1]/Part[1]/MimeType"
    assert "image/jpeg" in error.message


def test_invalid_cpr_urn_names_the_party(staging):
    parties = ("urn:oio:cvr-nr:29188386", "urn:oio:cpr-nr:3113901234")
    error = refused(envelope(parties=parties), staging, InvalidValue)
    assert error.field == "/Envelope/Parties/Party[2]"
    assert "3113901234" not in str(error)


def test_invalid_cvr_check_digit(staging):
    error = refused(envelope(parties=("urn:oio:cvr-nr:29188387",)), staging, InvalidValue)
    assert error.field == "/Envelope/Parties/Party[1]"


def test_missing_cid_part_names_the_content_ref(blobs, staging):
    spec = PartSpec(cid="never-sent")
    delivery = parse_envelope(envelope(variants=[VariantSpec(parts=[PartSpec(), spec])]), staging)
    assert len(blobs.staged_files()) == 1
    with pytest.raises(InvalidValue) as caught:
        delivery.to_incoming()
    assert caught.value.field == "/Envelope/Variants/Variant[1]/Part[2]/ContentRef"
    assert blobs.staged_files() == []


def test_cid_part_with_wrong_bytes_discards_the_whole_delivery(blobs, staging):
    spec = PartSpec(cid="p2")
    delivery = parse_envelope(envelope(variants=[VariantSpec(parts=[PartSpec(), spec])]), staging)
    with pytest.raises(InvalidValue) as caught:
        delivery.stage("p2", [b"%PDF-but other bytes"])
    assert caught.value.field == "/Envelope/Variants/Variant[1]/Part[2]/Sha256"
    assert blobs.staged_files() == []


@pytest.mark.parametrize("reference", ["unknown", "p2"])
def test_unexpected_or_repeated_cid_part(reference, blobs, staging):
    spec = PartSpec(cid="p2")
    delivery = parse_envelope(envelope(variants=[VariantSpec(parts=[spec])]), staging)
    if reference == "p2":
        delivery.stage("p2", [spec.data])
    with pytest.raises(InvalidValue) as caught:
        delivery.stage(reference, [spec.data])
    assert caught.value.field == reference
    assert blobs.staged_files() == []


def test_failure_mid_inline_aborts_the_open_file(blobs, monkeypatch):
    monkeypatch.setattr(xml_envelope, "FEED_BYTES", 64)
    staging = DeliveryStaging(blobs, IntakeLimits(max_inline_chars=400))
    spec = PartSpec(data=b"%PDF-" + b"x" * 1000)
    error = refused(envelope(variants=[VariantSpec(parts=[spec])]), staging)
    assert error.field.endswith("/Inline")

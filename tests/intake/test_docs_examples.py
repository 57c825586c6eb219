"""The examples of docs/intake.md parse, validate and stage as the page says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adapters.intake.delivery import Delivery
from adapters.intake.metadata import parse_metadata_json
from adapters.intake.xml_envelope import parse_envelope
from core.models import Channel

from .envelopes import CPR, CVR, sha

DOCS = Path(__file__).parents[2] / "docs"
EXAMPLES = DOCS / "examples"
FILES = EXAMPLES / "files"


def file_bytes(name: str) -> bytes:
    return (FILES / name).read_bytes()


def test_inline_example(staging):
    incoming = parse_envelope(
        (EXAMPLES / "envelope-inline.xml").read_bytes(), staging
    ).to_incoming()
    assert (incoming.channel, incoming.cprs, incoming.case) == (Channel.SCANNING, [CPR], None)
    [part] = incoming.variants[0].parts
    assert part.sha256 == sha(file_bytes("underretning.pdf"))


def test_multipart_example(blobs, staging):
    delivery = parse_envelope((EXAMPLES / "envelope-multipart.xml").read_bytes(), staging)
    assert delivery.pending == ("brev@dp.example", "bilag-1@dp.example")
    delivery.stage("bilag-1@dp.example", [file_bytes("bilag-1.png")])
    delivery.stage("brev@dp.example", [file_bytes("underretning.pdf")])
    incoming = delivery.to_incoming()

    assert incoming.channel is Channel.DIGITAL_POST_REPLY
    assert (incoming.cprs, incoming.cvrs) == ([CPR], [CVR])
    assert incoming.case.case_number == "27.24.00-G01-5-24"
    assert incoming.reply_to == "LETTER-2024-000981"
    assert [p.name for p in incoming.variants[0].parts] == ["underretning.pdf", "bilag-1.png"]
    assert len(blobs.staged_files()) == 2


def test_json_example(staging):
    metadata = parse_metadata_json((EXAMPLES / "document-metadata.json").read_bytes())
    delivery = Delivery(metadata, staging)
    assert delivery.pending == ("arkiv-1", "produktion-1")
    delivery.stage("arkiv-1", [file_bytes("underretning.pdf")])
    delivery.stage("produktion-1", [file_bytes("bilag-1.png")])
    incoming = delivery.to_incoming()
    assert [v.name for v in incoming.variants] == ["arkiv", "produktion"]
    assert incoming.case.activity_id is not None
    assert incoming.sensitivity == "FOELSOMME_PERSONOPLYSNINGER"


@pytest.mark.parametrize(
    "example", ["envelope-inline.xml", "envelope-multipart.xml", "document-metadata.json"]
)
def test_the_page_shows_each_example_as_it_is(example):
    assert (EXAMPLES / example).read_text() in (DOCS / "intake.md").read_text()


def test_the_pages_links_lead_to_files():
    page = (DOCS / "intake.md").read_text()
    targets = re.findall(r"\]\(((?:\.\./|examples/)[^)#]+)\)", page)
    assert "../adapters/intake/schema/intake-1.xsd" in targets
    for target in targets:
        assert (DOCS / target).exists(), target

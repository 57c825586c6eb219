"""The OIO Sag / DokumentIndeks builders against the official SF1470 v6 schemas."""

from __future__ import annotations

import base64
from uuid import uuid4

import pytest
from lxml import etree

from adapters.oio.codes import Registrant
from adapters.oio.dokument_xml import build_dokument
from adapters.oio.namespaces import NSMAP
from adapters.oio.sag_xml import SagOptions, build_sag, build_sag_list
from adapters.oio.schemas import SchemaError, sf1470_schema, validate
from tests.export.samples import CHILD_CPR, document_snapshot, rich_case


def values(element: etree._Element, path: str) -> list[str]:
    return [node.text for node in element.xpath(path, namespaces=NSMAP)]


def test_a_rich_case_validates_against_the_official_schemas(standards_dir):
    snapshot = rich_case()
    sag = build_sag(snapshot)

    validate(sf1470_schema(standards_dir), sag)

    assert values(sag, "sd:UUIDIdentifikator") == [str(snapshot.case.id)]
    egenskaber = "sag:Registrering/sag:AttributListe/sag:Egenskaber"
    assert values(sag, f"{egenskaber}/sag:Sagsnummer") == ["27.24.00-G01-5-24"]
    (title,) = values(sag, f"{egenskaber}/sag:Titel")
    assert len(title) == 255 and title.endswith("…")
    assert values(sag, f"{egenskaber}/sag:Beskrivelse") == [snapshot.case.title]
    relations = "sag:Registrering/sag:RelationListe"
    assert values(sag, f"{relations}/sag:Sagspart/gd:ReferenceID/sd:URNIdentifikator") == [
        f"urn:oio:cpr-nr:{CHILD_CPR}",
        "urn:oio:cpr-nr:0202851234",
        "urn:oio:cvr-nr:29188386",
    ]
    klasser = values(sag, f"{relations}/sag:Sagsklasse//si:BrugervendtNoegle")
    assert klasser == ["27.24.00", "G01"]
    assert values(sag, f"{relations}/sag:Sagsklasse/gd:ReferenceID/sd:URNIdentifikator") == [
        "urn:oio:kle:emne:27.24.00",
        "urn:oio:kle:handlingsfacet:G01",
    ]
    assert values(sag, f"{relations}/sag:Sagsaktoer//si:FuldtNavn") == [
        "Roskilde Kommune",
        "Anne Bech",
    ]
    assert values(sag, "sag:Registrering/sag:TilstandListe//sag:FremdriftStatusKode") == [
        "Opstaaet",
        "Afsluttet",
    ]


def test_every_document_and_journal_note_is_a_journalpost(standards_dir):
    snapshot = rich_case()
    sag = build_sag(snapshot)
    posts = sag.xpath("sag:Registrering/sag:RelationListe/sag:Journalpost", namespaces=NSMAP)

    note = snapshot.journal_notes[0]
    documents = [str(link.document_id) for link in snapshot.links]
    assert [values(post, "gd:Indeks")[0] for post in posts] == [*documents, str(note.id)]
    references = [values(post, "gd:ReferenceID/*")[0] for post in posts]
    assert references == [*documents, "URN:Empty"]
    (encoded,) = values(posts[2], "sag:JournalpostEgenskaber/sag:JournalnotatEgenskaber/sag:Notat")
    assert base64.b64decode(encoded).decode() == note.text
    (long_title,) = values(posts[1], "sag:JournalpostEgenskaber/sag:Dokumenttitel")
    assert len(long_title) == 255


def test_the_registering_system_is_named_as_actor_and_a_huge_note_is_replaced(standards_dir):
    snapshot = rich_case()
    huge = snapshot.journal_notes[0].model_copy(update={"text": "å" * 60_000})
    snapshot = snapshot.model_copy(update={"journal_notes": [huge]})
    system = uuid4()
    options = SagOptions(registrant=Registrant(system_uuid=system, system_name="sagshub-roskilde"))
    sag = build_sag(snapshot, options)
    validate(sf1470_schema(standards_dir), sag)

    urn = f"urn:oio:it-system-uuid:{system}"
    assert values(sag, "sag:Registrering/sd:BrugerRef/sd:URNIdentifikator") == [urn]
    actors = set(values(sag, "//sd:AktoerRef/sd:URNIdentifikator"))
    assert actors == {urn}
    assert set(values(sag, "//sd:AktoerTypeKode")) == {"ItSystem"}
    (notat,) = values(sag, "//sag:JournalnotatEgenskaber/sag:Notat")
    assert base64.b64decode(notat).decode().endswith("i sagshub-roskilde")


def test_an_open_case_has_one_open_ended_fremdrift(standards_dir):
    sag = build_sag(rich_case(closed=False, long_title=False))
    validate(sf1470_schema(standards_dir), sag)
    fremdrift = sag.xpath("//sag:Fremdrift", namespaces=NSMAP)
    assert len(fremdrift) == 1
    assert values(fremdrift[0], "sag:Virkning/sd:TilTidspunkt/sd:GraenseIndikator") == ["true"]
    assert values(sag, "//sag:Egenskaber/sag:Beskrivelse") == []
    assert values(sag, "//si:Sagsstatus") == ["Aaben"]


def test_sagshub_extension_needs_its_own_schema_next_to_the_official_ones(standards_dir):
    snapshot = rich_case()
    sag = build_sag(snapshot, SagOptions(with_sagshub=True))

    with pytest.raises(SchemaError, match="Aktiviteter"):
        validate(sf1470_schema(standards_dir), sag)
    validate(sf1470_schema(standards_dir, with_sagshub=True), sag)

    activity = snapshot.activities[0]
    assert values(sag, "//sh:Aktivitet/sh:UUID") == [str(activity.id)]
    assert values(sag, "//sh:Aktivitet/sh:DokumentUUID") == [str(snapshot.documents[0].id)]


def test_the_validator_rejects_what_breaks_the_schema(standards_dir):
    sag = build_sag(rich_case())
    sag.find(".//{urn:oio:sts:sagdok:sag:6}Titel").text = "x" * 256
    with pytest.raises(SchemaError, match="Titel"):
        validate(sf1470_schema(standards_dir), sag)


def test_a_party_list_is_a_valid_list_output(standards_dir):
    first, second = rich_case(), rich_case(closed=False)
    listing = build_sag_list([first, second], SagOptions(with_sagshub=True))
    validate(sf1470_schema(standards_dir, with_sagshub=True), listing)
    assert values(listing, "sag:FiltreretOejebliksbillede/sag:ObjektType/sd:UUIDIdentifikator") == [
        str(first.case.id),
        str(second.case.id),
    ]
    assert values(listing, "sd:StandardRetur/sd:StatusKode") == ["20"]


def test_document_metadata_is_dokumentindeks_shaped_with_variants_and_parts(standards_dir):
    snapshot = document_snapshot(rich_case())
    document = snapshot.document

    plain = build_dokument(snapshot)
    validate(sf1470_schema(standards_dir), plain)
    assert values(plain, "//sh:Varianter") == []

    rich = build_dokument(
        snapshot,
        SagOptions(with_sagshub=True),
        part_href=lambda doc, part: f"/oio/dokument/{doc.id}/dele/{part.sha256}",
    )
    validate(sf1470_schema(standards_dir, with_sagshub=True), rich)

    egenskaber = "//di:Egenskaber"
    assert values(rich, f"{egenskaber}/di:Titel") == [document.title]
    assert values(rich, f"{egenskaber}/di:BrevDato") == ["2024-02-28"]
    assert values(rich, f"{egenskaber}/di:Type") == ["Brev, indgaaende"]
    assert values(rich, "//di:FremdriftStatusKode") == ["Modtaget", "Fordelt"]
    assert values(rich, "//di:Dokumentpart/gd:ReferenceID/sd:URNIdentifikator") == [
        f"urn:oio:cpr-nr:{CHILD_CPR}"
    ]
    assert values(rich, "//sh:Variant/sh:Navn") == ["arkiv", "produktion"]
    assert values(rich, "//sh:Del/sh:Href") == [
        f"/oio/dokument/{document.id}/dele/{part.sha256}"
        for variant in document.variants
        for part in variant.parts
    ]
    assert values(rich, "//sh:Tilknytning/sh:SagUUID") == [str(snapshot.links[0].case_id)]


def test_an_unknown_document_type_becomes_andet(standards_dir):
    snapshot = document_snapshot(rich_case())
    odd = snapshot.model_copy(
        update={"document": snapshot.document.model_copy(update={"doc_type": "Skolerapport"})}
    )
    built = build_dokument(odd)
    validate(sf1470_schema(standards_dir), built)
    assert values(built, "//di:Egenskaber/di:Type") == ["Andet"]

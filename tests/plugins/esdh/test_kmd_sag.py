"""What is particular to KMD Sag: the OIO shapes sent, StandardRetur, failures, the plugin."""

from __future__ import annotations

import httpx
import pytest

from core.errors import InvalidValue
from core.models import CaseStatus
from plugins.contract_kit import samples
from plugins.esdh_common.errors import EsdhError
from plugins.esdh_common.xml import UntrustedXml, parse_untrusted
from plugins.esdh_kmd_sag import plugin
from plugins.esdh_kmd_sag.case_exporter import KmdSagCaseExporter
from plugins.esdh_kmd_sag.client import KmdSagClient
from plugins.esdh_kmd_sag.document_exporter import KmdSagDocumentExporter
from plugins.esdh_kmd_sag.document_source import KmdSagDocumentSource
from plugins.esdh_kmd_sag.oio import SD, references
from plugins.esdh_kmd_sag.settings import SAG_NS, KmdSagSettings
from tests.plugins.esdh.conftest import kmd_settings

SAG = f"{{{SAG_NS}}}"


@pytest.fixture
def exporter(kmd, kmd_client) -> KmdSagCaseExporter:
    return KmdSagCaseExporter(kmd_client, kmd_settings(kmd).urns)


def test_a_case_goes_out_as_oio_sag_with_classes_parties_and_caseworker(kmd, exporter):
    snapshot = samples.case_snapshot(other_parties=True, status=CaseStatus.CLOSED)

    exporter.export_case(snapshot, external_id=None)

    assert kmd.rejected == []
    assert kmd.operations() == ["sag.Soeg", "sag.Opret"]
    opret = kmd.received[1].body
    assert opret.findtext(f"{SAG}AttributListe/{SAG}Egenskaber/{SAG}BrugervendtNoegle") == str(
        snapshot.case.id
    )
    assert opret.findtext(f"{SAG}AttributListe/{SAG}Egenskaber/{SAG}Sagsnummer") == (
        snapshot.case.number
    )
    assert opret.findtext(f"{SAG}TilstandListe/{SAG}Fremdrift/{SAG}FremdriftStatusKode") == (
        "Afsluttet"
    )
    assert [ref for _, ref in references(opret, "Sagsklasse")] == [
        "urn:oio:kle:emne:27.24.00",
        "urn:oio:kle:handlingsfacet:G01",
    ]
    assert list(references(opret, "Sagsaktoer")) == [
        ("urn:oio:sagdok:rolle:primaerbehandler", "urn:oio:brugernavn:hanne")
    ]
    assert [role for role, _ in references(opret, "Sagspart")] == [
        "urn:oio:sagdok:rolle:primaerpart",
        "urn:oio:sagdok:rolle:part",
        "urn:oio:sagdok:rolle:part",
    ]


def test_an_unknown_uuid_is_a_permanent_not_found(kmd, exporter):
    with pytest.raises(EsdhError) as caught:
        exporter.export_case(
            samples.case_snapshot(), external_id="00000000-0000-4000-8000-000000000000"
        )

    assert (caught.value.retryable, caught.value.code) == (False, "kmd_sag.not_found")


@pytest.mark.parametrize(
    ("kind", "status", "retryable", "code"),
    [
        ("fault", 0, True, "kmd_sag.fault"),
        ("client_fault", 0, False, "kmd_sag.rejected"),
        ("http", 503, True, "kmd_sag.unavailable"),
        ("http", 403, False, "kmd_sag.not_allowed"),
    ],
)
def test_failed_writes_map_to_domain_errors(kmd, exporter, kind, status, retryable, code):
    kmd.fail_next(kind, operation="sag.Opret", status=status)

    with pytest.raises(EsdhError) as caught:
        exporter.export_case(samples.case_snapshot(), external_id=None)

    assert (caught.value.retryable, caught.value.code) == (retryable, code)
    assert kmd.held["sag"] == {}


def test_a_failed_search_is_tried_again(kmd, exporter):
    kmd.fail_next("fault", operation="sag.Soeg")

    assert exporter.export_case(samples.case_snapshot(), external_id=None).created is True


def test_a_timeout_after_kmd_created_the_case_does_not_duplicate_it(kmd):
    settings = kmd_settings(kmd, timeout_seconds=0.3)
    impatient = KmdSagCaseExporter(KmdSagClient(settings), settings.urns)
    snapshot = samples.case_snapshot()
    kmd.fail_next("slow", operation="sag.Opret", seconds=1.0)

    with pytest.raises(EsdhError) as caught:
        impatient.export_case(snapshot, external_id=None)
    again = impatient.export_case(snapshot, external_id=None)

    assert (caught.value.retryable, caught.value.code) == (True, "kmd_sag.timeout")
    assert again.created is False
    assert len(kmd.held["sag"]) == 1


def test_an_unreachable_kmd_is_retryable(kmd):
    settings = kmd_settings(kmd, sag_endpoint="http://127.0.0.1:9/kmd/sag")
    exporter = KmdSagCaseExporter(KmdSagClient(settings), settings.urns)

    with pytest.raises(EsdhError) as caught:
        exporter.export_case(samples.case_snapshot(), external_id=None)

    assert (caught.value.retryable, caught.value.code) == (True, "kmd_sag.unreachable")


def test_a_document_waits_for_its_case(kmd, kmd_client, exporter):
    parts = samples.SampleParts()
    document = samples.document_snapshot(samples.case_snapshot(), parts)
    documents = KmdSagDocumentExporter(kmd_client, kmd_settings(kmd), exporter)

    with pytest.raises(EsdhError) as caught:
        documents.export_document(document, parts.open, external_id=None)

    assert (caught.value.retryable, caught.value.code) == (True, "kmd_sag.case_not_exported")


def test_a_document_on_an_exported_case_finds_its_way_back(kmd, kmd_client, exporter):
    snapshot = samples.case_snapshot()
    case_uuid = exporter.export_case(snapshot, external_id=None).external_id
    kmd.file_document(
        title="Svar",
        content=b"%PDF svar",
        file_name="svar.pdf",
        mime_type="application/pdf",
        cpr=samples.CHILD_CPR,
        case_uuid=case_uuid,
    )
    settings = kmd_settings(kmd)

    [(document, _)] = list(KmdSagDocumentSource(kmd_client, settings, settings.source).poll(None))

    assert (document.case_number, document.caseworker) == (snapshot.case.number, "hanne")
    assert document.doc_type == "Brev, indgaaende"


def test_the_plugin_registers_the_three_ports(kmd):
    registered = {}
    plugin.sagshub_register_adapters(
        register=lambda port, name, factory, model: registered.update({port: (name, model)})
    )

    assert registered == {
        port: ("esdh_kmd_sag", KmdSagSettings)
        for port in ("case_export", "document_export", "document_source")
    }
    exporter = plugin.build_case_exporter(kmd_settings(kmd))
    assert exporter.export_case(samples.case_snapshot(), external_id=None).created is True
    with pytest.raises(InvalidValue) as caught:
        plugin.build_document_source(kmd_settings(kmd, source=None))
    assert caught.value.field == "esdh_kmd_sag.source"


def test_the_fake_refuses_a_request_outside_the_schema(kmd):
    envelope = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        f'<s:LaesInput xmlns:s="{SAG_NS}" xmlns:sd="{SD}">'
        "<sd:UUIDIdentifikator>not-a-uuid</sd:UUIDIdentifikator></s:LaesInput>"
        "</soap:Body></soap:Envelope>"
    )

    answer = httpx.post(
        kmd.sag_endpoint,
        content=envelope,
        headers={"SOAPAction": f'"{SAG_NS}/Laes"'},
        timeout=5,
    )

    assert answer.status_code == 500
    assert kmd.rejected and "UUIDIdentifikator" in kmd.rejected[0]


def test_hostile_xml_is_refused():
    with pytest.raises(UntrustedXml, match="DOCTYPE"):
        parse_untrusted(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    with pytest.raises(UntrustedXml, match="larger"):
        parse_untrusted(b"<x/>", max_bytes=3)


def test_a_cpr_echoed_by_the_remote_never_reaches_the_error():
    error = EsdhError(
        "the service refused the call: Person 0101150123 / 010115-0123 findes ikke",
        system="kmd_sag",
        operation="sag.Opret",
        retryable=False,
        kind="rejected",
    )

    assert "0123" not in str(error)
    assert str(error).count("010115-XXXX") == 2

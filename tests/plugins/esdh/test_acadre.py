"""What is particular to Acadre: its request shapes, multi-cases, failures, and the plugin."""

from __future__ import annotations

import pytest
import requests
from lxml import etree

from core.errors import InvalidValue
from core.models import CaseStatus
from plugins.contract_kit import samples
from plugins.esdh_acadre import plugin
from plugins.esdh_acadre.case_exporter import AcadreCaseExporter
from plugins.esdh_acadre.client import AcadreClient
from plugins.esdh_acadre.document_exporter import AcadreDocumentExporter
from plugins.esdh_acadre.document_source import AcadreDocumentSource
from plugins.esdh_acadre.settings import AcadreCaseSettings, AcadreSettings
from plugins.esdh_common.errors import EsdhError
from plugins.esdh_common.soap import SameOriginTransport
from tests.plugins.esdh.conftest import ACADRE_USER, acadre_settings

CASE = "{http://www.traen.com/2006/08/01/case}"
T0704 = "{http://www.traen.com/2007/04/01}"


@pytest.fixture
def exporter(acadre, acadre_client) -> AcadreCaseExporter:
    return AcadreCaseExporter(acadre_client, acadre_settings(acadre).case)


def exporter_with(client, **case_settings) -> AcadreCaseExporter:
    return AcadreCaseExporter(
        client, AcadreCaseSettings(caseworkers={"hanne": 17}, **case_settings)
    )


def sent(acadre, operation: str) -> list[etree._Element]:
    return [r.body for r in acadre.received if r.operation == operation]


def test_every_call_names_the_acting_user_and_fits_the_schema(acadre, exporter):
    exporter.export_case(samples.case_snapshot(other_parties=True), external_id=None)

    assert acadre.rejected == []
    assert {r.user for r in acadre.received} == {ACADRE_USER}
    assert acadre.operations()[:2] == ["SearchContacts", "CreatePerson"]


def test_the_case_carries_classification_caseworker_and_the_hub_references(acadre, exporter):
    snapshot = samples.case_snapshot()

    exporter.export_case(snapshot, external_id=None)

    [case_file] = [body.find("{*}CaseFile") for body in sent(acadre, "CreateCase")]
    categories = [
        (c.findtext(f"{T0704}Principle"), c.findtext(f"{T0704}Literal"))
        for c in case_file.iter(f"{T0704}Category")
    ]
    assert categories == [("KL", "27.24.00"), ("FACET", "G01")]
    assert case_file.findtext(f"{T0704}Classification/{T0704}Keyword") == str(snapshot.case.id)
    assert case_file.findtext(f"{CASE}CaseFileNumberHistoricIdentifier") == snapshot.case.number
    assert case_file.findtext(f"{CASE}CaseFileManagerReference") == "17"
    assert case_file.findtext(f"{CASE}CaseFileStatusCode") == "B"
    assert case_file.find(f"{T0704}ClosedDate") is None


def test_a_closed_case_is_closed_in_acadre_and_a_lock_status_wins(acadre, acadre_client, exporter):
    closed = samples.case_snapshot(status=CaseStatus.CLOSED)
    exporter.export_case(closed, external_id=None)
    exporter_with(acadre_client, locked_status_code="L").export_case(
        samples.case_snapshot(), external_id=None
    )

    statuses = [case["CaseFileStatusCode"] for case in acadre.cases.values()]
    assert statuses == ["A", "L"]
    assert next(iter(acadre.cases.values()))["ClosedDate"] == closed.case.closed_at.date()


def test_an_update_keeps_what_acadre_gave_the_case(acadre, exporter):
    snapshot = samples.case_snapshot()
    result = exporter.export_case(snapshot, external_id=None)
    acadre_number = acadre.cases[int(result.external_id)]["CaseFileNumberIdentifier"]

    exporter.export_case(snapshot, external_id=result.external_id)

    assert sent(acadre, "UpdateCase")
    assert acadre.cases[int(result.external_id)]["CaseFileNumberIdentifier"] == acadre_number


def test_a_known_contact_is_reused(acadre, exporter):
    exporter.export_case(samples.case_snapshot(title="Et"), external_id=None)
    exporter.export_case(samples.case_snapshot(title="To"), external_id=None)

    assert len(acadre.contacts) == 1
    assert acadre.operations().count("CreatePerson") == 1


def test_multi_cases_are_attached_when_acadre_asks(acadre, exporter):
    acadre.give_multi_cases(samples.CHILD_CPR, [7, 8])

    result = exporter.export_case(samples.case_snapshot(), external_id=None)

    assert result.created is True
    assert acadre.operations().count("CreateCase") == 2
    assert acadre.cases[int(result.external_id)]["MultiCaseId"] == 7


def test_multi_cases_can_be_left_to_a_person(acadre, acadre_client):
    acadre.give_multi_cases(samples.CHILD_CPR, [7])

    with pytest.raises(EsdhError) as caught:
        exporter_with(acadre_client, multi_case="refuse").export_case(
            samples.case_snapshot(), external_id=None
        )

    assert (caught.value.retryable, caught.value.code) == (False, "acadre.multi_case")
    assert samples.CHILD_CPR not in str(caught.value)
    assert acadre.cases == {}


@pytest.mark.parametrize(
    ("kind", "status", "retryable", "code"),
    [
        ("fault", 0, True, "acadre.fault"),
        ("client_fault", 0, False, "acadre.rejected"),
        ("http", 503, True, "acadre.unavailable"),
        ("http", 401, False, "acadre.not_allowed"),
    ],
)
def test_failed_writes_map_to_domain_errors(acadre, exporter, kind, status, retryable, code):
    acadre.fail_next(kind, operation="CreateCase", status=status)

    with pytest.raises(EsdhError) as caught:
        exporter.export_case(samples.case_snapshot(), external_id=None)

    assert (caught.value.retryable, caught.value.code) == (retryable, code)
    assert acadre.operations().count("CreateCase") == 0


def test_a_failed_read_is_tried_again(acadre, exporter):
    acadre.fail_next("fault", operation="AdvancedCaseSearch")

    result = exporter.export_case(samples.case_snapshot(), external_id=None)

    assert result.created is True
    assert acadre.operations().count("AdvancedCaseSearch") == 1  # the first try was refused


def test_a_timeout_after_acadre_created_the_case_does_not_duplicate_it(acadre):
    settings = acadre_settings(acadre, timeout_seconds=0.3)
    impatient = AcadreCaseExporter(AcadreClient(settings, user=ACADRE_USER), settings.case)
    snapshot = samples.case_snapshot()
    acadre.fail_next("slow", operation="CreateCase", seconds=1.0)

    with pytest.raises(EsdhError) as caught:
        impatient.export_case(snapshot, external_id=None)
    again = impatient.export_case(snapshot, external_id=None)

    assert (caught.value.retryable, caught.value.code) == (True, "acadre.timeout")
    assert again.created is False
    assert len(acadre.cases) == 1


def test_an_unreachable_acadre_is_retryable(acadre):
    settings = acadre_settings(acadre, endpoint="http://127.0.0.1:9/acadre/AcadreServiceV7.asmx")
    exporter = AcadreCaseExporter(AcadreClient(settings, user=ACADRE_USER), settings.case)

    with pytest.raises(EsdhError) as caught:
        exporter.export_case(samples.case_snapshot(), external_id=None)

    assert (caught.value.retryable, caught.value.code) == (True, "acadre.unreachable")


def test_the_wsdl_may_import_only_from_its_own_server():
    transport = SameOriginTransport("http://acadre.example/AcadreServiceV7.asmx")

    with pytest.raises(EsdhError, match="outside"):
        transport.load("http://elsewhere.example/schema1.xsd")
    with pytest.raises(EsdhError, match="outside"):
        transport.load("/etc/passwd")


# --- documents out ---------------------------------------------------------------------


@pytest.fixture
def document_exporter(acadre, acadre_client, exporter) -> AcadreDocumentExporter:
    return AcadreDocumentExporter(acadre_client, acadre_settings(acadre).documents, exporter)


def test_a_document_waits_for_its_case(acadre, document_exporter):
    parts = samples.SampleParts()
    document = samples.document_snapshot(samples.case_snapshot(), parts)

    with pytest.raises(EsdhError) as caught:
        document_exporter.export_document(document, parts.open, external_id=None)

    assert (caught.value.retryable, caught.value.code) == (True, "acadre.case_not_exported")
    assert acadre.documents == {}


def test_a_document_carries_its_type_and_hub_id_and_is_found_again(
    acadre, exporter, document_exporter
):
    parts = samples.SampleParts()
    case = samples.case_snapshot()
    exporter.export_case(case, external_id=None)
    document = samples.document_snapshot(case, parts)

    first = document_exporter.export_document(document, parts.open, external_id=None)
    again = document_exporter.export_document(document, parts.open, external_id=None)

    record = acadre.documents[int(first.external_id)]["record"]
    assert record["DocumentTypeCode"] == "I"
    fields = record["CustomFieldCollection"]["CustomFields"]
    assert fields == [{"Name": "SagshubId", "Value": str(document.document.id)}]
    assert (again.external_id, again.created) == (first.external_id, False)
    assert len(acadre.documents) == 1


# --- documents in ----------------------------------------------------------------------


@pytest.fixture
def source(acadre, acadre_client) -> AcadreDocumentSource:
    settings = acadre_settings(acadre)
    return AcadreDocumentSource(acadre_client, settings.source, settings.documents, settings.case)


def test_a_document_on_an_exported_case_finds_its_way_back(acadre, exporter, source):
    snapshot = samples.case_snapshot()
    case_id = int(exporter.export_case(snapshot, external_id=None).external_id)
    acadre.file_document(
        title="Svar fra mor",
        content=b"%PDF svar",
        file_name="svar.pdf",
        mime_type="application/pdf",
        cpr=samples.CHILD_CPR,
        case_id=case_id,
    )

    [(document, cursor)] = list(source.poll(None))

    assert document.case_number == snapshot.case.number
    assert document.caseworker == "hanne"
    assert document.cprs == [samples.CHILD_CPR]
    assert document.files[0].name == "svar.pdf"
    assert document.message_id == f"acadre:document:{cursor}"


def test_the_hubs_own_documents_do_not_come_back(acadre, acadre_client, exporter):
    settings = acadre_settings(acadre, documents={"default_document_type_code": "DUBU"})
    parts = samples.SampleParts()
    case = samples.case_snapshot()
    exporter.export_case(case, external_id=None)
    AcadreDocumentExporter(acadre_client, settings.documents, exporter).export_document(
        samples.document_snapshot(case, parts), parts.open, external_id=None
    )
    source = AcadreDocumentSource(acadre_client, settings.source, settings.documents, settings.case)

    assert list(source.poll(None)) == []


def test_files_are_fetched_only_from_acadre_and_only_up_to_the_limit(acadre, acadre_client):
    with pytest.raises(EsdhError, match="outside"):
        acadre_client.download("http://elsewhere.example/files/1", max_bytes=100)

    document_id = acadre.file_document(
        title="Stor",
        content=b"x" * 100,
        file_name="stor.pdf",
        mime_type="application/pdf",
        cpr=samples.CHILD_CPR,
    )
    url = f"{acadre.base_url}/acadre/files/{document_id}"
    with pytest.raises(EsdhError) as caught:
        acadre_client.download(url, max_bytes=99)
    assert caught.value.code == "acadre.too_large"


# --- the plugin ------------------------------------------------------------------------


def test_the_plugin_registers_the_three_ports_with_its_settings(acadre, monkeypatch):
    monkeypatch.setenv("ACADRE_USER", ACADRE_USER)
    registered = {}
    plugin.sagshub_register_adapters(
        register=lambda port, name, factory, model: registered.update(
            {port: (name, factory, model)}
        )
    )
    settings = acadre_settings(acadre)

    assert set(registered) == {"case_export", "document_export", "document_source"}
    assert {(name, model) for name, _, model in registered.values()} == {
        ("esdh_acadre", AcadreSettings)
    }
    exporter = registered["case_export"][1](settings, None)
    assert exporter.export_case(samples.case_snapshot(), external_id=None).created is True
    assert {r.user for r in acadre.received} == {ACADRE_USER}


def test_the_plugin_names_what_is_missing(acadre, monkeypatch):
    monkeypatch.delenv("ACADRE_USER", raising=False)

    with pytest.raises(InvalidValue, match="ACADRE_USER") as caught:
        plugin.build_case_exporter(acadre_settings(acadre))
    assert caught.value.field == "esdh_acadre.user_env"

    monkeypatch.setenv("ACADRE_USER", ACADRE_USER)
    with pytest.raises(InvalidValue) as caught:
        plugin.build_document_source(acadre_settings(acadre, source=None))
    assert caught.value.field == "esdh_acadre.source"


def test_settings_refuse_a_source_that_marks_nothing():
    with pytest.raises(ValueError, match="marks a document"):
        AcadreSettings(endpoint="https://a.example/x.asmx", user_env="U", source={})


# --- the fake itself -------------------------------------------------------------------


def test_the_fake_refuses_requests_outside_the_schema_or_without_a_user(acadre):
    envelope = (
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        '<c:CaseFileIdentifier xmlns:c="{ns}">{value}</c:CaseFileIdentifier>'
        "</soap:Body></soap:Envelope>"
    )
    action = {"SOAPAction": '"http://www.traen.com/2010/06/01/schema/GetCase"'}
    ns = "http://www.traen.com/2008/08/20"

    wrong = requests.post(
        acadre.endpoint, data=envelope.format(ns=ns, value="-1"), headers=action, timeout=5
    )
    anonymous = requests.post(
        acadre.endpoint, data=envelope.format(ns=ns, value="1"), headers=action, timeout=5
    )

    assert wrong.status_code == 500 and b"CaseFileIdentifier" in wrong.content
    assert acadre.rejected
    assert anonymous.status_code == 500 and b"SoapHeader/User is required" in anonymous.content

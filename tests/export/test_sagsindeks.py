"""The Sags- og Dokumentindeks plugin against a local fake of the SOAP service."""

from __future__ import annotations

import base64
from types import SimpleNamespace
from uuid import uuid4

import pytest
from lxml import etree

from adapters.oio.namespaces import NSMAP, SDI, q
from plugins.sagsindeks import plugin
from plugins.sagsindeks.settings import SagsindeksSettings
from plugins.sagsindeks.soap import SagDokumentIndeksClient
from ports.integrations import ExportFailed
from ports.tokens import TokenUnavailable
from tests.export.samples import CHILD_CPR, document, rich_case

TOKEN = b'<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_t1"/>'


def make_exporter(fake, standards_dir, **settings):
    values = {"endpoint": fake.url, "timeout_seconds": 2.0, **settings}
    return plugin.build_exporter(
        SagsindeksSettings(**values), SimpleNamespace(standards_dir=standards_dir)
    )


def imported(fake, index: int) -> list[str]:
    """The UUIDs of the entries the ``index``-th request carried."""
    return fake.received[index].body.xpath("*/sd:UUIDIdentifikator/text()", namespaces=NSMAP)


def test_first_export_imports_the_documents_then_the_case(fake, standards_dir):
    snapshot = rich_case()
    result = make_exporter(fake, standards_dir).export_case(snapshot, external_id=None)

    assert result.created is True
    assert result.external_id == str(snapshot.case.id)
    assert fake.rejected == []
    assert fake.operations() == ["fremsoeg", "importer", "importer"]
    assert imported(fake, 1) == [str(d.id) for d in snapshot.documents]
    assert imported(fake, 2) == [str(snapshot.case.id)]
    sag = fake.received[2].body[0]
    assert sag.tag == q(SDI, "SagIndeks")
    assert (
        sag.xpath("//sag:Sagspart/gd:ReferenceID/sd:URNIdentifikator/text()", namespaces=NSMAP)[0]
        == f"urn:oio:cpr-nr:{CHILD_CPR}"
    )


def test_a_second_export_updates_and_imports_only_new_documents(fake, standards_dir):
    exporter = make_exporter(fake, standards_dir)
    snapshot = rich_case()
    first = exporter.export_case(snapshot, external_id=None)
    new_document = document(snapshot.municipality.id, title="Ny underretning")
    later = snapshot.model_copy(update={"documents": [*snapshot.documents, new_document]})

    second = exporter.export_case(later, external_id=first.external_id)

    assert second.created is False
    assert second.external_id == first.external_id
    assert fake.operations()[3:] == ["fremsoeg", "importer", "opdater"]
    assert imported(fake, 4) == [str(new_document.id)]
    assert fake.received[5].body[0].tag == q(SDI, "OpdaterSagIndeks")
    assert fake.cases == {str(snapshot.case.id)}
    assert fake.rejected == []


def test_the_index_decides_import_or_update_not_the_hubs_memory(fake, standards_dir):
    """A crash after the index imported but before the hub stored the id: no double import;
    an index that lost the case: imported again although the hub had an id."""
    exporter = make_exporter(fake, standards_dir)
    snapshot = rich_case()
    exporter.export_case(snapshot, external_id=None)

    assert exporter.export_case(snapshot, external_id=None).created is False
    fake.cases.clear()
    assert exporter.export_case(snapshot, external_id=str(snapshot.case.id)).created is True
    assert fake.rejected == []


def test_an_update_the_index_does_not_know_falls_back_to_import(fake, standards_dir):
    exporter = make_exporter(fake, standards_dir)
    snapshot = rich_case()
    exporter.export_case(snapshot, external_id=None)
    fake.received.clear()
    fake.fail_next("lost", operation="opdater")

    assert exporter.export_case(snapshot, external_id=None).created is True
    assert fake.operations() == ["fremsoeg", "opdater", "importer"]
    assert fake.cases == {str(snapshot.case.id)}


@pytest.mark.parametrize(
    ("kind", "value", "retryable"),
    [
        ("status", 40, False),
        ("status", 49, False),
        ("status", 50, True),
        ("http", 503, True),
        ("http", 403, False),
        ("fault", "soap:Server", True),
        ("fault", "soap:Client", False),
    ],
)
def test_failures_map_to_retryable_or_permanent(fake, standards_dir, kind, value, retryable):
    fake.fail_next(kind, value, f"Fejl for {CHILD_CPR}")
    with pytest.raises(ExportFailed) as caught:
        make_exporter(fake, standards_dir).export_case(rich_case(), external_id=None)
    assert caught.value.retryable is retryable
    assert CHILD_CPR not in str(caught.value)
    assert fake.operations() == ["fremsoeg"]


def test_a_hanging_index_is_a_retryable_timeout(fake, standards_dir):
    fake.fail_next("hang")
    exporter = make_exporter(fake, standards_dir, timeout_seconds=0.3)
    with pytest.raises(ExportFailed, match="did not answer in time") as caught:
        exporter.export_case(rich_case(), external_id=None)
    assert caught.value.retryable is True


def test_an_unreachable_index_is_retryable(fake, standards_dir):
    exporter = make_exporter(fake, standards_dir)
    fake.stop()
    with pytest.raises(ExportFailed, match="cannot reach") as caught:
        exporter.export_case(rich_case(), external_id=None)
    assert caught.value.retryable is True
    fake.start()  # so the fixture's stop has a server to stop


def test_the_security_token_travels_in_wsse_security(fake, standards_dir, monkeypatch):
    fake.expected_token = TOKEN
    monkeypatch.setenv("SAGSINDEKS_TOKEN", base64.b64encode(TOKEN).decode())
    make_exporter(fake, standards_dir, token_env="SAGSINDEKS_TOKEN").export_case(
        rich_case(), external_id=None
    )
    assert fake.rejected == []
    assert len(fake.received) == 3
    assert all(b"_t1" in request.token for request in fake.received)


def test_without_its_token_nothing_is_sent(fake, standards_dir, monkeypatch):
    monkeypatch.delenv("SAGSINDEKS_TOKEN", raising=False)
    exporter = make_exporter(fake, standards_dir, token_env="SAGSINDEKS_TOKEN")
    with pytest.raises(ExportFailed, match="SAGSINDEKS_TOKEN") as caught:
        exporter.export_case(rich_case(), external_id=None)
    assert caught.value.retryable is False
    assert fake.received == []


def test_a_request_that_breaks_the_schema_never_leaves(fake, standards_dir):
    exporter = make_exporter(fake, standards_dir)
    bogus = etree.Element(q(SDI, "SagIndeks"))
    etree.SubElement(bogus, q(SDI, "Unknown")).text = str(uuid4())
    with pytest.raises(ExportFailed, match="does not validate") as caught:
        exporter._client.importer([bogus])
    assert caught.value.retryable is False
    assert fake.received == []


def test_the_plugin_registers_a_case_exporter():
    registered = []
    plugin.sagshub_register_adapters(lambda *args: registered.append(args))
    assert registered == [("case_export", "sagsindeks", plugin.build_exporter, SagsindeksSettings)]


def test_a_token_service_that_fails_is_a_retryable_failure(fake, standards_dir):
    class Unavailable:
        def access_token(self, audience):
            raise TokenUnavailable("the STS did not answer")

        def forget(self, audience):
            return None

    client = SagDokumentIndeksClient(
        standards_dir=standards_dir,
        endpoint=fake.url,
        timeout_seconds=2,
        token_provider=Unavailable(),
        audience="http://stoettesystemerne.dk/service/sagdokumentindeks/6",
    )
    with pytest.raises(ExportFailed, match="STS did not answer") as caught:
        client.fremsoeg(case_ids=[uuid4()], document_ids=[])
    assert caught.value.retryable is True
    assert fake.received == []

"""The Acadre adapters keep the port contracts, against the local fake Acadre."""

from __future__ import annotations

import pytest

from plugins.contract_kit import (
    CaseExporterContract,
    DocumentExporterContract,
    DocumentSourceContract,
)
from plugins.esdh_acadre.case_exporter import AcadreCaseExporter
from plugins.esdh_acadre.document_exporter import AcadreDocumentExporter
from plugins.esdh_acadre.document_source import AcadreDocumentSource
from tests.plugins.esdh.conftest import acadre_settings
from tests.plugins.esdh.remotes import FakeEsdhRemote


@pytest.fixture
def remote(acadre) -> FakeEsdhRemote:
    return FakeEsdhRemote(acadre)


@pytest.fixture
def case_exporter(acadre, acadre_client) -> AcadreCaseExporter:
    return AcadreCaseExporter(acadre_client, acadre_settings(acadre).case)


class TestAcadreCaseExporter(CaseExporterContract):
    @pytest.fixture
    def case_remote(self, remote):
        return remote


class TestAcadreDocumentExporter(DocumentExporterContract):
    @pytest.fixture
    def document_exporter(self, acadre, acadre_client, case_exporter):
        return AcadreDocumentExporter(
            acadre_client, acadre_settings(acadre).documents, case_exporter
        )

    @pytest.fixture
    def document_remote(self, remote):
        return remote

    @pytest.fixture
    def prepare_case(self, case_exporter):
        return lambda snapshot: case_exporter.export_case(snapshot, external_id=None).external_id


class TestAcadreDocumentSource(DocumentSourceContract):
    @pytest.fixture
    def document_source(self, acadre, acadre_client):
        settings = acadre_settings(acadre)
        return AcadreDocumentSource(
            acadre_client, settings.source, settings.documents, settings.case
        )

    @pytest.fixture
    def source_remote(self, remote):
        return remote

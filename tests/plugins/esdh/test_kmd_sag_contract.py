"""The KMD Sag adapters keep the port contracts, against the local fake KMD Sag."""

from __future__ import annotations

import pytest

from plugins.contract_kit import (
    CaseExporterContract,
    DocumentExporterContract,
    DocumentSourceContract,
)
from plugins.esdh_kmd_sag.case_exporter import KmdSagCaseExporter
from plugins.esdh_kmd_sag.document_exporter import KmdSagDocumentExporter
from plugins.esdh_kmd_sag.document_source import KmdSagDocumentSource
from tests.plugins.esdh.conftest import kmd_settings
from tests.plugins.esdh.remotes import FakeEsdhRemote


@pytest.fixture
def remote(kmd) -> FakeEsdhRemote:
    return FakeEsdhRemote(kmd)


@pytest.fixture
def case_exporter(kmd, kmd_client) -> KmdSagCaseExporter:
    return KmdSagCaseExporter(kmd_client, kmd_settings(kmd).urns)


class TestKmdSagCaseExporter(CaseExporterContract):
    @pytest.fixture
    def case_remote(self, remote):
        return remote


class TestKmdSagDocumentExporter(DocumentExporterContract):
    @pytest.fixture
    def document_exporter(self, kmd, kmd_client, case_exporter):
        return KmdSagDocumentExporter(kmd_client, kmd_settings(kmd), case_exporter)

    @pytest.fixture
    def document_remote(self, remote):
        return remote

    @pytest.fixture
    def prepare_case(self, case_exporter):
        return lambda snapshot: case_exporter.export_case(snapshot, external_id=None).external_id


class TestKmdSagDocumentSource(DocumentSourceContract):
    @pytest.fixture
    def document_source(self, kmd, kmd_client):
        settings = kmd_settings(kmd)
        return KmdSagDocumentSource(kmd_client, settings, settings.source)

    @pytest.fixture
    def source_remote(self, remote):
        return remote

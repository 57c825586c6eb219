"""The contract kit itself: its suites pass on adapters that keep the contracts and
fail on adapters that break them."""

from __future__ import annotations

import pytest

from plugins.contract_kit import (
    CaseExporterContract,
    DocumentExporterContract,
    DocumentSourceContract,
    samples,
)
from tests.plugins.esdh.memory_esdh import (
    DuplicatingCaseExporter,
    ForgetfulDocumentSource,
    MemoryCaseExporter,
    MemoryDocumentExporter,
    MemoryDocumentSource,
    MemoryEsdh,
)


@pytest.fixture
def esdh() -> MemoryEsdh:
    return MemoryEsdh()


class TestMemoryCaseExporter(CaseExporterContract):
    @pytest.fixture
    def case_exporter(self, esdh):
        return MemoryCaseExporter(esdh)

    @pytest.fixture
    def case_remote(self, esdh):
        return esdh


class TestMemoryDocumentExporter(DocumentExporterContract):
    @pytest.fixture
    def document_exporter(self, esdh):
        return MemoryDocumentExporter(esdh)

    @pytest.fixture
    def document_remote(self, esdh):
        return esdh


class TestMemoryDocumentSource(DocumentSourceContract):
    @pytest.fixture
    def document_source(self, esdh):
        return MemoryDocumentSource(esdh)

    @pytest.fixture
    def source_remote(self, esdh):
        return esdh


@pytest.mark.parametrize(
    "test",
    [
        "test_re_export_with_the_external_id_updates_the_same_copy",
        "test_repeating_an_export_changes_nothing",
        "test_a_lost_external_id_does_not_duplicate",
    ],
)
def test_the_case_suite_catches_duplicates(esdh, test):
    with pytest.raises(AssertionError):
        getattr(CaseExporterContract(), test)(DuplicatingCaseExporter(esdh), esdh)


@pytest.mark.parametrize(
    "test",
    [
        "test_message_ids_are_stable_across_polls",
        "test_the_last_cursor_resumes_after_everything_seen",
        "test_each_cursor_resumes_right_after_its_document",
    ],
)
def test_the_source_suite_catches_unstable_ids_and_ignored_cursors(esdh, test):
    with pytest.raises(AssertionError):
        getattr(DocumentSourceContract(), test)(ForgetfulDocumentSource(esdh), esdh)


def test_the_document_suite_expects_the_prepared_case(esdh):
    """A remote with cases must file the document on the case the test prepared."""
    parts = samples.SampleParts()
    case = (samples.case_snapshot(), "case-that-the-exporter-ignores")

    with pytest.raises(AssertionError):
        DocumentExporterContract().test_export_sends_the_file_and_its_title(
            MemoryDocumentExporter(esdh), esdh, case, parts
        )

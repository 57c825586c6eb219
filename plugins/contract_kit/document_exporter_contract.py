"""The contract every :class:`ports.integrations.DocumentExporter` keeps.

Subclass :class:`DocumentExporterContract` and supply ``document_exporter`` (the adapter)
and ``document_remote`` (a :class:`plugins.contract_kit.remote.DocumentRemote`). When
the remote system files documents on cases, override ``prepare_case`` too: it makes the
case exist on the remote side (usually with the plugin's own case exporter) and returns
its external id, which the suite then expects on every exported document.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from plugins.contract_kit import samples
from plugins.contract_kit.remote import DocumentRemote, RemoteDocument
from ports.integrations import DocumentExporter
from ports.snapshots import CaseSnapshot

PrepareCase = Callable[[CaseSnapshot], str | None]


def _only(remote: DocumentRemote) -> RemoteDocument:
    documents = remote.documents()
    assert len(documents) == 1, f"expected one document, the remote holds {len(documents)}"
    return documents[0]


class DocumentExporterContract:
    """Send the file with its metadata; a re-export updates the same document."""

    @pytest.fixture
    def prepare_case(self) -> PrepareCase:
        """Makes a case exist remotely; returns its external id (None: the remote has no cases)."""
        return lambda snapshot: None

    @pytest.fixture
    def parts(self) -> samples.SampleParts:
        return samples.SampleParts()

    @pytest.fixture
    def case(self, prepare_case: PrepareCase) -> tuple[CaseSnapshot, str | None]:
        snapshot = samples.case_snapshot()
        return snapshot, prepare_case(snapshot)

    def test_export_sends_the_file_and_its_title(
        self, document_exporter: DocumentExporter, document_remote, case, parts
    ):
        snapshot, case_external_id = case
        document = samples.document_snapshot(
            snapshot, parts, title="Underretning fra skolen", content=b"%PDF-1.7 brev"
        )

        result = document_exporter.export_document(document, parts.open, external_id=None)

        assert result.created is True
        copy = _only(document_remote)
        assert copy.external_id == result.external_id
        assert (copy.title, copy.content) == ("Underretning fra skolen", b"%PDF-1.7 brev")
        assert copy.file_name == "underretning.pdf"
        if case_external_id is not None:
            assert copy.case_external_id == case_external_id

    def test_re_export_updates_the_same_document(
        self, document_exporter: DocumentExporter, document_remote, case, parts
    ):
        snapshot, _ = case
        document = samples.document_snapshot(snapshot, parts, content=b"version 1")
        first = document_exporter.export_document(document, parts.open, external_id=None)
        renamed = document.model_copy(
            update={"document": document.document.model_copy(update={"title": "Rettet titel"})}
        )

        second = document_exporter.export_document(
            renamed, parts.open, external_id=first.external_id
        )

        assert (second.external_id, second.created) == (first.external_id, False)
        copy = _only(document_remote)
        assert (copy.title, copy.content) == ("Rettet titel", b"version 1")

    def test_documents_are_kept_apart(
        self, document_exporter: DocumentExporter, document_remote, case, parts
    ):
        snapshot, _ = case
        one = samples.document_snapshot(snapshot, parts, title="Et", content=b"one")
        two = samples.document_snapshot(snapshot, parts, title="To", content=b"two")

        ids = [
            document_exporter.export_document(d, parts.open, external_id=None).external_id
            for d in (one, two)
        ]

        assert ids[0] != ids[1]
        held = {d.external_id: (d.title, d.content) for d in document_remote.documents()}
        assert held == {ids[0]: ("Et", b"one"), ids[1]: ("To", b"two")}

    def test_non_ascii_names_and_binary_content_survive(
        self, document_exporter: DocumentExporter, document_remote, case, parts
    ):
        snapshot, _ = case
        content = bytes(range(256)) * 4
        document = samples.document_snapshot(
            snapshot,
            parts,
            title="Børnefaglig undersøgelse §50",
            content=content,
            file_name="undersøgelse.pdf",
        )

        document_exporter.export_document(document, parts.open, external_id=None)

        copy = _only(document_remote)
        assert (copy.title, copy.file_name) == ("Børnefaglig undersøgelse §50", "undersøgelse.pdf")
        assert copy.content == content

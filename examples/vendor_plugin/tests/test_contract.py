"""The example adapters pass sagshub's contract kit: the same tests the built-ins pass."""

from __future__ import annotations

import base64
import json
from itertools import count

import pytest
from sagshub_example_esdh import plugin
from sagshub_example_esdh.folder_esdh import (
    FolderCaseExporter,
    FolderDocumentExporter,
    FolderDocumentSource,
)

from plugins.contract_kit import (
    CaseExporterContract,
    DocumentExporterContract,
    DocumentSourceContract,
)
from plugins.contract_kit.remote import RemoteCase, RemoteDocument


class FolderRemote:
    """Looks into the folder as the 'remote system', and drops documents into its inbox."""

    def __init__(self, root) -> None:
        self.root = root
        self.sequence = count(1)

    def cases(self) -> list[RemoteCase]:
        return [
            RemoteCase(
                external_id=data["id"],
                title=data["title"],
                kle_subject=data["kle_subject"],
                primary_party=data["primary_party"],
                parties=data["parties"],
            )
            for data in self._read("cases")
        ]

    def documents(self) -> list[RemoteDocument]:
        return [
            RemoteDocument(
                external_id=data["id"],
                title=data["title"],
                file_name=data["file_name"],
                content=base64.b64decode(data["content"]),
            )
            for data in self._read("documents")
        ]

    def add_document(self, *, title, content, file_name, mime_type, cpr, for_hub=True) -> None:
        folder = self.root / "inbox" / f"{next(self.sequence):06d}"
        folder.mkdir(parents=True)
        (folder / file_name).write_bytes(content)
        meta = {
            "title": title,
            "file_name": file_name,
            "mime_type": mime_type,
            "cprs": [cpr],
            "for_hub": for_hub,
        }
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")

    def _read(self, kind: str) -> list[dict]:
        folder = self.root / kind
        return [json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))]


@pytest.fixture
def remote(tmp_path) -> FolderRemote:
    return FolderRemote(tmp_path)


class TestFolderCaseExporter(CaseExporterContract):
    @pytest.fixture
    def case_exporter(self, tmp_path):
        return FolderCaseExporter(tmp_path)

    @pytest.fixture
    def case_remote(self, remote):
        return remote


class TestFolderDocumentExporter(DocumentExporterContract):
    @pytest.fixture
    def document_exporter(self, tmp_path):
        return FolderDocumentExporter(tmp_path)

    @pytest.fixture
    def document_remote(self, remote):
        return remote


class TestFolderDocumentSource(DocumentSourceContract):
    @pytest.fixture
    def document_source(self, tmp_path):
        return FolderDocumentSource(tmp_path)

    @pytest.fixture
    def source_remote(self, remote):
        return remote


def test_the_plugin_registers_its_adapters_with_settings(tmp_path):
    registered = {}
    plugin.sagshub_register_adapters(
        register=lambda port, name, factory, model: registered.update(
            {port: (name, factory, model)}
        )
    )

    settings = plugin.ExampleEsdhSettings(root=tmp_path)
    built = {port: factory(settings, None) for port, (_, factory, _) in registered.items()}

    assert {name for name, _, _ in registered.values()} == {"example_esdh"}
    assert isinstance(built["case_export"], FolderCaseExporter)
    assert isinstance(built["document_source"], FolderDocumentSource)

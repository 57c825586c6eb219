"""The contract suites' view of a fake ESDH: its cases, its documents, a user filing one."""

from __future__ import annotations

from plugins.contract_kit.remote import RemoteCase, RemoteDocument


class FakeEsdhRemote:
    """Wraps a fake (``FakeAcadre``, ``FakeKmdSag``) for the contract suites."""

    def __init__(self, fake) -> None:
        self.fake = fake

    def cases(self) -> list[RemoteCase]:
        return self.fake.remote_cases()

    def documents(self) -> list[RemoteDocument]:
        return self.fake.remote_documents()

    def add_document(self, **document) -> None:
        self.fake.file_document(**document)

"""The contract every :class:`ports.integrations.DocumentSource` keeps.

Subclass :class:`DocumentSourceContract` and supply ``document_source`` (the adapter)
and ``source_remote`` (a :class:`plugins.contract_kit.remote.SourceRemote` that puts
documents into the remote system). Each test starts from an empty remote system.
"""

from __future__ import annotations

from plugins.contract_kit import samples
from ports.integrations import DocumentSource, SourcedDocument


def _drain(source: DocumentSource, cursor: str | None) -> list[tuple[SourcedDocument, str]]:
    return list(source.poll(cursor))


def _add(remote, title: str, *, for_hub: bool = True, cpr: str = samples.CHILD_CPR) -> bytes:
    content = f"%PDF-1.7 {title}".encode()
    remote.add_document(
        title=title,
        content=content,
        file_name=f"{title.lower()}.pdf",
        mime_type="application/pdf",
        cpr=cpr,
        for_hub=for_hub,
    )
    return content


class DocumentSourceContract:
    """Deliver each marked document once, with its file, and resume where it left off."""

    def test_it_names_its_system(self, document_source: DocumentSource):
        assert isinstance(document_source.system_name, str)
        assert document_source.system_name.strip()

    def test_an_empty_system_yields_nothing(self, document_source: DocumentSource, source_remote):
        assert _drain(document_source, None) == []

    def test_a_marked_document_comes_with_its_file_and_party(
        self, document_source: DocumentSource, source_remote
    ):
        content = _add(source_remote, "Brev")

        [(document, cursor)] = _drain(document_source, None)

        assert document.title == "Brev"
        assert [f.content for f in document.files] == [content]
        assert document.files[0].mime_type == "application/pdf"
        assert document.cprs == [samples.CHILD_CPR]
        assert document.message_id and cursor

    def test_documents_not_marked_for_the_hub_stay_out(
        self, document_source: DocumentSource, source_remote
    ):
        _add(source_remote, "Intern", for_hub=False)
        _add(source_remote, "Til hub")

        assert [d.title for d, _ in _drain(document_source, None)] == ["Til hub"]

    def test_message_ids_are_stable_across_polls(
        self, document_source: DocumentSource, source_remote
    ):
        _add(source_remote, "Et")
        _add(source_remote, "To")

        first = [d.message_id for d, _ in _drain(document_source, None)]
        second = [d.message_id for d, _ in _drain(document_source, None)]

        assert len(set(first)) == 2
        assert first == second

    def test_the_last_cursor_resumes_after_everything_seen(
        self, document_source: DocumentSource, source_remote
    ):
        _add(source_remote, "Et")
        seen = _drain(document_source, None)
        _add(source_remote, "To")

        after = _drain(document_source, seen[-1][1])

        assert [d.title for d, _ in after] == ["To"]
        assert _drain(document_source, after[-1][1]) == []

    def test_each_cursor_resumes_right_after_its_document(
        self, document_source: DocumentSource, source_remote
    ):
        for title in ("Et", "To", "Tre"):
            _add(source_remote, title)
        everything = _drain(document_source, None)

        resumed = _drain(document_source, everything[0][1])

        assert [d.title for d, _ in everything] == ["Et", "To", "Tre"]
        assert [d.message_id for d, _ in resumed] == [d.message_id for d, _ in everything[1:]]

"""Documents filed in Acadre for the hub (scanned post, e-mails, Digital Post replies).

A poll searches the main documents the municipality marks for the hub (settings
``[plugins.esdh_acadre.source]``), oldest Acadre id first, and fetches each with its
file. The Acadre document id is both the message id (so a repeated poll delivers
nothing twice) and the cursor: Acadre numbers documents in the order they are filed,
so the mark must be set when a document is filed, not later.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from datetime import UTC, datetime, time
from typing import Any

from plugins.esdh_acadre.client import AcadreClient
from plugins.esdh_acadre.document_exporter import custom_fields
from plugins.esdh_acadre.settings import (
    AcadreCaseSettings,
    AcadreDocumentSettings,
    AcadreSourceSettings,
)
from plugins.esdh_common.documents import hub_case_number
from ports.integrations import SourcedDocument, SourcedFile

DEFAULT_DOC_TYPE = "Brev, indgaaende"


def message_id(document_id: int) -> str:
    return f"acadre:document:{document_id}"


class AcadreDocumentSource:
    system_name = "acadre"

    def __init__(
        self,
        client: AcadreClient,
        settings: AcadreSourceSettings,
        documents: AcadreDocumentSettings,
        cases: AcadreCaseSettings,
    ) -> None:
        self._client = client
        self._settings = settings
        self._documents = documents
        self._caseworkers = {number: name for name, number in cases.caseworkers.items()}
        self._doc_types = {code: name for name, code in documents.document_type_codes.items()}

    def poll(self, cursor: str | None) -> Iterator[tuple[SourcedDocument, str]]:
        after = int(cursor) if cursor else 0
        for document_id in self._marked_after(after):
            yield self._fetch(document_id), str(document_id)

    def _marked_after(self, after: int) -> list[int]:
        settings = self._settings
        marker = (
            {"CustomFields": [{"Name": settings.marker_field, "Value": settings.marker_value}]}
            if settings.marker_field
            else None
        )
        found = self._client.call(
            "MainDocumentService7",
            "MainDocumentSearch",
            SearchText=settings.search_text,
            DocumentTypeId=settings.document_type_id,
            DocumentStatusId=settings.document_status_id,
            CaseStatusCode=settings.case_status_code,
            CustomFields=marker,
            read=True,
        )
        hub_field = self._documents.hub_id_field
        return sorted(
            {
                int(hit.Document.DocumentIdentifier)
                for hit in found or []
                if int(hit.Document.DocumentIdentifier) > after
                and not custom_fields(hit.Record).get(hub_field)
            }
        )

    def _fetch(self, document_id: int) -> SourcedDocument:
        answer = self._client.call(
            "MainDocumentService7", "GetMainDocument", document_id, read=True
        )
        record, document = answer.Record, answer.Document
        download = self._client.download(
            answer.DocumentVersion.VersionURL, max_bytes=self._settings.max_file_bytes
        )
        case = self._case(record.CaseFileReference)
        title = document.DocumentTitleText or record.DescriptionText or f"Acadre {document_id}"
        extension = mimetypes.guess_extension(download.mime_type) or ""
        return SourcedDocument(
            message_id=message_id(document_id),
            title=title,
            cprs=case["cprs"],
            case_number=case["number"],
            caseworker=case["caseworker"],
            doc_type=self._doc_types.get(record.DocumentTypeCode, DEFAULT_DOC_TYPE),
            letter_date=(
                datetime.combine(record.DocumentDate, time(), UTC) if record.DocumentDate else None
            ),
            files=[
                SourcedFile(
                    name=download.file_name or f"acadre-{document_id}{extension}",
                    mime_type=download.mime_type,
                    content=download.content,
                )
            ],
        )

    def _case(self, case_id: int | None) -> dict[str, Any]:
        """What the Acadre case tells about placement: hub case number, CPR, caseworker."""
        if case_id is None:
            return {"cprs": [], "number": None, "caseworker": None}
        case = self._client.call("CaseService7", "GetCase", case_id, read=True)
        primary = next((p for p in case.Party or [] if p.IsPrimary), None)
        cprs = []
        if primary is not None and primary.ContactReference:
            contact = self._client.call(
                "ContactService7", "GetContact", primary.ContactReference, read=True
            )
            cpr = getattr(contact, "PersonCivilRegistrationIdentifier", None)
            cprs = [cpr] if cpr else []
        return {
            "cprs": cprs,
            "number": hub_case_number(case.CaseFileNumberHistoricIdentifier),
            "caseworker": self._caseworkers.get(case.CaseFileManagerReference),
        }

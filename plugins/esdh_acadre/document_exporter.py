"""The hub's documents as Acadre main documents (MainDocumentService CreateMainDocument).

Acadre files a main document on a case, so the document's hub case must have been
exported first; until it has, the export fails as retryable. The record carries the
hub's document id in a custom field, so a lost Acadre id is found again, not duplicated.
"""

from __future__ import annotations

from typing import Any

from core.models import Document, utcnow
from plugins.esdh_acadre.case_exporter import AcadreCaseExporter
from plugins.esdh_acadre.client import SYSTEM, AcadreClient
from plugins.esdh_acadre.settings import AcadreDocumentSettings
from plugins.esdh_common.documents import first_exported_case, main_part
from ports.integrations import ExportResult, OpenPart
from ports.snapshots import DocumentSnapshot

PORT = "MainDocumentService7"


def custom_fields(record: Any) -> dict[str, str | None]:
    """A record's custom fields as a dict (``CustomFieldCollection/CustomFields``)."""
    collection = getattr(record, "CustomFieldCollection", None) if record is not None else None
    return {f.Name: f.Value for f in (collection.CustomFields if collection else [])}


class AcadreDocumentExporter:
    def __init__(
        self, client: AcadreClient, settings: AcadreDocumentSettings, cases: AcadreCaseExporter
    ) -> None:
        self._client = client
        self._settings = settings
        self._cases = cases

    def export_document(
        self, snapshot: DocumentSnapshot, open_part: OpenPart, *, external_id: str | None
    ) -> ExportResult:
        document = snapshot.document
        case_id = int(
            first_exported_case(
                snapshot, self._cases.find, system=SYSTEM, operation="CreateMainDocument"
            )
        )
        part = main_part(document)
        with open_part(part.sha256) as stream:
            content = stream.read()
        record = self._record(document, case_id)
        known = external_id or self._find(str(document.id), case_id)
        if known is not None:
            self._client.call(
                PORT,
                "UpdateMainDocument",
                DocumentId=int(known),
                Record=record,
                FileName=part.name,
                XMLBinary=content,
                DocumentTitle=document.title,
                read=False,
            )
            return ExportResult(external_id=known, created=False)
        new_id = self._client.call(
            PORT,
            "CreateMainDocument",
            Document={
                "DocumentTitleText": document.title,
                "DocumentPaperStorageIndicator": False,
                "DocumentCategoryCode": self._settings.document_category_code,
                "DocumentStatusCode": self._settings.document_status_code,
            },
            DocumentLink={"LinkDate": utcnow().date()},
            Record=record,
            FileName=part.name,
            XMLBinary=content,
            read=False,
        )
        return ExportResult(external_id=str(new_id), created=True)

    def _find(self, hub_document_id: str, case_id: int) -> str | None:
        field = self._settings.hub_id_field
        found = self._client.call(
            PORT,
            "MainDocumentSearch",
            CaseId=case_id,
            CustomFields={"CustomFields": [{"Name": field, "Value": hub_document_id}]},
            read=True,
        )
        ids = [
            str(hit.Document.DocumentIdentifier)
            for hit in found or []
            if custom_fields(hit.Record).get(field) == hub_document_id
        ]
        return ids[0] if ids else None

    def _record(self, document: Document, case_id: int) -> dict[str, Any]:
        settings = self._settings
        return {
            "CaseFileReference": case_id,
            "RegistrationDate": document.received_at.date(),
            "DocumentDate": document.letter_date,
            "DocumentDateUnknownIndicator": document.letter_date is None,
            "DescriptionText": document.title,
            "RecordPaperStorageIndicator": False,
            "DocumentTypeCode": settings.document_type_codes.get(
                document.doc_type, settings.default_document_type_code
            ),
            "RecordStatusCode": settings.record_status_code,
            "AccessCode": settings.access_code,
            "CustomFieldCollection": {
                "CustomFields": [{"Name": settings.hub_id_field, "Value": str(document.id)}]
            },
        }

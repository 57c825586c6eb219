"""The ``case_export`` adapter: a locked copy of a case into the Sags- og Dokumentindeks."""

from __future__ import annotations

from adapters.oio.sag_xml import SagOptions
from plugins.sagsindeks.requests_xml import dokument_indeks, opdater_sag_indeks, sag_indeks
from plugins.sagsindeks.soap import STATUS_NOT_FOUND, SagDokumentIndeksClient
from ports.integrations import ExportFailed, ExportResult
from ports.snapshots import CaseSnapshot


class SagsindeksExporter:
    """A :class:`ports.integrations.CaseExporter` for SF1470.

    Idempotent by asking the index first (``fremsoeg``) rather than trusting the hub's
    memory: documents it does not hold are imported, then the case is imported when
    the index does not know it yet and updated (``opdater``) when it does. A repeated
    export after a crash between the call and the hub's commit therefore updates, and
    never imports the same case twice. The case's UUID is its id in the index.
    """

    def __init__(self, client: SagDokumentIndeksClient, options: SagOptions) -> None:
        self._client = client
        self._options = options

    def export_case(self, snapshot: CaseSnapshot, *, external_id: str | None) -> ExportResult:
        case_id = snapshot.case.id
        found = self._client.fremsoeg(
            case_ids=[case_id], document_ids=[document.id for document in snapshot.documents]
        )
        missing = [
            document for document in snapshot.documents if document.id not in found.documents
        ]
        if missing:
            self._client.importer(
                [dokument_indeks(snapshot, document, self._options) for document in missing]
            )
        if case_id in found.cases:
            try:
                self._client.opdater([opdater_sag_indeks(snapshot, self._options)])
            except ExportFailed as failure:
                if failure.code != str(STATUS_NOT_FOUND):
                    raise
            else:
                return ExportResult(external_id=str(case_id), created=False)
        self._client.importer([sag_indeks(snapshot, self._options)])
        return ExportResult(external_id=str(case_id), created=True)

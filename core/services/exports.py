"""Running the export jobs: a fresh locked copy to one bound adapter, idempotently.

The job names the adapter and the case (or document). The copy is read when the job
runs, so a job that waited while more changes came in sends the newest state; the
read is audited as an ``export`` by ``export:<adapter>``. What the adapter calls the
copy is stored per (adapter, object), and handed back on the next export so that the
adapter updates instead of creating a second copy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from core.services.cases import CaseService
from core.services.changes import EXPORT_CASE, EXPORT_DOCUMENT
from core.services.transaction import TransactionalService
from ports.integrations import (
    CaseExporter,
    DocumentExporter,
    ExportFailed,
    ExportResult,
    OpenPart,
)
from ports.persistence import UnitOfWork, UnitOfWorkFactory


class ExportService(TransactionalService):
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        municipality_id: UUID,
        cases: CaseService,
        *,
        case_exporters: Mapping[str, CaseExporter],
        document_exporters: Mapping[str, DocumentExporter],
        open_part: OpenPart,
    ) -> None:
        super().__init__(uow_factory, municipality_id)
        self._cases = cases
        self._case_exporters = case_exporters
        self._document_exporters = document_exporters
        self._open_part = open_part

    def handlers(self) -> dict[str, Callable[[dict[str, Any]], ExportResult]]:
        """The job tasks this service runs, by task name."""
        return {EXPORT_CASE: self.export_case, EXPORT_DOCUMENT: self.export_document}

    def export_case(self, payload: dict[str, Any]) -> ExportResult:
        adapter, case_id = self._target(payload, "case_id")
        exporter = self._adapter(self._case_exporters, "case_export", adapter)
        snapshot = self._cases.snapshot(case_id, actor=f"export:{adapter}", action="export")
        known = self._run(lambda uow: uow.exports.external_id(adapter, "case", case_id))
        result = exporter.export_case(snapshot, external_id=known)
        self._remember(adapter, "case", case_id, result)
        return result

    def export_document(self, payload: dict[str, Any]) -> ExportResult:
        adapter, document_id = self._target(payload, "document_id")
        exporter = self._adapter(self._document_exporters, "document_export", adapter)
        snapshot = self._cases.document(document_id, actor=f"export:{adapter}", action="export")
        known = self._run(lambda uow: uow.exports.external_id(adapter, "document", document_id))
        result = exporter.export_document(snapshot, self._open_part, external_id=known)
        self._remember(adapter, "document", document_id, result)
        return result

    def _target(self, payload: dict[str, Any], field: str) -> tuple[str, UUID]:
        if UUID(payload["municipality_id"]) != self._municipality_id:
            raise ExportFailed(
                f"the job belongs to municipality {payload['municipality_id']}, not this hub's",
                retryable=False,
            )
        return payload["adapter"], UUID(payload[field])

    @staticmethod
    def _adapter(bound: Mapping[str, Any], port: str, name: str) -> Any:
        adapter = bound.get(name)
        if adapter is None:
            raise ExportFailed(
                f"no {port} adapter named {name!r} is bound any more", retryable=False
            )
        return adapter

    def _remember(
        self, adapter: str, object_type: str, object_id: UUID, result: ExportResult
    ) -> None:
        def work(uow: UnitOfWork) -> None:
            uow.exports.remember(adapter, object_type, object_id, result.external_id)

        self._run(work)

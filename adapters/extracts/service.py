"""Ordering an archive extract, and the job that makes it.

An order is checked when it is made (the selection's syntax, the cases it names, the
adapter, no standing order for the same AVID) and recorded ``queued`` together with its
``archive_extract`` job. The job selects the cases again when it runs (a ``closed``
selection means the cases closed by then), hands their snapshots to the bound
:class:`ports.integrations.Archiver` (each read audited as ``archive`` by
``archive-api:<client>``) and records ``done`` with the result, or ``failed`` with the
reason and the findings. A failed extract is ordered again under the same number once
its causes are put right; the archiver resumes with the documents already converted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from adapters.extracts.models import ExtractOrder, ExtractState, ExtractStatus
from adapters.extracts.store import ExtractStore
from adapters.jobs.runner import describe
from core.errors import Conflict, DomainError, InvalidValue, NotFound
from core.models import utcnow
from core.services.cases import CaseService
from core.services.selection import SelectorKind, parse_selector, select_cases
from core.values import redact_cpr
from ports.integrations import ArchiveFailed, Archiver, ArchiveRequest, ArchiveResult, OpenPart
from ports.persistence import UnitOfWorkFactory
from ports.snapshots import CaseSnapshot

log = logging.getLogger(__name__)

ARCHIVE_EXTRACT = "archive_extract"
"""The job task that makes one ordered extract: payload ``{"municipality_id", "extract_id"}``."""
AUDIT_ACTION = "archive"


class ExtractService:
    def __init__(
        self,
        store: ExtractStore,
        archivers: Mapping[str, Archiver],
        cases: CaseService,
        uow_factory: UnitOfWorkFactory,
        municipality_id: UUID,
        *,
        open_part: OpenPart,
        extracts_dir: Path,
    ) -> None:
        self._store = store
        self._archivers = dict(archivers)
        self._cases = cases
        self._uow_factory = uow_factory
        self._municipality_id = municipality_id
        self._open_part = open_part
        self._extracts_dir = extracts_dir

    def handlers(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        """The job tasks this service runs, by task name."""
        return {ARCHIVE_EXTRACT: self.run_job}

    def order(self, order: ExtractOrder, requested_by: str) -> ExtractStatus:
        """Check and record the order, and queue its job; raises a DomainError naming the
        field that is wrong."""
        selector = parse_selector(order.select)
        if selector.kind in (SelectorKind.CASE, SelectorKind.NUMBER):
            list(select_cases(selector, self._uow_factory, self._municipality_id))
        adapter = self._adapter_name(order.adapter)
        standing = self._store.standing(order.archive_code, order.number)
        if standing is not None:
            raise Conflict(
                f"AVID.{order.archive_code}.{order.number}.1 is already ordered "
                f"(extract {standing.id}, {standing.state})",
                field="number",
            )
        status = ExtractStatus(
            id=uuid4(),
            state=ExtractState.QUEUED,
            adapter=adapter,
            requested_by=requested_by,
            requested_at=utcnow(),
            **order.model_dump(exclude={"adapter"}),
        )
        self._store.add(
            status,
            ARCHIVE_EXTRACT,
            {"municipality_id": str(self._municipality_id), "extract_id": str(status.id)},
            dedupe_key=f"{ARCHIVE_EXTRACT}:{order.archive_code}.{order.number}",
        )
        return status

    def status(self, extract_id: UUID) -> ExtractStatus:
        found = self._store.get(extract_id)
        if found is None:
            raise NotFound(f"no archive extract {extract_id}", field="extract_id")
        return found

    def run_job(self, payload: dict[str, Any]) -> None:
        """Make the ordered extract and record how it went. A job that runs again for an
        extract already finished does nothing; one whose worker died mid-way resumes."""
        if UUID(payload["municipality_id"]) != self._municipality_id:
            raise NotFound("the job belongs to another municipality", field="municipality_id")
        extract = self.status(UUID(payload["extract_id"]))
        if extract.state in (ExtractState.DONE, ExtractState.FAILED):
            return
        self._store.update(extract.id, state=ExtractState.RUNNING, started_at=utcnow())
        try:
            result, cases = self._make(extract)
        except DomainError as error:
            self._failed(extract, error)
        except Exception as error:
            log.exception("archive extract %s failed", extract.id)
            self._store.update(
                extract.id, state=ExtractState.FAILED, finished_at=utcnow(), error=describe(error)
            )
        else:
            self._store.update(
                extract.id,
                state=ExtractState.DONE,
                finished_at=utcnow(),
                path=str(result.path),
                cases=cases,
                documents=result.documents,
                pages=result.pages,
                notes=[redact_cpr(note) for note in result.problems],
            )

    def _make(self, extract: ExtractStatus) -> tuple[ArchiveResult, int]:
        archiver = self._archivers.get(extract.adapter)
        if archiver is None:
            raise NotFound(
                f"no archive adapter named {extract.adapter!r} is bound any more", field="adapter"
            )
        selector = parse_selector(extract.select)
        case_ids = list(select_cases(selector, self._uow_factory, self._municipality_id))
        if not case_ids:
            raise InvalidValue("no cases match the selection", field="select")
        request = ArchiveRequest(
            profile=extract.profile,
            archive_code=extract.archive_code,
            number=extract.number,
            case_ids=case_ids,
            out_dir=self._extracts_dir,
        )
        self._extracts_dir.mkdir(parents=True, exist_ok=True)
        snapshots = self._snapshots(case_ids, actor=f"archive-api:{extract.requested_by}")
        return archiver.create(request, snapshots, self._open_part), len(case_ids)

    def _snapshots(self, case_ids: list[UUID], actor: str) -> Iterator[CaseSnapshot]:
        for case_id in case_ids:
            yield self._cases.snapshot(case_id, actor, action=AUDIT_ACTION)

    def _failed(self, extract: ExtractStatus, error: DomainError) -> None:
        problems = list(error.problems) if isinstance(error, ArchiveFailed) else []
        message = str(error)
        if problems:  # the message lists them too: keep its summary line
            message = message.split("\n", 1)[0]
        self._store.update(
            extract.id,
            state=ExtractState.FAILED,
            finished_at=utcnow(),
            error=redact_cpr(message),
            findings=[redact_cpr(problem) for problem in problems],
        )

    def _adapter_name(self, wanted: str | None) -> str:
        if wanted is None:
            if not self._archivers:
                raise Conflict("no archive adapter is bound ([ports] archive)", field="adapter")
            return next(iter(self._archivers))
        if wanted not in self._archivers:
            bound = ", ".join(self._archivers) or "none"
            raise NotFound(
                f"no archive adapter named {wanted!r} is bound (bound: {bound})", field="adapter"
            )
        return wanted

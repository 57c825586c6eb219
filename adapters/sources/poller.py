"""Polling a bound document source to its end: each document into the intake, then its cursor.

Per document the order is fixed: the intake commits the document, then the source's
cursor moves past it. A poll interrupted in between delivers that one document again
next time, and the intake answers it as a repeat: nothing lands twice.

A document the intake refuses (a file that is not what it claims, a malformed CPR
number, the same message id with other content) would be refused on every poll and hold
back every document after it, so it is reported with its message id and reason (in the
poll's report, and as a warning in the log) and passed. A failure of the source itself
(unreachable, a fault) ends the poll where it is; the next poll resumes there.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from adapters.intake.staging import DeliveryStaging
from adapters.jobs.runner import TaskFailed
from adapters.sources.cursors import SourceCursors
from adapters.sources.documents import KnownCase, Receive, receive_sourced
from core.errors import DomainError, NotFound
from core.values import redact_cpr
from ports.integrations import DocumentSource, SourcedDocument

log = logging.getLogger(__name__)

POLL_SOURCE = "poll_source"
"""The job task that polls one source: payload ``{"municipality_id", "source"}``."""


@dataclass
class PollReport:
    """What one poll of one source did."""

    source: str
    received: int = 0
    repeated: int = 0
    """Delivered before (an interrupted poll's last document): the intake's ledger knew it."""
    refused: list[str] = field(default_factory=list)
    """``<message id>: <reason>`` of each document the intake refused (CPR numbers masked)."""
    placed: Counter[str] = field(default_factory=Counter)
    """How many received documents went to each kind of place (case, inbox, …)."""
    cursor: str | None = None

    def summary(self) -> str:
        places = ", ".join(f"{count} {target}" for target, count in sorted(self.placed.items()))
        line = f"{self.source}: {self.received} received" + (f" ({places})" if places else "")
        line += f", {self.repeated} already received, {len(self.refused)} refused"
        return line + (f"; cursor {self.cursor}" if self.cursor is not None else "")


class PollInterrupted(TaskFailed):
    """The source failed in the middle of a poll; ``report`` says what came before.

    Its message is the source's error described with CPR numbers masked; whether a retry
    may help is decided from that error (a timeout may pass, a refused login will not).
    """

    def __init__(self, report: PollReport, error: BaseException) -> None:
        super().__init__(error)
        self.report = report


class SourcePoller:
    """Polls the sources bound to ``document_source``, by their bound names."""

    def __init__(
        self,
        sources: Mapping[str, DocumentSource],
        cursors: SourceCursors,
        municipality_id: UUID,
        *,
        receive: Receive,
        staging: Callable[[], DeliveryStaging],
        known_case: KnownCase,
    ) -> None:
        self.sources = dict(sources)
        self.cursors = cursors
        self._municipality_id = municipality_id
        self._receive = receive
        self._staging = staging
        self._known_case = known_case

    @property
    def names(self) -> list[str]:
        return list(self.sources)

    def handlers(self) -> dict[str, Callable[[dict[str, Any]], PollReport]]:
        """The job tasks this poller runs, by task name."""
        return {POLL_SOURCE: self.run_job}

    def run_job(self, payload: dict[str, Any]) -> PollReport:
        if UUID(payload["municipality_id"]) != self._municipality_id:
            raise NotFound(
                f"the job belongs to municipality {payload['municipality_id']}, not this hub's",
                field="municipality_id",
            )
        report = self.poll(payload["source"])
        log.info("polled %s", report.summary())
        return report

    def poll(self, name: str) -> PollReport:
        """Poll one source from its cursor to its end (see the module docstring)."""
        source = self.sources.get(name)
        if source is None:
            bound = ", ".join(self.sources) or "none"
            raise NotFound(
                f"no document source named {name!r} is bound (bound: {bound})", field="source"
            )
        report = PollReport(source=name, cursor=self.cursors.state(name).cursor)
        try:
            for document, cursor in source.poll(report.cursor):
                self._deliver(name, source, document, report)
                self.cursors.advance(name, cursor)
                report.cursor = cursor
        except Exception as error:
            raise PollInterrupted(report, error) from error
        self.cursors.polled(name)
        return report

    def _deliver(
        self, name: str, source: DocumentSource, document: SourcedDocument, report: PollReport
    ) -> None:
        try:
            receipt = receive_sourced(
                document,
                sender_system=source.system_name,
                receive=self._receive,
                staging=self._staging(),
                known_case=self._known_case,
            )
        except DomainError as error:
            reason = redact_cpr(f"{document.message_id}: {error}")
            report.refused.append(reason)
            log.warning("source %s: refused %s", name, reason)
            return
        if receipt.duplicate:
            report.repeated += 1
        else:
            report.received += 1
            report.placed[receipt.target.value] += 1

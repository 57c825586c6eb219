"""The migration loop: stage a batch, hand it to the intake in one transaction, report.

Memory stays flat: items are pulled from the source one batch at a time, report
lines are written as each batch commits, and the summary only counts.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import islice
from typing import Protocol, TypeVar
from uuid import UUID

from adapters.migration.identity import sender_system
from adapters.migration.items import MigrationItem, MigrationSource
from adapters.migration.prepare import Prepared, Stager, prepare
from adapters.migration.report import Outcome, ReportLine, ReportWriter, SkipReason, Summary
from core.errors import Conflict, DomainError
from core.intake import Receipt
from ports.persistence import UnitOfWorkFactory

DEFAULT_BATCH = 1000
KNOWN_CASES_REMEMBERED = 100_000
"""Known case numbers remembered between batches (a few MB at most), so that each is
looked up once, not once per batch; past this many, the memory starts over."""

T = TypeVar("T")


class BatchIntake(Protocol):
    """The part of the core's ``IntakeService`` a migration uses."""

    def receive_batch(self, incomings: Sequence) -> list[Receipt | DomainError]:
        """Receive documents in one transaction; a refused one is a DomainError in its slot."""
        ...


class ProgressSink(Protocol):
    def start(self, total: int | None) -> None: ...
    def advance(self, documents: int, size: int) -> None: ...


class NoProgress:
    """For callers that want no progress display."""

    def start(self, total: int | None) -> None:
        pass

    def advance(self, documents: int, size: int) -> None:
        pass


KnownCases = Callable[[Collection[str]], set[str]]
"""Which of these case numbers the hub knows."""


def known_cases_in(uow_factory: UnitOfWorkFactory, municipality_id: UUID) -> KnownCases:
    """A :data:`KnownCases` reading the municipality's cases, one unit of work per call."""

    def known(numbers: Collection[str]) -> set[str]:
        with uow_factory(municipality_id) as uow:
            return {case.number for case in uow.cases.get_many_by_number(list(numbers))}

    return known


def without_unknown_case(prepared: Prepared, known: set[str]) -> Prepared:
    """An old case number the hub does not know is no reason to leave the document
    behind: it goes on to the other rules (party, caseworker, common inbox), and the
    number is kept as a hint for the caseworker who places it."""
    case = prepared.incoming.case
    if case is None or case.case_number is None or case.case_number in known:
        return prepared
    incoming = prepared.incoming.model_copy(
        update={"case": None, "subject_hint": f"old case number {case.case_number}"}
    )
    note = f"case {case.case_number} is not in the hub; "
    return replace(prepared, incoming=incoming, note=note)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _line(prepared: Prepared, result: Receipt | DomainError, dry_run: bool) -> ReportLine:
    message = prepared.incoming.message_id
    if isinstance(result, DomainError):
        reason = SkipReason.CONFLICT if isinstance(result, Conflict) else SkipReason.REJECTED
        return ReportLine(
            source=prepared.key,
            message_id=message,
            skip_reason=reason,
            reason=str(result),
            size=prepared.size,
        )
    if result.duplicate:
        outcome = Outcome.ALREADY_MIGRATED
    else:
        outcome = Outcome.WOULD_PLACE if dry_run else Outcome.PLACED
    return ReportLine(
        source=prepared.key,
        message_id=message,
        outcome=outcome,
        target=result.target,
        case_number=result.case_number,
        rule=result.rule,
        reason=prepared.note + result.reason,
        document_id="" if dry_run else str(result.document_id),
        size=prepared.size,
    )


class Migration:
    """Migrates one source through the intake, ``batch_size`` documents per transaction.

    Rerunning after an interruption is safe: message ids are derived from each
    document's key and content, so the intake's ledger answers what an earlier run
    committed (``already_migrated``) and stores only the rest.
    """

    def __init__(
        self,
        source: MigrationSource,
        intake: BatchIntake,
        stager: Stager,
        *,
        batch_size: int = DEFAULT_BATCH,
        report: ReportWriter | None = None,
        progress: ProgressSink | None = None,
        dry_run: bool = False,
        known_cases: KnownCases | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch: at least 1")
        self.source = source
        self.intake = intake
        self.stager = stager
        self.batch_size = batch_size
        self.report = report
        self.progress = progress or NoProgress()
        self.dry_run = dry_run
        self.known_cases = known_cases
        self.sender = sender_system(source.name)
        self.summary = Summary()
        self._known_cases: set[str] = set()
        """Case numbers the hub knew in an earlier batch (cases are never deleted)."""

    def run(self) -> Summary:
        self.progress.start(self.source.count())
        for chunk in batched(self.source.items(), self.batch_size):
            self._run_batch(chunk)
        return self.summary

    def _run_batch(self, items: list[MigrationItem]) -> None:
        slots = [prepare(item, self.sender, self.stager) for item in items]
        ready = [slot for slot in slots if isinstance(slot, Prepared)]
        if self.known_cases is not None:
            slots, ready = self._resolve_cases(slots, ready)
        try:
            results = self.intake.receive_batch([p.incoming for p in ready]) if ready else []
        except BaseException:
            self._discard(ready)
            raise
        self._discard(
            [p for p, result in zip(ready, results, strict=True) if not self._stored(result)]
        )
        outcomes = iter(results)
        size = 0
        for slot in slots:
            line = _line(slot, next(outcomes), self.dry_run) if isinstance(slot, Prepared) else slot
            size += line.size
            self.summary.add(line)
            if self.report:
                self.report.write(line)
        if self.report:
            self.report.flush()
        self.progress.advance(len(items), size)

    def _stored(self, result: Receipt | DomainError) -> bool:
        """Whether the intake stored the document now, which promoted its staged files."""
        return not self.dry_run and isinstance(result, Receipt) and not result.duplicate

    def _discard(self, prepared: Iterable[Prepared]) -> None:
        """Throw away staged files the intake did not take (it discards the ones it
        refuses itself: this makes sure, whatever it did)."""
        for document in prepared:
            for token in document.tokens:
                self.stager.discard(token)

    def _resolve_cases(
        self, slots: list[Prepared | ReportLine], ready: list[Prepared]
    ) -> tuple[list[Prepared | ReportLine], list[Prepared]]:
        numbers = {p.incoming.case.case_number for p in ready if p.incoming.case}
        numbers.discard(None)
        if unseen := numbers - self._known_cases:
            if len(self._known_cases) + len(unseen) > KNOWN_CASES_REMEMBERED:
                self._known_cases.clear()
            self._known_cases |= self.known_cases(unseen)
        slots = [
            without_unknown_case(slot, self._known_cases) if isinstance(slot, Prepared) else slot
            for slot in slots
        ]
        return slots, [slot for slot in slots if isinstance(slot, Prepared)]

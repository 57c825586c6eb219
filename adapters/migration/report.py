"""The migration's account of every document: CSV report lines and the summary counts.

Nothing here ever holds more than one line: the report is written as the run
goes, and the summary only counts. No report line contains a full CPR number.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import TextIO

from adapters.redaction import redact_cpr
from core.models import PlacementTarget


class Outcome(StrEnum):
    PLACED = "placed"
    """Stored and placed by this run."""
    ALREADY_MIGRATED = "already_migrated"
    """Stored by an earlier run (the intake ledger knew its message id); nothing new stored."""
    WOULD_PLACE = "would_place"
    """Dry run: where it would land; nothing stored."""
    SKIPPED = "skipped"


class SkipReason(StrEnum):
    UNREADABLE = "unreadable"
    TOO_LARGE = "too_large"
    REFUSED_TYPE = "refused_type"
    INVALID_METADATA = "invalid_metadata"
    REJECTED = "rejected"
    """The intake refused it (an unknown case number, …)."""
    CONFLICT = "conflict"
    """Migrated before with other metadata (same file, same key, changed manifest)."""


@dataclass(frozen=True, slots=True)
class ReportLine:
    source: str
    message_id: str = ""
    outcome: Outcome = Outcome.SKIPPED
    target: PlacementTarget | None = None
    case_number: str | None = None
    rule: str = ""
    reason: str = ""
    skip_reason: SkipReason | None = None
    document_id: str = ""
    size: int = 0


REPORT_COLUMNS = (
    "source",
    "message_id",
    "outcome",
    "target",
    "case_number",
    "rule",
    "skip_reason",
    "reason",
    "document_id",
)


class ReportWriter:
    """Writes one CSV line per document; ``flush`` after each batch so a killed run
    leaves a report of everything committed so far."""

    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self._csv = csv.writer(handle)
        self._csv.writerow(REPORT_COLUMNS)

    def write(self, line: ReportLine) -> None:
        self._csv.writerow(
            (
                redact_cpr(line.source),
                line.message_id,
                line.outcome.value,
                line.target.value if line.target else "",
                line.case_number or "",
                line.rule,
                line.skip_reason.value if line.skip_reason else "",
                redact_cpr(line.reason),
                line.document_id,
            )
        )

    def flush(self) -> None:
        self._handle.flush()


@dataclass
class Summary:
    """Counts of a run: by outcome, by placement target and by skip reason."""

    documents: int = 0
    bytes: int = 0

    def __post_init__(self) -> None:
        self.outcomes: Counter[Outcome] = Counter()
        self.targets: Counter[PlacementTarget] = Counter()
        self.skipped: Counter[SkipReason] = Counter()

    def add(self, line: ReportLine) -> None:
        self.documents += 1
        self.bytes += line.size
        self.outcomes[line.outcome] += 1
        if line.target is not None:
            self.targets[line.target] += 1
        if line.skip_reason is not None:
            self.skipped[line.skip_reason] += 1

"""The migration's feel on a terminal: a rich progress bar and the closing summary table."""

from __future__ import annotations

from rich.console import Console
from rich.filesize import decimal
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from adapters.migration.report import Outcome, Summary
from core.models import PlacementTarget

TARGET_LABELS = {
    PlacementTarget.CASE: "on a case",
    PlacementTarget.ACTIVITY: "on an activity",
    PlacementTarget.NEW_CASE: "on a new case",
    PlacementTarget.CASEWORKER_INBOX: "in caseworkers' inboxes",
    PlacementTarget.COMMON_INBOX: "in the common inbox",
}


class _BytesColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(decimal(task.fields.get("bytes", 0)), style="progress.filesize")


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text(f"{speed:,.0f} docs/s" if speed else "– docs/s", style="progress.data.speed")


class RichProgress:
    """Documents done of total, bytes, documents per second and time remaining."""

    def __init__(self, console: Console, description: str = "migrating") -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _BytesColumn(),
            _RateColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=console,
            speed_estimate_period=60,
            refresh_per_second=4,  # redrawing is not free; a migration runs for hours
        )
        self._task = self._progress.add_task(description, total=None, bytes=0, start=False)
        self._bytes = 0

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._progress.stop()

    def start(self, total: int | None) -> None:
        self._progress.update(self._task, total=total)
        self._progress.start_task(self._task)

    def advance(self, documents: int, size: int) -> None:
        self._bytes += size
        self._progress.update(self._task, advance=documents, bytes=self._bytes)


def summary_table(summary: Summary, *, dry_run: bool, seconds: float) -> Table:
    """Where the documents went (or would go), and why the skipped ones were skipped."""
    verb = "would land" if dry_run else "landed"
    table = Table(title=f"Migration{' (dry run: nothing stored)' if dry_run else ''}")
    table.add_column(f"documents {verb}")
    table.add_column("count", justify="right")
    for target, label in TARGET_LABELS.items():
        table.add_row(label, f"{summary.targets[target]:,}")
    table.add_row("skipped", f"{summary.outcomes[Outcome.SKIPPED]:,}")
    for reason, count in sorted(summary.skipped.items()):
        table.add_row(f"  {reason.value.replace('_', ' ')}", f"{count:,}", style="dim")
    table.add_section()
    table.add_row("total", f"{summary.documents:,}", style="bold")
    if summary.outcomes[Outcome.ALREADY_MIGRATED]:
        table.add_row(
            "of which migrated by an earlier run",
            f"{summary.outcomes[Outcome.ALREADY_MIGRATED]:,}",
        )
    rate = summary.documents / seconds if seconds > 0 else 0
    table.caption = f"{decimal(summary.bytes)} in {seconds:,.1f} s ({rate:,.0f} documents/s)"
    return table

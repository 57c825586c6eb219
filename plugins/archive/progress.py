"""Progress while an extract is written: cases (with ETA), documents and pages (with rate)."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class ArchiveProgress(Protocol):
    """What the writer reports as it goes; the CLI shows it, an API job ignores it."""

    def __enter__(self) -> ArchiveProgress: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def case_done(self) -> None: ...
    def document_done(self, pages: int) -> None: ...
    def stage(self, description: str) -> None: ...


class SilentProgress:
    """Reports nothing."""

    def __enter__(self) -> SilentProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def case_done(self) -> None:
        return None

    def document_done(self, pages: int) -> None:
        return None

    def stage(self, description: str) -> None:
        return None


class RateColumn(ProgressColumn):
    """Items per second, from rich's own moving estimate."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "–/s", style="progress.data.speed")


class RichProgress:
    """Three lines: cases done of all (bar, rate, ETA), documents and pages (count, rate)."""

    def __init__(self, cases: int, console: Console | None = None) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<11}"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
        )
        self._cases = self._progress.add_task("Sager", total=cases)
        self._documents = self._progress.add_task("Dokumenter", total=None)
        self._pages = self._progress.add_task("Sider", total=None)
        self._stage = self._progress.add_task("", total=None, visible=False)

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def case_done(self) -> None:
        self._progress.advance(self._cases)

    def document_done(self, pages: int) -> None:
        self._progress.advance(self._documents)
        self._progress.advance(self._pages, pages)

    def stage(self, description: str) -> None:
        self._progress.update(self._stage, description=description, visible=True)

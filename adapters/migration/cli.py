"""``sagshub migrate``: the command, registered by the hub's command line."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from adapters.intake.limits import IntakeLimits, MiB
from adapters.migration.dryrun import HashingBlobStore, never_committing
from adapters.migration.items import MigrationSource
from adapters.migration.progress import RichProgress, summary_table
from adapters.migration.report import ReportWriter, Summary
from adapters.migration.runner import DEFAULT_BATCH, Migration, known_cases_in
from adapters.migration.sources.folder import FolderExport
from adapters.migration.sources.manifest import CsvManifest, JsonLinesManifest
from adapters.migration.sources.plugin import PluginSource
from adapters.migration.staging import MigrationStager
from adapters.redaction import redact_cpr
from core.services.intake import IntakeService
from ports.services import HubServices

DEFAULT_MAX_SIZE_MB = 100
RESUME_HINT = (
    "the batch in progress was rolled back, the ones before are stored; "
    "run the same command again to finish"
)
JSON_LINES_SUFFIXES = frozenset({".jsonl", ".ndjson"})


class SourceError(ValueError):
    """The source cannot be opened at all; one plain line, nothing runs."""


def open_source(
    source: str | None, plugin: str | None, name: str | None, services: HubServices
) -> MigrationSource:
    """The source SOURCE names: a folder, a ``.csv`` or ``.jsonl`` manifest, or — with
    ``--source-plugin`` — a bound ``DocumentSource`` started from the cursor SOURCE."""
    if plugin is not None:
        bound = {s.system_name: s for s in services.document_sources}
        if plugin not in bound:
            names = ", ".join(sorted(bound)) or "none"
            raise SourceError(f"--source-plugin: no document source {plugin!r} (bound: {names})")
        return PluginSource(bound[plugin], cursor=source)
    if source is None:
        raise SourceError("SOURCE: name a folder export or a manifest (or use --source-plugin)")
    path = Path(source)
    if path.is_dir():
        return FolderExport(path, name)
    if not path.is_file():
        raise SourceError(f"SOURCE: {path} is neither a folder nor a file")
    if path.suffix.lower() == ".csv":
        return CsvManifest(path, name)
    if path.suffix.lower() in JSON_LINES_SUFFIXES:
        return JsonLinesManifest(path, name)
    raise SourceError(f"SOURCE: {path} is not a .csv or .jsonl manifest")


def migration_intake(services: HubServices, *, dry_run: bool) -> tuple[IntakeService, object]:
    """The core's intake service over the hub's persistence, with the hub's rules.

    Without a notifier: migrating years of old documents must not e-mail caseworkers
    (the notices are stored all the same). A dry run gets a unit of work that never
    commits and a blob store that only hashes.
    """
    blobs = HashingBlobStore(services.blobs) if dry_run else services.blobs
    uow_factory = never_committing(services.uow_factory) if dry_run else services.uow_factory
    intake = IntakeService(
        uow_factory,
        blobs,
        services.municipality.id,
        services.placement_rules,
        services.placement_policy,
    )
    return intake, blobs


@contextmanager
def hub_left_out_of_collections() -> Iterator[None]:
    """Leave every object that exists now (the hub, its modules, its database engine)
    out of the garbage collector's scans while the block runs.

    A migration makes thousands of short-lived objects a second, so the collector runs
    often, and each full collection would walk the whole long-lived hub again: that
    was about 40 % of the pipeline's Python time outside the database.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def run_migration(
    services: HubServices,
    source: MigrationSource,
    *,
    dry_run: bool,
    batch: int,
    max_size_mb: int,
    report: ReportWriter | None,
    console: Console,
) -> Summary:
    intake, blobs = migration_intake(services, dry_run=dry_run)
    limit = max_size_mb * MiB
    limits = IntakeLimits(max_part_bytes=limit, max_document_bytes=max(limit, 2048 * MiB))
    with RichProgress(console, "dry run" if dry_run else "migrating") as progress:
        migration = Migration(
            source,
            intake,
            MigrationStager(blobs, limits),
            batch_size=batch,
            report=report,
            progress=progress,
            dry_run=dry_run,
            known_cases=known_cases_in(services.uow_factory, services.municipality.id),
        )
        return migration.run()


def register(cli: typer.Typer, services_factory: Callable[[], HubServices]) -> None:
    """Add ``migrate`` to the hub's command line (``services_factory`` builds the hub)."""

    @cli.command("migrate")
    def migrate(
        source: Annotated[
            str | None,
            typer.Argument(
                metavar="SOURCE",
                help="a folder export, a .csv or .jsonl manifest; with --source-plugin, "
                "the cursor to start from",
                show_default=False,
            ),
        ] = None,
        dry_run: Annotated[
            bool,
            typer.Option("--dry-run", help="decide where each document would land; store nothing"),
        ] = False,
        batch: Annotated[
            int, typer.Option("--batch", min=1, help="documents per transaction")
        ] = DEFAULT_BATCH,
        report: Annotated[
            Path | None, typer.Option("--report", help="write a CSV line per document here")
        ] = None,
        source_plugin: Annotated[
            str | None,
            typer.Option("--source-plugin", help="migrate from this bound DocumentSource"),
        ] = None,
        name: Annotated[
            str | None,
            typer.Option(
                "--name", help="the source's name in migration:NAME (default: its file name)"
            ),
        ] = None,
        max_size: Annotated[
            int, typer.Option("--max-size", min=1, help="largest file taken, in MB")
        ] = DEFAULT_MAX_SIZE_MB,
    ) -> None:
        """Migrate old documents through the intake, in batches, resumably (docs/migration.md)."""
        console = Console(stderr=True)
        services = services_factory()
        try:
            migration_source = open_source(source, source_plugin, name, services)
        except ValueError as exc:
            typer.echo(f"sagshub migrate: {exc}", err=True)
            raise typer.Exit(2) from None
        report_file = report.open("w", encoding="utf-8", newline="") if report else None
        started = time.monotonic()
        try:
            with hub_left_out_of_collections():
                summary = run_migration(
                    services,
                    migration_source,
                    dry_run=dry_run,
                    batch=batch,
                    max_size_mb=max_size,
                    report=ReportWriter(report_file) if report_file else None,
                    console=console,
                )
        except KeyboardInterrupt:
            typer.echo(f"sagshub migrate: interrupted; {RESUME_HINT}", err=True)
            raise typer.Exit(130) from None
        except Exception as exc:  # the database or the disk failed: one line, not a traceback
            problem = redact_cpr(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            typer.echo(f"sagshub migrate: stopped: {problem}; {RESUME_HINT}", err=True)
            raise typer.Exit(1) from None
        finally:
            if report_file:
                report_file.close()
        seconds = time.monotonic() - started
        Console(file=sys.stdout).print(summary_table(summary, dry_run=dry_run, seconds=seconds))
        if report:
            console.print(f"report: {report}")

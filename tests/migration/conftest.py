"""A municipality in memory (the core's fakes) and the core's intake service over it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import pytest

from adapters.intake.limits import IntakeLimits
from adapters.migration.report import ReportWriter, Summary
from adapters.migration.runner import Migration, known_cases_in
from adapters.migration.staging import MigrationStager
from core.placement import seed_chain
from core.rules import PlacementPolicy
from core.services.intake import IntakeService
from tests.fakes import InMemoryBlobStore, InMemoryStore, memory_uow_factory
from tests.unit.builders import World


@dataclass
class Run:
    summary: Summary
    rows: list[dict[str, str]] = field(default_factory=list)

    def by_source(self) -> dict[str, dict[str, str]]:
        return {row["source"]: row for row in self.rows}


@dataclass
class MemoryHub:
    """What the migration needs from the hub, built on the core's in-memory fakes."""

    store: InMemoryStore
    blobs: InMemoryBlobStore
    world: World

    @property
    def uow_factory(self):
        return self.world.uow_factory

    def intake(self, uow_factory=None, blobs=None) -> IntakeService:
        return IntakeService(
            uow_factory or self.uow_factory,
            blobs or self.blobs,
            self.world.id,
            seed_chain(),
            PlacementPolicy(),
        )

    def migrate(self, source, *, max_bytes: int = 10_000_000, intake=None, blobs=None, **options):
        """Run a migration of ``source``; the summary and the report's lines."""
        buffer = io.StringIO()
        migration = Migration(
            source,
            intake or self.intake(),
            MigrationStager(blobs or self.blobs, IntakeLimits(max_part_bytes=max_bytes)),
            report=ReportWriter(buffer),
            **{"known_cases": known_cases_in(self.uow_factory, self.world.id), **options},
        )
        summary = migration.run()
        return Run(summary, list(csv.DictReader(io.StringIO(buffer.getvalue()))))

    def documents(self):
        """Every stored document (read through a unit of work's intake ledger)."""
        return self.store.tables["documents"]


@pytest.fixture
def hub() -> MemoryHub:
    store, blobs = InMemoryStore(), InMemoryBlobStore()
    return MemoryHub(store, blobs, World(memory_uow_factory(store, blobs)))

"""What an archivist orders over the API, and what they see of it afterwards."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from core.services.selection import SYNTAX
from ports.integrations import ArchiveProfile


class ExtractState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ExtractOrder(BaseModel):
    """An archival version to make: ``AVID.<archive_code>.<number>.1`` of the selected cases."""

    model_config = ConfigDict(extra="forbid")

    profile: ArchiveProfile = Field(description="bek128, or bek1007 for archives that ask for it")
    archive_code: str = Field(
        pattern=r"^[A-Z0-9]{1,8}$", description="SA for Rigsarkivet, else the §7 archive's code"
    )
    number: int = Field(ge=1, description="the extract's number N, as the archive assigned it")
    select: str = Field(min_length=1, max_length=100_000, description=SYNTAX)
    adapter: str | None = Field(
        default=None, description="the archive adapter to use (default: the first bound)"
    )


class ExtractStatus(BaseModel):
    """An ordered extract: its order, its state and, when it ran, what came of it."""

    id: UUID
    state: ExtractState
    adapter: str
    profile: ArchiveProfile
    archive_code: str
    number: int
    select: str
    requested_by: str = Field(description="the API client that ordered it")
    requested_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    path: str | None = Field(default=None, description="the finished AVID folder, on the hub")
    cases: int | None = None
    documents: int | None = None
    pages: int | None = None
    notes: list[str] = Field(
        default_factory=list, description="what a done extract left out or adjusted, and why"
    )
    error: str | None = Field(default=None, description="why a failed extract failed")
    findings: list[str] = Field(
        default_factory=list,
        description="each thing to put right: documents that cannot be converted, "
        "validation findings ([check id] message)",
    )

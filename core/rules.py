"""The contract of a placement rule: what a rule sees and what it may decide.

The seed's rules live in :mod:`core.placement`; plugins contribute more
through the ``sagshub_placement_rules`` hook. A rule either returns a
:class:`PlacementDecision` (with its reason and evidence) or ``None`` to pass
the document on to the next rule.
"""

from __future__ import annotations

from typing import Any, Protocol
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from core.intake import IncomingDocument
from core.models import Activity, Case, Caseworker, Party, PlacementTarget


class PlacementPolicy(BaseModel):
    """The municipality's placement choices."""

    create_case_for_unknown_party: bool = False
    new_case_kle_subject: str = "27.24.00"
    new_case_handlingsfacet: str = "G01"


class PlacementLookup(Protocol):
    """Read-only access to the municipality's data that rules need."""

    def case_by_id(self, case_id: UUID) -> Case | None: ...
    def case_by_number(self, number: str) -> Case | None: ...
    def activity(self, activity_id: UUID) -> Activity | None: ...
    def party_by_cpr(self, cpr: str) -> Party | None: ...
    def open_cases_for_party(self, party_id: UUID) -> list[Case]: ...
    def caseworker(self, username: str) -> Caseworker | None: ...


class PlacementContext(BaseModel):
    """What a rule is asked about: the incoming document, the lookup, the policy."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    document: IncomingDocument
    lookup: Any = Field(description="a PlacementLookup")
    policy: PlacementPolicy


class PlacementDecision(BaseModel):
    """A rule's verdict. ``evidence`` says what it matched (never a full CPR number)."""

    model_config = ConfigDict(frozen=True)

    target: PlacementTarget
    rule: str
    reason: str
    case_id: UUID | None = None
    activity_id: UUID | None = None
    caseworker_id: UUID | None = None
    candidate_case_ids: list[UUID] = Field(default_factory=list)
    new_case_party_cpr: str | None = Field(
        default=None, description="for NEW_CASE: the primary party's CPR", repr=False
    )
    evidence: dict[str, Any] = Field(default_factory=dict)


class PlacementRule(Protocol):
    """One link of the placement chain."""

    name: str
    """A stable identifier, stored with every placement the rule decides."""

    def decide(self, context: PlacementContext) -> PlacementDecision | None:
        """Return a decision, or None to let the next rule try."""
        ...

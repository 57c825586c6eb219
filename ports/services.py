"""What the hub hands to plugin factories, start-up hooks and plugin commands."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from core.models import Municipality
from core.rules import PlacementPolicy, PlacementRule
from ports.blobs import BlobStore
from ports.integrations import DocumentSource
from ports.persistence import UnitOfWorkFactory


class HubServices(Protocol):
    """The hub's shared services, built once by the composition root.

    ``intake``, ``cases`` and ``inbox`` are the core's use cases
    (:class:`core.services.intake.IntakeService`, :class:`core.services.cases.CaseService`,
    :class:`core.services.inbox.InboxService`); they are typed loosely here because
    ports never depend on the core's services.
    """

    municipality: Municipality
    uow_factory: UnitOfWorkFactory
    blobs: BlobStore
    standards_dir: Path
    intake: Any
    cases: Any
    inbox: Any
    placement_rules: Sequence[PlacementRule]
    """The placement chain the intake decides with (the seed's rules and the plugins').

    .. versionadded:: 0.1 for an intake built apart from ``intake`` (a migration's
       dry run decides with the same rules over a unit of work that never commits)."""
    placement_policy: PlacementPolicy
    """The municipality's placement choices (``[policy]``).

    .. versionadded:: 0.1"""
    document_sources: Sequence[DocumentSource]
    """The adapters bound to the ``document_source`` port, in the configured order.

    .. versionadded:: 0.1"""

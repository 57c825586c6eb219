"""What the hub hands to plugin factories, start-up hooks and plugin commands."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from core.models import Municipality
from core.rules import PlacementPolicy, PlacementRule
from ports.blobs import BlobStore
from ports.integrations import DocumentSource
from ports.persistence import UnitOfWorkFactory


class HubServices(Protocol):
    """The hub's shared services, built once by the composition root.

    ``intake``, ``cases``, ``inbox`` and ``clients`` are the core's use cases
    (:class:`core.services.intake.IntakeService`, :class:`core.services.cases.CaseService`,
    :class:`core.services.inbox.InboxService`, :class:`core.services.clients.ClientService`);
    they are typed loosely here because ports never depend on the core's services.
    """

    municipality: Municipality
    uow_factory: UnitOfWorkFactory
    blobs: BlobStore
    standards_dir: Path
    intake: Any
    cases: Any
    inbox: Any
    clients: Any

    def plugin_settings(self, plugin: str) -> BaseModel | None:
        """The plugin's ``[plugins.<plugin>]`` table, validated by the settings model its
        adapters registered (their defaults where the table says nothing).

        For what a plugin does outside an adapter factory (its commands, its routes), which
        gets no settings handed in. None when the plugin is not enabled or registers no
        settings model; a table that does not validate raises the hub's one-line error.

        .. versionadded:: 0.1
        """
        ...

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

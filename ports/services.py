"""What the hub hands to plugin factories, start-up hooks and plugin commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from core.models import Municipality
from ports.blobs import BlobStore
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

"""What the API's handlers are given, by parameter name (Litestar's named dependencies)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from litestar.di import NamedDependency, Provide
from litestar.params import SkipValidation

from adapters.api.auth import Caller
from adapters.api.reception import Reception
from core.services.cases import CaseService
from core.services.inbox import InboxService
from core.services.letters import LetterService
from ports.blobs import BlobStore

CallerDep: TypeAlias = NamedDependency[Caller]
"""The parameter ``caller``: the authenticated caller (see ``auth.require_scope``)."""
CasesDep: TypeAlias = NamedDependency[CaseService]
InboxDep: TypeAlias = NamedDependency[InboxService]
BlobsDep: TypeAlias = NamedDependency[SkipValidation[BlobStore]]
"""A Protocol, which the signature model cannot check with isinstance."""
ReceptionDep: TypeAlias = NamedDependency[Reception]
LettersDep: TypeAlias = NamedDependency[LetterService]


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def api_dependencies(
    *,
    reception: Reception,
    cases: CaseService,
    inbox: InboxService,
    blobs: BlobStore,
    letters: LetterService,
) -> dict[str, Provide]:
    """The services the controllers take as arguments, by parameter name."""
    given = {
        "reception": reception,
        "cases": cases,
        "inbox": inbox,
        "blobs": blobs,
        "letters": letters,
    }
    return {
        name: Provide(_constant(value), use_cache=True, sync_to_thread=False)
        for name, value in given.items()
    }

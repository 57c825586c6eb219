"""What the API's handlers are given, by parameter name (Litestar's named dependencies)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from litestar.di import NamedDependency, Provide

from adapters.api.auth import Caller
from adapters.api.reception import Reception
from core.services.cases import CaseService
from core.services.inbox import InboxService
from core.services.letters import LetterService

CallerDep: TypeAlias = NamedDependency[Caller]
"""The parameter ``caller``: the authenticated caller (see ``auth.require_scope``)."""
CasesDep: TypeAlias = NamedDependency[CaseService]
InboxDep: TypeAlias = NamedDependency[InboxService]
ReceptionDep: TypeAlias = NamedDependency[Reception]
LettersDep: TypeAlias = NamedDependency[LetterService]


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def api_dependencies(
    *, reception: Reception, cases: CaseService, inbox: InboxService, letters: LetterService
) -> dict[str, Provide]:
    """The services the controllers take as arguments, by parameter name."""
    given = {"reception": reception, "cases": cases, "inbox": inbox, "letters": letters}
    return {
        name: Provide(_constant(value), use_cache=True, sync_to_thread=False)
        for name, value in given.items()
    }

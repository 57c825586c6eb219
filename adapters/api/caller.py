"""Who is calling, and what they may read.

Route handlers take the caller from the app-level dependency named ``caller`` (a
:class:`Caller`). Authentication by API key (issue 3) provides it; until then the hub
provides :func:`no_authentication`, which refuses every request that needs a caller.
A route that needs a scope declares a dependency made by :func:`require_scope`; it
resolves ``caller`` and refuses a caller without the scope or of another municipality.
"""

from __future__ import annotations

from uuid import UUID

from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotAuthorizedException
from pydantic import BaseModel, ConfigDict, Field

from core.errors import NotAllowed

CASES_READ = "cases:read"
DOCUMENTS_READ = "documents:read"


class Caller(BaseModel):
    """An authenticated client system (or person): the name the audit log records."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=200)
    municipality_id: UUID
    scopes: frozenset[str] = frozenset()


def no_authentication() -> Caller:
    """The ``caller`` dependency while no authentication is configured: nobody gets in."""
    raise NotAuthorizedException("authentication is required (no API keys are configured yet)")


def require_scope(scope: str, municipality_id: UUID) -> Provide:
    """A dependency giving the ``caller`` if it holds ``scope`` and belongs to the hub's
    municipality; otherwise 403 (``not-allowed``)."""

    def guard(caller: NamedDependency[Caller]) -> Caller:
        if caller.municipality_id != municipality_id:
            raise NotAllowed("the caller belongs to another municipality", field="municipality")
        if scope not in caller.scopes:
            raise NotAllowed(f"the caller lacks the scope {scope}", field="scope")
        return caller

    return Provide(guard, sync_to_thread=False)

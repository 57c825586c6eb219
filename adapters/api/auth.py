"""Who is calling: API keys (``Authorization: Bearer <key>``), callers and their scopes.

Every route but ``/health`` and the OpenAPI pages needs a key: the
:class:`CallerMiddleware` turns a valid key (:func:`by_api_key`) into a
:class:`Caller` on ``request.user`` and answers anything else with a 401 problem. A controller
states what its handlers need with a dependency named ``caller``::

    class CaseController(Controller):
        dependencies = {"caller": require_scope(Scope.CASES_READ)}

        @get("/{case_id:uuid}", operation_id="getCase")
        def get_case(self, caller: Caller, case_id: UUID) -> CaseDetail: ...

A caller without the scope gets a 403 problem. The app also provides ``caller``
itself (:func:`authenticated_caller`, no scope checked), for guards that take it as
``NamedDependency[Caller]``. The hub serves one municipality,
and only that municipality's keys are recognised, so everything a caller reaches
through the services belongs to the caller's municipality.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import anyio.to_thread
from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.di import Provide
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.base import DefineMiddleware
from pydantic import BaseModel, ConfigDict, Field

from adapters.api.problems import problem
from core.errors import NotAllowed
from ports.clients import ApiClient, ClientKind, Scope

PUBLIC_PATHS = ["^/health$", "^/schema"]
"""The only routes that answer without a key: the health check and the OpenAPI pages."""


class Caller(BaseModel):
    """The authenticated holder of an API key: a client system or a caseworker."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description="the client system's name (its sender system), or the token's")
    municipality_id: UUID
    scopes: frozenset[Scope]
    kind: ClientKind = ClientKind.CLIENT
    caseworker_id: UUID | None = Field(
        default=None, description="the caseworker of a personal token"
    )
    max_document_bytes: int | None = Field(
        default=None, description="the client's own limit on one document's files"
    )

    @classmethod
    def of(cls, client: ApiClient) -> Caller:
        return cls(
            name=client.name,
            municipality_id=client.municipality_id,
            scopes=client.scopes,
            kind=client.kind,
            caseworker_id=client.caseworker_id,
            max_document_bytes=client.max_document_bytes,
        )


class NotAuthenticated(NotAuthorizedException):
    """No key, or a key the hub does not recognise (unknown, revoked, another municipality's)."""


def bearer_key(header: str | None) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header."""
    if not header:
        return None
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return key.strip()


Identify = Callable[[ASGIConnection], Awaitable[Caller]]
"""Who is calling: a :class:`Caller`, or :class:`NotAuthenticated` (or another 401)."""


def by_api_key(authenticate: Callable[[str], ApiClient | None]) -> Identify:
    """Callers recognised by their API key; ``authenticate`` (a blocking lookup) runs in a
    worker thread."""

    async def identify(connection: ASGIConnection) -> Caller:
        key = bearer_key(connection.headers.get("authorization"))
        if key is None:
            raise NotAuthenticated("send the API key as 'Authorization: Bearer <key>'")
        client = await anyio.to_thread.run_sync(authenticate, key)
        if client is None:
            raise NotAuthenticated("the API key is unknown or revoked")
        return Caller.of(client)

    return identify


def by_function(identify: Callable[[ASGIConnection], Caller]) -> Identify:
    """Callers told by a plain function of the request (tests stand in for keys so)."""

    async def identify_async(connection: ASGIConnection) -> Caller:
        return identify(connection)

    return identify_async


class CallerMiddleware(AbstractAuthenticationMiddleware):
    """Sets ``request.user`` to the :class:`Caller`, or answers 401; public paths pass."""

    def __init__(self, app: Any, identify: Identify) -> None:
        super().__init__(app, exclude=PUBLIC_PATHS)
        self._identify = identify

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        return AuthenticationResult(user=await self._identify(connection), auth=None)


def caller_middleware(identify: Identify) -> DefineMiddleware:
    return DefineMiddleware(CallerMiddleware, identify=identify)


def not_authenticated(_: Request, exc: NotAuthenticated) -> Response[dict[str, Any]]:
    response = problem(401, exc.detail, kind="not-authenticated", title="Not authenticated")
    response.headers["WWW-Authenticate"] = 'Bearer realm="sagshub"'
    return response


AUTH_EXCEPTION_HANDLERS = {NotAuthenticated: not_authenticated}


def authenticated_caller(request: Request) -> Caller:
    """The caller the middleware recognised (the app-level dependency ``caller``)."""
    caller = request.user if "user" in request.scope else None
    if not isinstance(caller, Caller):
        raise NotAuthenticated("send the API key as 'Authorization: Bearer <key>'")
    return caller


def scope_check(
    *scopes: Scope | str, caseworker: bool = False, municipality_id: UUID | None = None
) -> Callable[[Request], Caller]:
    """The :class:`Caller` of a request, if it holds every one of ``scopes`` (and, with
    ``caseworker``, is a caseworker's own token; with ``municipality_id``, belongs to that
    municipality); otherwise a 403 problem. :func:`require_scope` as a plain function, for
    a handler that checks its caller itself."""
    needed = frozenset(Scope(s) for s in scopes)

    def caller(request: Request) -> Caller:
        who = authenticated_caller(request)
        if municipality_id is not None and who.municipality_id != municipality_id:
            raise NotAllowed("the API key belongs to another municipality", field="Authorization")
        missing = sorted(needed - who.scopes)
        if missing:
            raise NotAllowed(
                f"the API key lacks the scope {', '.join(missing)}", field="Authorization"
            )
        if caseworker and who.caseworker_id is None:
            raise NotAllowed("this needs a caseworker's own token", field="Authorization")
        return who

    return caller


def require_scope(
    *scopes: Scope | str, caseworker: bool = False, municipality_id: UUID | None = None
) -> Provide:
    """The dependency ``caller``: the :class:`Caller`, if it holds every one of ``scopes``
    (and, with ``caseworker``, is a caseworker's own token; with ``municipality_id``,
    belongs to that municipality); otherwise a 403 problem."""
    check = scope_check(*scopes, caseworker=caseworker, municipality_id=municipality_id)
    return Provide(check, sync_to_thread=False)

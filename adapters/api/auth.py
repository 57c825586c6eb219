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

The intake routes look a key up once per request too, but later: in the worker thread
that commits the delivery (:class:`ApiKeys`, :data:`LATE_CONFIRMATION`).
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
from core.services.clients import hash_key
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


LATE_CONFIRMATION = "confirms_key_late"
"""``opt`` of a route handler that confirms a remembered API key itself (see :class:`ApiKeys`)."""
MAX_REMEMBERED_KEYS = 1024


class PendingKey:
    """A caller admitted from memory, on ``request.auth``: the handler must :meth:`confirm`
    the key before it commits anything, and before it answers with anything but success."""

    def __init__(self, keys: ApiKeys, key: str, caller: Caller) -> None:
        self._keys = keys
        self._key = key
        self.caller = caller

    def confirm(self) -> None:
        """Look the key up again (blocking); :class:`NotAuthenticated` if it no longer
        holds, or no longer names this caller."""
        self._keys.confirm(self._key, self.caller)

    async def aconfirm(self) -> None:
        await anyio.to_thread.run_sync(self.confirm)


class ApiKeys:
    """Callers recognised by their API key: the :data:`Identify` of a hub with keys.

    Every request's key is looked up with ``authenticate`` (blocking, so in a worker
    thread) before the handler runs — except on routes marked ``opt={LATE_CONFIRMATION:
    True}`` (the intake routes). There a key that was valid on an earlier request of this
    process is admitted from memory, with a :class:`PendingKey` on ``request.auth``; the
    handler confirms it in the worker thread that commits the delivery, just before the
    commit, and before any other answer. So a revoked key still never delivers and never
    gets an answer but 401: its first request after the revocation is read and refused,
    and its key forgotten, so the next is refused before its body is read. The memory
    holds key hashes, never keys; it saves the intake routes a thread switch each.
    """

    def __init__(self, authenticate: Callable[[str], ApiClient | None]) -> None:
        self._authenticate = authenticate
        self._remembered: dict[str, Caller] = {}

    async def __call__(self, connection: ASGIConnection) -> Caller:
        key = bearer_key(connection.headers.get("authorization"))
        if key is None:
            raise NotAuthenticated("send the API key as 'Authorization: Bearer <key>'")
        client = await anyio.to_thread.run_sync(self._authenticate, key)
        if client is None:
            raise NotAuthenticated("the API key is unknown or revoked")
        caller = Caller.of(client)
        if len(self._remembered) >= MAX_REMEMBERED_KEYS:
            self._remembered.clear()
        self._remembered[hash_key(key)] = caller
        return caller

    def remembered(self, connection: ASGIConnection) -> PendingKey | None:
        """The caller of a key that was valid before, to be confirmed; None for another key."""
        key = bearer_key(connection.headers.get("authorization"))
        if key is None:
            return None
        caller = self._remembered.get(hash_key(key))
        return None if caller is None else PendingKey(self, key, caller)

    def confirm(self, key: str, caller: Caller) -> None:
        client = self._authenticate(key)
        if client is None or Caller.of(client) != caller:
            self._remembered.pop(hash_key(key), None)
            raise NotAuthenticated("the API key is unknown or revoked")


def by_api_key(authenticate: Callable[[str], ApiClient | None]) -> ApiKeys:
    """Callers recognised by their API key; ``authenticate`` is a blocking lookup."""
    return ApiKeys(authenticate)


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
        if isinstance(self._identify, ApiKeys) and connection.scope["route_handler"].opt.get(
            LATE_CONFIRMATION
        ):
            pending = self._identify.remembered(connection)
            if pending is not None:
                return AuthenticationResult(user=pending.caller, auth=pending)
        return AuthenticationResult(user=await self._identify(connection), auth=None)


def caller_middleware(identify: Identify) -> DefineMiddleware:
    return DefineMiddleware(CallerMiddleware, identify=identify)


def not_authenticated(_: Request, exc: NotAuthenticated) -> Response[dict[str, Any]]:
    response = problem(401, exc.detail, kind="not-authenticated", title="Not authenticated")
    response.headers["WWW-Authenticate"] = 'Bearer realm="sagshub"'
    return response


AUTH_EXCEPTION_HANDLERS = {NotAuthenticated: not_authenticated}


def pending_key(request: Request) -> PendingKey | None:
    """The key a late-confirming handler must still confirm, if the caller came from memory."""
    pending = request.scope.get("auth")
    return pending if isinstance(pending, PendingKey) else None


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

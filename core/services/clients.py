"""API keys: issuing them to client systems and caseworkers, revoking, recognising them."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from pydantic import ValidationError

from core.errors import InvalidValue
from core.models import utcnow
from core.services.loading import require_caseworker_named
from core.services.transaction import TransactionalService
from ports.clients import ApiClient, ApiClientStore, ClientKind, Scope
from ports.persistence import UnitOfWork, UnitOfWorkFactory

KEY_PREFIX = "sh_"
"""Every key starts so, which lets secret scanners and people recognise it."""
KEY_BYTES = 32
HINT_LENGTH = 10


def hash_key(key: str) -> str:
    """The SHA-256 of a key, as stored. A random 256-bit key needs no slow hash."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_scopes(names: Iterable[str]) -> frozenset[Scope]:
    """Scope names (``intake``, ``cases:read`` …) as scopes; an unknown one is an error."""
    scopes: set[Scope] = set()
    for name in (n.strip() for n in names):
        if not name:
            continue
        try:
            scopes.add(Scope(name))
        except ValueError:
            known = ", ".join(s.value for s in Scope)
            raise InvalidValue(f"unknown scope {name!r} (known: {known})", field="scopes") from None
    if not scopes:
        raise InvalidValue("give at least one scope", field="scopes")
    return frozenset(scopes)


@dataclass(frozen=True)
class IssuedKey:
    client: ApiClient
    key: str
    """The key itself; it exists only here and is never stored."""


class ClientService(TransactionalService):
    """The municipality's API clients. Keys are stored only as their hash."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, store: ApiClientStore, municipality_id: UUID
    ) -> None:
        super().__init__(uow_factory, municipality_id)
        self._store = store

    def issue(
        self,
        name: str,
        scopes: Iterable[str],
        *,
        caseworker: str | None = None,
        max_document_bytes: int | None = None,
    ) -> IssuedKey:
        """A new client with a fresh key; with ``caseworker`` (a username), that
        caseworker's personal token."""
        caseworker_id = self._caseworker_id(caseworker) if caseworker else None
        key = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
        try:
            client = ApiClient(
                municipality_id=self._municipality_id,
                name=name,
                kind=ClientKind.CASEWORKER if caseworker_id else ClientKind.CLIENT,
                caseworker_id=caseworker_id,
                scopes=parse_scopes(scopes),
                key_hash=hash_key(key),
                key_hint=key[:HINT_LENGTH],
                max_document_bytes=max_document_bytes,
            )
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            raise InvalidValue(first["msg"], field=str(first["loc"][0])) from None
        self._store.add(client)
        return IssuedKey(client, key)

    def list(self) -> list[ApiClient]:
        return self._store.list()

    def revoke(self, name: str) -> ApiClient:
        return self._store.revoke(name, utcnow())

    def authenticate(self, key: str) -> ApiClient | None:
        """The active client holding ``key``, or None. A caseworker's token stops working
        when the caseworker is made inactive."""
        if not key.startswith(KEY_PREFIX) or len(key) > 200:
            return None
        key_hash = hash_key(key)
        client = self._store.find_by_key_hash(key_hash)
        if client is None or not hmac.compare_digest(client.key_hash, key_hash):
            return None
        if not client.active:
            return None
        if client.caseworker_id is not None and not self._caseworker_active(client.caseworker_id):
            return None
        return client

    def _caseworker_id(self, username: str) -> UUID:
        def work(uow: UnitOfWork) -> UUID:
            return require_caseworker_named(uow, username).id

        return self._run(work)

    def _caseworker_active(self, caseworker_id: UUID) -> bool:
        def work(uow: UnitOfWork) -> bool:
            caseworker = uow.caseworkers.get(caseworker_id)
            return caseworker is not None and caseworker.active

        return self._run(work)

"""An in-memory :class:`ports.clients.ApiClientStore`, for unit tests and the contract suite."""

from __future__ import annotations

import threading
from datetime import datetime
from uuid import UUID

from core.errors import Conflict, NotAllowed, NotFound
from ports.clients import ApiClient


class InMemoryClients:
    """Every municipality's clients; :meth:`store` opens one municipality's view."""

    def __init__(self) -> None:
        self.rows: dict[UUID, ApiClient] = {}
        self.lock = threading.Lock()

    def store(self, municipality_id: UUID) -> InMemoryApiClientStore:
        return InMemoryApiClientStore(self, municipality_id)


class InMemoryApiClientStore:
    def __init__(self, clients: InMemoryClients, municipality_id: UUID) -> None:
        self._clients = clients
        self.municipality_id = municipality_id

    def add(self, client: ApiClient) -> None:
        if client.municipality_id != self.municipality_id:
            raise NotAllowed("this client belongs to another municipality", field="municipality_id")
        with self._clients.lock:
            if self._active(client.name) is not None:
                raise Conflict(f"an active client is already named {client.name!r}", field="name")
            if any(c.key_hash == client.key_hash for c in self._clients.rows.values()):
                raise Conflict("another client has this key", field="key_hash")
            self._clients.rows[client.id] = client.model_copy()

    def get_active(self, name: str) -> ApiClient | None:
        with self._clients.lock:
            found = self._active(name)
            return found.model_copy() if found else None

    def find_by_key_hash(self, key_hash: str) -> ApiClient | None:
        with self._clients.lock:
            found = next((c for c in self._own() if c.key_hash == key_hash), None)
            return found.model_copy() if found else None

    def list(self) -> list[ApiClient]:
        with self._clients.lock:
            newest_first = sorted(self._own(), key=lambda c: c.created_at, reverse=True)
            return [c.model_copy() for c in sorted(newest_first, key=lambda c: c.name)]

    def revoke(self, name: str, at: datetime) -> ApiClient:
        with self._clients.lock:
            found = self._active(name)
            if found is None:
                raise NotFound(f"no active client named {name!r}", field="name")
            revoked = found.model_copy(update={"revoked_at": at})
            self._clients.rows[found.id] = revoked
            return revoked.model_copy()

    def _own(self) -> list[ApiClient]:
        return [c for c in self._clients.rows.values() if c.municipality_id == self.municipality_id]

    def _active(self, name: str) -> ApiClient | None:
        return next((c for c in self._own() if c.name == name and c.active), None)

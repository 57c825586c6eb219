"""Who may call the hub's HTTP API: client systems and caseworkers, by API key.

A key is shown once, when it is made; the hub keeps only its SHA-256. The keys
are random with 256 bits of entropy, so a plain hash is as good as a slow one:
nothing can be guessed from it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Protocol
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from core.models import utcnow
from core.values import UtcDateTime


class Scope(StrEnum):
    """What a key lets its holder do."""

    INTAKE = "intake"
    """deliver documents (``POST /oio/dokument``, ``POST /api/documents``)"""
    CASES_READ = "cases:read"
    CASES_WRITE = "cases:write"
    DOCUMENTS_READ = "documents:read"
    INBOX = "inbox"
    """list the inboxes, place their items, read one's notices"""
    ARCHIVE = "archive"
    """order archival versions and follow them (``/api/archive/extracts``)"""


class ClientKind(StrEnum):
    CLIENT = "client"
    """a client system (an ESDH, a scanning line, a form solution …)"""
    CASEWORKER = "caseworker"
    """a caseworker's personal token, bound to their user"""


ClientName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,99}$")]
"""The name of a client system; for intake it is also the sender system it delivers as."""

KeyHash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class ApiClient(BaseModel):
    """One API key's holder in one municipality. Revoked clients are kept, for the record."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    id: UUID = Field(default_factory=uuid4)
    municipality_id: UUID
    name: ClientName
    kind: ClientKind = ClientKind.CLIENT
    caseworker_id: UUID | None = Field(
        default=None, description="the caseworker a personal token belongs to"
    )
    scopes: frozenset[Scope] = Field(min_length=1)
    key_hash: KeyHash = Field(description="the SHA-256 of the key, hex")
    key_hint: str = Field(max_length=16, description="the key's first characters, to recognise it")
    max_document_bytes: int | None = Field(
        default=None, gt=0, description="this client's own limit on one document's files"
    )
    created_at: UtcDateTime = Field(default_factory=utcnow)
    revoked_at: UtcDateTime | None = None

    @model_validator(mode="after")
    def _caseworker_tokens_name_their_caseworker(self) -> ApiClient:
        if (self.kind is ClientKind.CASEWORKER) != (self.caseworker_id is not None):
            raise ValueError("a caseworker's token, and only that, names its caseworker")
        return self

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class ApiClientStore(Protocol):
    """The API clients of one municipality. Names are unique among the active clients."""

    municipality_id: UUID

    def add(self, client: ApiClient) -> None:
        """Store a new client; raises :class:`core.errors.Conflict` (field ``name``) when an
        active client has its name."""
        ...

    def get_active(self, name: str) -> ApiClient | None:
        """The active client of this name."""
        ...

    def find_by_key_hash(self, key_hash: str) -> ApiClient | None:
        """The client (active or revoked) whose key has this hash."""
        ...

    def list(self) -> list[ApiClient]:
        """Every client, revoked ones included, by name and then newest first."""
        ...

    def revoke(self, name: str, at: datetime) -> ApiClient:
        """Revoke the active client of this name; raises :class:`core.errors.NotFound`
        (field ``name``) when there is none."""
        ...

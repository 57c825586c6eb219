"""Credentials for calls to the systems around the hub."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field


class SecurityToken(BaseModel):
    """A token issued for calls to one service, as the XML the call must carry.

    For the joint municipal infrastructure this is the SAML assertion KOMBIT's STS
    issues (OIOIDWS); it goes into the request's ``wsse:Security`` header.
    """

    model_config = ConfigDict(frozen=True)

    xml: bytes = Field(repr=False)
    expires_at: datetime | None = None


class TokenProvider(Protocol):
    """Issues (and may cache) the token for a service, named by its audience (entity id).

    Raise :class:`ports.integrations.ExportFailed` (``retryable=True``) when the token
    service cannot be reached, ``retryable=False`` when it refuses the hub.
    """

    def token(self, audience: str) -> SecurityToken: ...

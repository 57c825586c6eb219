"""Access tokens for the services the hub calls (KOMBIT's Serviceplatformen).

A plugin that calls a token-protected service asks a :class:`TokenProvider` for a
token per audience (the service's entity id). In production the provider is backed
by KOMBIT's security token service; tests use a fake.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, Field


class TokenUnavailable(Exception):
    """No token could be obtained right now (the token service failed or refused).

    A caller treats it as a technical failure: try again later, never guess.
    """


class AccessToken(BaseModel):
    """A bearer-style token and when it stops being usable."""

    token_type: str = Field(min_length=1, description="e.g. 'Holder-of-key' or 'Bearer'")
    access_token: str = Field(min_length=1, repr=False)
    expires_at: datetime

    @property
    def authorization(self) -> str:
        """The value of the ``Authorization`` header."""
        return f"{self.token_type} {self.access_token}"


class TokenProvider(Protocol):
    """Hands out access tokens for a service, cached until shortly before they expire."""

    def access_token(self, audience: str) -> AccessToken:
        """A valid token for ``audience`` (the service's entity id).

        :raises TokenUnavailable: the token service failed or refused.
        """
        ...

    def forget(self, audience: str) -> None:
        """Drop a cached token the service refused, so the next call fetches a new one."""
        ...

"""Access tokens from a token endpoint, cached per audience until shortly before expiry.

:class:`TokenEndpointProvider` implements :class:`ports.tokens.TokenProvider` for an
endpoint that answers ``POST audience=<entity id>`` with
``{"token_type", "access_token", "expires_in"}`` (the shape of Serviceplatformen's
access-token service). Getting KOMBIT STS's SAML assertion in front of that is the
production work still to do; the fake STS in the tests speaks this shape.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import httpx

from core.models import utcnow
from ports.tokens import AccessToken, TokenUnavailable

REFRESH_MARGIN = timedelta(minutes=5)


class TokenEndpointProvider:
    """Fetches a token per audience from ``token_url`` and reuses it until near expiry."""

    def __init__(
        self,
        token_url: str,
        *,
        http: httpx.Client,
        clock: Callable[[], datetime] = utcnow,
        margin: timedelta = REFRESH_MARGIN,
    ) -> None:
        self.token_url = token_url
        self.http = http
        self.clock = clock
        self.margin = margin
        self._cache: dict[str, AccessToken] = {}
        self._lock = threading.Lock()

    def access_token(self, audience: str) -> AccessToken:
        with self._lock:
            cached = self._cache.get(audience)
            if cached is not None and cached.expires_at - self.margin > self.clock():
                return cached
            token = self._fetch(audience)
            self._cache[audience] = token
            return token

    def forget(self, audience: str) -> None:
        with self._lock:
            self._cache.pop(audience, None)

    def _fetch(self, audience: str) -> AccessToken:
        try:
            response = self.http.post(self.token_url, data={"audience": audience})
        except httpx.HTTPError as exc:
            raise TokenUnavailable(f"token service unreachable: {type(exc).__name__}") from None
        if response.status_code != 200:
            raise TokenUnavailable(f"token service answered HTTP {response.status_code}")
        try:
            body = response.json()
            return AccessToken(
                token_type=body["token_type"],
                access_token=body["access_token"],
                expires_at=self.clock() + timedelta(seconds=int(body["expires_in"])),
            )
        except (ValueError, KeyError, TypeError):
            raise TokenUnavailable("token service gave no usable token") from None

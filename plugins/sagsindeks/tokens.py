"""Security tokens for the index.

The index sits behind KOMBIT's STS: a caller presents a SAML assertion the STS issued
for the index's audience (OIOIDWS), and signs the request with the certificate the
assertion names. Obtaining the assertion and signing the request is not built yet: a
real OIOIDWS/STS token provider is later work. Until then :class:`EnvironmentTokenProvider`
hands on an assertion issued beforehand and kept in an environment variable (base64),
and the client places it, unsigned, in ``wsse:Security``. Both speak the hub's
:class:`ports.tokens.TokenProvider`; the token's ``access_token`` is the base64 assertion.
"""

from __future__ import annotations

import os
from datetime import timedelta

from core.models import utcnow
from ports.integrations import ExportFailed
from ports.tokens import AccessToken

HOLDER_OF_KEY = "Holder-of-key"
REREAD_AFTER = timedelta(minutes=5)


class EnvironmentTokenProvider:
    """A :class:`ports.tokens.TokenProvider` reading an issued assertion from the environment.

    The variable is read on every call, so replacing the token needs no restart.
    """

    def __init__(self, variable: str) -> None:
        self._variable = variable

    def access_token(self, audience: str) -> AccessToken:
        value = os.environ.get(self._variable)
        if not value:
            raise ExportFailed(
                f"no security token for {audience}: environment variable {self._variable} is empty",
                retryable=False,
            )
        return AccessToken(
            token_type=HOLDER_OF_KEY, access_token=value, expires_at=utcnow() + REREAD_AFTER
        )

    def forget(self, audience: str) -> None:
        return None

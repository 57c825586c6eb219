"""Security tokens for the index.

The index sits behind KOMBIT's STS: a caller presents a SAML assertion the STS issued
for the index's audience (OIOIDWS), and signs the request with the certificate the
assertion names. Obtaining the assertion and signing the request is not built yet: a
real OIOIDWS/STS token provider is later work. Until then :class:`EnvironmentTokenProvider`
hands on an assertion issued beforehand and kept in an environment variable, and the
client places it, unsigned, in ``wsse:Security``.
"""

from __future__ import annotations

import base64
import binascii
import os

from ports.integrations import ExportFailed
from ports.security import SecurityToken


class EnvironmentTokenProvider:
    """A :class:`ports.security.TokenProvider` reading a base64 token from the environment."""

    def __init__(self, variable: str) -> None:
        self._variable = variable

    def token(self, audience: str) -> SecurityToken:
        value = os.environ.get(self._variable)
        if not value:
            raise ExportFailed(
                f"no security token for {audience}: environment variable {self._variable} is empty",
                retryable=False,
            )
        try:
            return SecurityToken(xml=base64.b64decode(value, validate=True))
        except binascii.Error:
            raise ExportFailed(
                f"environment variable {self._variable} is not base64", retryable=False
            ) from None

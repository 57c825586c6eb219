"""SOAP calls to an ESDH: hardened parsing, timeouts, error mapping, retries.

Acadre is called through zeep (it publishes a WSDL), KMD Sag through httpx and lxml.

Only calls that change nothing (searches and reads) are repeated here; a call that
writes is never repeated blindly, because a timeout does not say whether it took effect.
The adapters look for their earlier copy instead, and the job queue tries again later.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

import httpx
import requests
import zeep
import zeep.exceptions
from pydantic import BaseModel, Field

from plugins.esdh_common.errors import EsdhError

T = TypeVar("T")


class CallSettings(BaseModel):
    """How patiently an ESDH is called."""

    timeout_seconds: float = Field(default=30.0, gt=0, description="per call")
    read_retries: int = Field(default=2, ge=0, le=10, description="extra tries of a failed read")
    retry_backoff_seconds: float = Field(default=1.0, ge=0, description="grows with each try")


def zeep_settings() -> zeep.Settings:
    """Answers are parsed as hostile XML: no DTDs, no entities.

    Imports between the WSDL's documents are allowed, but only from the service itself
    (:class:`SameOriginTransport`).
    """
    return zeep.Settings(
        strict=True,
        xml_huge_tree=False,
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=False,
    )


def origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.port


class SameOriginTransport(zeep.Transport):
    """Loads the WSDL and the documents it imports only from the service's own server."""

    def __init__(self, service_url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self._origin = origin(service_url)

    def load(self, url: str) -> bytes:
        if origin(url) != self._origin:
            raise EsdhError(
                f"the WSDL imports {url}, outside the service's server",
                system="wsdl",
                operation="load",
                retryable=False,
                kind="foreign_import",
            )
        return super().load(url)


def transport(
    service_url: str, session: requests.Session | None, settings: CallSettings
) -> zeep.Transport:
    """A zeep transport over ``session`` (e.g. one that speaks NTLM), with timeouts."""
    return SameOriginTransport(
        service_url,
        session=session,
        timeout=settings.timeout_seconds,
        operation_timeout=settings.timeout_seconds,
    )


def classify(error: Exception, *, system: str, operation: str) -> EsdhError | None:
    """The domain error for a failed call, or None for an error that is our own bug."""

    def fail(message: str, *, retryable: bool, kind: str) -> EsdhError:
        return EsdhError(
            message, system=system, operation=operation, retryable=retryable, kind=kind
        )

    if isinstance(error, EsdhError):
        return error
    if isinstance(error, requests.Timeout | httpx.TimeoutException):
        return fail("no answer in time", retryable=True, kind="timeout")
    if isinstance(error, requests.ConnectionError | httpx.TransportError):
        return fail("the service cannot be reached", retryable=True, kind="unreachable")
    if isinstance(error, zeep.exceptions.Fault):
        client_fault = (error.code or "").rsplit(":", 1)[-1].lower() in ("client", "sender")
        return fail(
            f"the service refused the call: {error.message}",
            retryable=not client_fault,
            kind="rejected" if client_fault else "fault",
        )
    if isinstance(error, zeep.exceptions.TransportError):
        if error.status_code in (401, 403):
            return fail("the hub is not allowed in", retryable=False, kind="not_allowed")
        server = error.status_code >= 500
        return fail(
            f"HTTP {error.status_code}",
            retryable=server,
            kind="unavailable" if server else "http",
        )
    if isinstance(error, zeep.exceptions.XMLSyntaxError | zeep.exceptions.XMLParseError):
        return fail("the answer is not well-formed XML", retryable=True, kind="bad_answer")
    if isinstance(error, zeep.exceptions.ValidationError):
        return fail(f"the message does not fit the schema: {error}", retryable=False, kind="schema")
    return None


def call(
    fn: Callable[[], T],
    *,
    system: str,
    operation: str,
    settings: CallSettings,
    read: bool,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run one SOAP call; map its failure to :class:`EsdhError`; repeat a failed read.

    ``read`` marks a call that changes nothing, so repeating it is safe.
    """
    tries = 1 + (settings.read_retries if read else 0)
    attempt = 1
    while True:
        try:
            return fn()
        except Exception as error:
            mapped = classify(error, system=system, operation=operation)
            if mapped is None:
                raise
            if not mapped.retryable or attempt >= tries:
                raise mapped from error
        sleep(settings.retry_backoff_seconds * attempt)
        attempt += 1

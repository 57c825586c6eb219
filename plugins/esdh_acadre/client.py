"""A zeep client for Acadre PWS v7, built from the WSDL the endpoint serves.

Every call carries the ``SoapHeader/User`` header Acadre expects (the WSDL does not
declare it) and goes through :func:`plugins.esdh_common.soap.call`. The HTTP session is
the caller's: a ``requests.Session`` with NTLM in production, a plain one in tests.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from email.message import Message
from typing import Any

import requests
import zeep
from lxml import etree
from zeep.proxy import ServiceProxy

from plugins.esdh_acadre.settings import AcadreSettings
from plugins.esdh_common import soap
from plugins.esdh_common.errors import EsdhError

SYSTEM = "acadre"
SERVICE = "AcadreServiceV7"


@dataclass(frozen=True)
class Download:
    content: bytes
    mime_type: str
    file_name: str | None


class AcadreClient:
    """The SOAP ports of Acadre's ``AcadreServiceV7`` at the configured endpoint.

    The WSDL is loaded on the first call, not at start-up, so a hub starts while
    Acadre is down and the first export reports it as a retryable error.
    """

    def __init__(
        self, settings: AcadreSettings, *, user: str, session: requests.Session | None = None
    ) -> None:
        self._settings = settings
        self._endpoint = str(settings.endpoint)
        self._user = user
        self._session = session or requests.Session()
        self._lock = threading.Lock()
        self._client: zeep.Client | None = None
        self._services: dict[str, ServiceProxy] = {}

    def call(self, port: str, operation: str, *args: Any, read: bool, **kwargs: Any) -> Any:
        """Call ``operation`` on ``port`` (e.g. ``CaseService7``); ``read``: safe to repeat."""

        def run() -> Any:
            method = getattr(self._service(port), operation)
            return method(*args, _soapheaders=[self._header()], **kwargs)

        return soap.call(
            run, system=SYSTEM, operation=operation, settings=self._settings, read=read
        )

    def input_fields(self, port: str, operation: str) -> set[str]:
        """The element names an operation's request takes (its body, flattened)."""
        body = self._service(port)._binding._operations[operation].input.body
        return {name for name, _ in body.type.elements}

    def download(self, url: str, *, max_bytes: int) -> Download:
        """Fetch a document version's file (its ``VersionURL``) through the same session."""
        if soap.origin(url) != soap.origin(self._endpoint):
            raise EsdhError(
                "a file link points outside the Acadre server",
                system=SYSTEM,
                operation="download",
                retryable=False,
                kind="foreign_link",
            )

        def run() -> Download:
            with self._session.get(
                url, stream=True, timeout=self._settings.timeout_seconds
            ) as response:
                if response.status_code >= 400:
                    raise _http_error(response.status_code)
                return Download(
                    content=_read_capped(response, max_bytes),
                    mime_type=response.headers.get("Content-Type", "application/octet-stream")
                    .split(";")[0]
                    .strip(),
                    file_name=_file_name(response.headers.get("Content-Disposition")),
                )

        return soap.call(
            run, system=SYSTEM, operation="download", settings=self._settings, read=True
        )

    def _header(self) -> etree._Element:
        header = etree.Element(
            f"{{{self._settings.header_namespace}}}SoapHeader",
            nsmap={None: self._settings.header_namespace},
        )
        etree.SubElement(header, f"{{{self._settings.header_namespace}}}User").text = self._user
        return header

    def _load(self) -> None:
        with self._lock:
            if self._client is None:
                self._client = zeep.Client(
                    f"{self._endpoint}?wsdl",
                    transport=soap.transport(self._endpoint, self._session, self._settings),
                    settings=soap.zeep_settings(),
                )

    def _service(self, port: str) -> ServiceProxy:
        self._load()
        assert self._client is not None
        if port not in self._services:
            binding = self._client.wsdl.services[SERVICE].ports[port].binding
            self._services[port] = ServiceProxy(self._client, binding, address=self._endpoint)
        return self._services[port]


def _http_error(status: int) -> EsdhError:
    return EsdhError(
        f"HTTP {status} for a file",
        system=SYSTEM,
        operation="download",
        retryable=status >= 500,
        kind="unavailable" if status >= 500 else "http",
    )


def _read_capped(response: requests.Response, max_bytes: int) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise EsdhError(
                f"a file is larger than {max_bytes} bytes",
                system=SYSTEM,
                operation="download",
                retryable=False,
                kind="too_large",
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _file_name(disposition: str | None) -> str | None:
    if not disposition:
        return None
    message = Message()
    message["Content-Disposition"] = disposition
    return message.get_filename()

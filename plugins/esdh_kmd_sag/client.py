"""SOAP 1.1 over httpx to KMD Sag's OIO services, built with lxml (there is no WSDL).

An answer counts only when its ``StandardRetur/StatusKode`` is 20; the OIO codes are
mapped like HTTP: 4x are refusals, 5x are the service's own trouble and retryable.
"""

from __future__ import annotations

from typing import Literal

import httpx
from lxml import etree

from plugins.esdh_common import soap
from plugins.esdh_common.errors import EsdhError
from plugins.esdh_common.xml import UntrustedXml, parse_untrusted
from plugins.esdh_kmd_sag.oio import SD, q
from plugins.esdh_kmd_sag.settings import KmdSagSettings

SYSTEM = "kmd_sag"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
OK = 20
Service = Literal["sag", "dokument"]


class KmdSagClient:
    def __init__(self, settings: KmdSagSettings, *, http: httpx.Client | None = None) -> None:
        self._settings = settings
        cert = (
            (str(settings.client_cert), str(settings.client_key))
            if settings.client_cert and settings.client_key
            else None
        )
        self._http = http or httpx.Client(cert=cert)

    def namespace(self, service: Service) -> str:
        settings = self._settings
        return settings.sag_namespace if service == "sag" else settings.dokument_namespace

    def request(self, service: Service, operation: str) -> etree._Element:
        """An empty ``<operation>Input`` element of the service's namespace."""
        namespace = self.namespace(service)
        return etree.Element(q(namespace, f"{operation}Input"), nsmap={"ns": namespace})

    def call(
        self, service: Service, operation: str, body: etree._Element, *, read: bool
    ) -> etree._Element:
        """Send ``body``; the answer's ``<operation>Output`` element when its status is 20."""
        name = f"{service}.{operation}"
        url = str(
            self._settings.sag_endpoint if service == "sag" else self._settings.dokument_endpoint
        )
        envelope = etree.Element(q(SOAP_ENV, "Envelope"), nsmap={"soap": SOAP_ENV})
        etree.SubElement(envelope, q(SOAP_ENV, "Body")).append(body)
        content = etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
        headers = {
            "Content-Type": "text/xml; charset=utf-8",
            "SOAPAction": f'"{self._settings.actions[name]}"',
        }

        def run() -> etree._Element:
            response = self._http.post(
                url, content=content, headers=headers, timeout=self._settings.timeout_seconds
            )
            return _answer(response, name)

        return soap.call(run, system=SYSTEM, operation=name, settings=self._settings, read=read)


def _fail(message: str, operation: str, *, retryable: bool, kind: str) -> EsdhError:
    return EsdhError(message, system=SYSTEM, operation=operation, retryable=retryable, kind=kind)


def _answer(response: httpx.Response, operation: str) -> etree._Element:
    try:
        envelope = parse_untrusted(response.content)
    except UntrustedXml as error:
        if response.status_code >= 400:
            server = response.status_code >= 500
            kind = "not_allowed" if response.status_code in (401, 403) else "http"
            raise _fail(
                f"HTTP {response.status_code}",
                operation,
                retryable=server,
                kind="unavailable" if server else kind,
            ) from None
        raise _fail(
            f"the answer is not XML: {error}", operation, retryable=True, kind="bad_answer"
        ) from None
    body = envelope.find(q(SOAP_ENV, "Body"))
    fault = body.find(q(SOAP_ENV, "Fault")) if body is not None else None
    if fault is not None:
        code = (fault.findtext("faultcode") or "").rsplit(":", 1)[-1].lower()
        client = code in ("client", "sender")
        raise _fail(
            f"the service refused the call: {fault.findtext('faultstring')}",
            operation,
            retryable=not client,
            kind="rejected" if client else "fault",
        )
    if body is None or len(body) != 1:
        raise _fail("the answer has no output", operation, retryable=True, kind="bad_answer")
    output = body[0]
    status = output.findtext(f"{{{SD}}}StandardRetur/{{{SD}}}StatusKode")
    if status is None or not status.strip().isdigit():
        raise _fail("the answer has no StatusKode", operation, retryable=True, kind="bad_answer")
    if int(status) != OK:
        message = output.findtext(f"{{{SD}}}StandardRetur/{{{SD}}}FejlbeskedTekst") or ""
        code = int(status)
        raise _fail(
            f"StatusKode {code}: {message}",
            operation,
            retryable=code >= 50,
            kind="not_found" if code == 44 else ("unavailable" if code >= 50 else "rejected"),
        )
    return output

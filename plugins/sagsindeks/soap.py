"""The SagDokumentIndeks v6 SOAP client: zeep for the WSDL, envelope and transport.

zeep reads the service contract from the standards folder and builds each envelope
(the operation's ``RequestHeader`` with a fresh ``TransactionUUID``, SOAP action,
address). The ``importer`` and ``opdater`` bodies are SF1470 ``Sag`` and ``DokumentIndeks``
trees built by :mod:`adapters.oio`, placed into zeep's envelope as they are, and
validated against the official schemas before they leave.

Every answer is read for its ``StandardRetur`` codes and mapped to
:class:`ports.integrations.ExportFailed`: what may pass on a retry (timeouts, lost
connections, HTTP 5xx, status 50 and above, server faults) is ``retryable``; what will
fail the same way again (status 40 "input error", 49 "no access", HTTP 4xx, client
faults) is not.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

import requests
from lxml import etree
from zeep import Client, Settings, Transport

from adapters.oio.namespaces import DI, SAG, SD, SDI, q
from adapters.oio.schemas import WSDL, SchemaError, sf1470_dir, sf1470_schema, validate
from adapters.redaction import redact_cpr
from ports.integrations import ExportFailed
from ports.tokens import TokenProvider, TokenUnavailable

log = logging.getLogger(__name__)

BINDING = "{http://stoettesystemerne.dk/sagsogdokumentindeks}sdi"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
MAX_REPLY_BYTES = 20 * 1024 * 1024
STATUS_OK = 20
STATUS_NOT_FOUND = 44
STATUS_SERVER_ERROR = 50


@dataclass(frozen=True)
class Found:
    """What ``fremsoeg`` found in the index among the asked-for UUIDs."""

    cases: frozenset[UUID]
    documents: frozenset[UUID]


def _reply_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_untrusted(content: bytes) -> etree._Element:
    """Parse XML from outside the hub: no entities, no DTD, no network, size-capped."""
    if len(content) > MAX_REPLY_BYTES:
        raise ExportFailed("the index's answer is too large", retryable=True)
    try:
        root = etree.fromstring(content, _reply_parser())
    except etree.XMLSyntaxError as error:
        raise ExportFailed(f"the index's answer is not XML: {error}", retryable=True) from None
    if root.getroottree().docinfo.doctype:
        raise ExportFailed("the index's answer declares a DOCTYPE", retryable=False)
    return root


class SagDokumentIndeksClient:
    """Calls ``fremsoeg``, ``importer`` and ``opdater`` of SagDokumentIndeks v6."""

    def __init__(
        self,
        *,
        standards_dir: Path,
        endpoint: str,
        timeout_seconds: float,
        token_provider: TokenProvider | None,
        audience: str,
        validate_requests: bool = True,
    ) -> None:
        wsdl = sf1470_dir(standards_dir) / WSDL
        transport = Transport(operation_timeout=timeout_seconds, timeout=timeout_seconds)
        settings = Settings(strict=True, xml_huge_tree=False, forbid_dtd=True)
        self._client = Client(str(wsdl), transport=transport, settings=settings)
        self._service = self._client.create_service(BINDING, endpoint)
        self._binding = self._client.wsdl.bindings[BINDING]
        self._endpoint = endpoint
        self._tokens = token_provider
        self._audience = audience
        self._schema = sf1470_schema(standards_dir) if validate_requests else None

    def fremsoeg(self, *, case_ids: Sequence[UUID], document_ids: Sequence[UUID]) -> Found:
        """Which of these cases and documents the index already holds."""
        envelope = self._envelope(
            "fremsoeg",
            SagUuid=[str(case_id) for case_id in case_ids],
            DokumentUuid=[str(document_id) for document_id in document_ids],
            Filter={
                "_value_1": [
                    {"SagVis": {"Vis": "egenskaber"}},
                    {"DokumentVis": {"Vis": "egenskaber"}},
                ]
            },
        )
        output = self._call("fremsoeg", envelope)

        def uuids(path: str) -> frozenset[UUID]:
            return frozenset(
                UUID(value.strip())
                for value in output.xpath(
                    path, namespaces={"sdi": SDI, "sag": SAG, "di": DI, "sd": SD}
                )
            )

        return Found(
            cases=uuids(
                "sdi:SagFiltreretOejebliksbillede/sag:ObjektType/sd:UUIDIdentifikator/text()"
            ),
            documents=uuids(
                "sdi:DokumentFiltreretOejebliksbillede/di:ObjektType/sd:UUIDIdentifikator/text()"
            ),
        )

    def importer(self, items: Sequence[etree._Element]) -> None:
        """Import ``sdi:SagIndeks`` / ``sdi:DokumentIndeks`` entries."""
        self._send("importer", items)

    def opdater(self, items: Sequence[etree._Element]) -> None:
        """Update entries with ``sdi:OpdaterSagIndeks`` / ``sdi:OpdaterDokumentIndeks``."""
        self._send("opdater", items)

    def _send(self, operation: str, items: Sequence[etree._Element]) -> None:
        envelope = self._envelope(operation, _value_1=[])
        body = envelope.find(q(SOAP_ENV, "Body"))[0]
        body.extend(items)
        if self._schema is not None:
            try:
                validate(self._schema, body)
            except SchemaError as error:
                raise ExportFailed(
                    f"the {operation} request does not validate against SF1470: {error}",
                    retryable=False,
                ) from None
        self._call(operation, envelope)

    def _envelope(self, operation: str, **body: object) -> etree._Element:
        envelope = self._client.create_message(
            self._service,
            operation,
            _soapheaders={"header": {"TransactionUUID": str(uuid4())}},
            **body,
        )
        if self._tokens is not None:
            try:
                token = self._tokens.access_token(self._audience)
            except TokenUnavailable as error:
                raise ExportFailed(f"no security token: {error}", retryable=True) from None
            header = envelope.find(q(SOAP_ENV, "Header"))
            security = etree.SubElement(header, q(WSSE, "Security"), nsmap={"wsse": WSSE})
            security.append(_assertion(token.access_token))
        return envelope

    def _call(self, operation: str, envelope: etree._Element) -> etree._Element:
        """Post the envelope; return the body's output element, or raise ExportFailed."""
        action = self._binding.get(operation).soapaction
        headers = {"SOAPAction": f'"{action}"', "Content-Type": "text/xml; charset=utf-8"}
        try:
            response = self._client.transport.post_xml(self._endpoint, envelope, headers)
        except requests.Timeout:
            raise ExportFailed(
                f"{operation}: the index did not answer in time", retryable=True
            ) from None
        except requests.RequestException as error:
            raise ExportFailed(
                f"{operation}: cannot reach the index ({type(error).__name__})", retryable=True
            ) from None
        return _read_reply(operation, response)


def _assertion(access_token: str) -> etree._Element:
    """The SAML assertion a token carries (base64 of its XML)."""
    try:
        return etree.fromstring(base64.b64decode(access_token, validate=True), _reply_parser())
    except (binascii.Error, etree.XMLSyntaxError):
        raise ExportFailed(
            "the security token is not a base64 XML assertion", retryable=False
        ) from None


def _http_failure(operation: str, status: int) -> ExportFailed:
    return ExportFailed(
        f"{operation}: HTTP {status} from the index",
        retryable=status >= 500 or status in (408, 429),
        code=f"http-{status}",
    )


def _read_reply(operation: str, response: requests.Response) -> etree._Element:
    """The body's output element; a SOAP fault, an HTTP error or a bad status raises."""
    status = response.status_code
    try:
        envelope = parse_untrusted(response.content)
    except ExportFailed:
        if status >= 400:
            raise _http_failure(operation, status) from None
        raise
    body = envelope.find(q(SOAP_ENV, "Body"))
    if body is None or len(body) == 0:
        if status >= 400:
            raise _http_failure(operation, status)
        raise ExportFailed(f"{operation}: the index's answer has no SOAP body", retryable=True)
    output = body[0]
    if output.tag == q(SOAP_ENV, "Fault"):
        code = (output.findtext("faultcode") or "").strip()
        message = redact_cpr((output.findtext("faultstring") or "").strip())
        raise ExportFailed(
            f"{operation}: SOAP fault {code}: {message}",
            retryable=not code.endswith("Client"),
            code=code or "fault",
        )
    if status >= 400:
        raise _http_failure(operation, status)
    _check_status(operation, output)
    return output


def _check_status(operation: str, output: etree._Element) -> None:
    """Raise on the first ``StandardRetur`` (or ``UnikRetur``) that is not 20 (OK)."""
    answers = output.xpath("sd:StandardRetur | sd:UnikRetur", namespaces={"sd": SD})
    if not answers:
        raise ExportFailed(f"{operation}: the index's answer has no StandardRetur", retryable=True)
    for answer in answers:
        code_text = answer.findtext(q(SD, "StatusKode")) or ""
        message = redact_cpr((answer.findtext(q(SD, "FejlbeskedTekst")) or "").strip())
        try:
            code = int(code_text)
        except ValueError:
            raise ExportFailed(
                f"{operation}: unreadable StatusKode {code_text!r}", retryable=True
            ) from None
        if code != STATUS_OK:
            log.warning("sagsindeks %s answered %s: %s", operation, code, message)
            raise ExportFailed(
                f"{operation}: StatusKode {code}: {message}",
                retryable=code >= STATUS_SERVER_ERROR,
                code=str(code),
            )

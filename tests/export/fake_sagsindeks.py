"""A local stand-in for the Sags- og Dokumentindeks SOAP service (SagDokumentIndeks v6).

It runs on 127.0.0.1 on a random port (``http.server`` in a thread), validates every
request against the official SF1470 schemas (body and ``RequestHeader``), checks the
SOAP action and the security token, keeps the imported cases and documents, and answers
with ``StandardRetur``. A test scripts failures with :meth:`FakeSagsindeks.fail_next`:
a status code, an HTTP status, a SOAP fault, or a hang (the client's timeout).
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from lxml import etree

from adapters.oio.namespaces import DI, HEADER, SAG, SD, SDI, q
from adapters.oio.schemas import SchemaError, sf1470_schema, validate
from plugins.sagsindeks.soap import SOAP_ENV, WSSE, parse_untrusted

ACTIONS = {
    "ImporterSagDokumentIndeksInput": "importer",
    "OpdaterSagDokumentIndeksInput": "opdater",
    "FremsoegSagDokumentIndeksInput": "fremsoeg",
    "FjernSagDokumentIndeksInput": "fjern",
}
OUTPUTS = {
    "importer": "ImporterSagDokumentIndeksOutput",
    "opdater": "OpdaterSagDokumentIndeksOutput",
    "fremsoeg": "FremsoegSagDokumentIndeksOutput",
}
NS = {"sdi": SDI, "sag": SAG, "di": DI, "sd": SD}


@dataclass
class Received:
    operation: str
    body: etree._Element
    token: bytes | None


@dataclass
class Failure:
    kind: str  # "status" | "http" | "fault" | "hang" | "lost" (forget all cases, answer 44)
    value: int | str = 0
    message: str = ""
    operation: str | None = None


@dataclass
class FakeSagsindeks:
    """The service's state and script; :meth:`start` serves it until :meth:`stop`."""

    standards_dir: Path
    expected_token: bytes | None = None
    cases: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    _script: deque[Failure] = field(default_factory=deque)
    _release: threading.Event = field(default_factory=threading.Event)

    def fail_next(
        self, kind: str, value: int | str = 0, message: str = "", *, operation: str | None = None
    ) -> None:
        """Fail the next request (of ``operation``, when named) as ``kind`` says."""
        self._script.append(Failure(kind, value, message, operation))

    def _scripted(self, operation: str) -> Failure | None:
        for failure in self._script:
            if failure.operation in (None, operation):
                self._script.remove(failure)
                return failure
        return None

    def operations(self) -> list[str]:
        return [request.operation for request in self.received]

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                status, body = fake.handle(
                    self.headers.get("SOAPAction", ""), self.rfile.read(length)
                )
                self.send_response(status)
                kind = "text/xml" if body.startswith(b"<?xml") else "text/plain"
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/sagdokumentindeks/6"

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def handle(self, soap_action: str, content: bytes) -> tuple[int, bytes]:
        """Validate one request and answer it (or fail as scripted)."""
        envelope = parse_untrusted(content)
        body = envelope.find(q(SOAP_ENV, "Body"))[0]
        operation = ACTIONS.get(etree.QName(body).localname, "?")
        problem = self._problem(envelope, body, operation, soap_action)
        if problem:
            self.rejected.append(problem)
            return 500, _fault("soap:Client", problem)
        security = envelope.find(f"{q(SOAP_ENV, 'Header')}/{q(WSSE, 'Security')}")
        token = etree.tostring(security[0]) if security is not None and len(security) else None
        self.received.append(Received(operation, body, token))
        failure = self._scripted(operation)
        if failure is not None:
            if failure.kind == "lost":
                self.cases.clear()
                return 200, self._answer(operation, 44, "sagen findes ikke", [], [])
            if failure.kind == "hang":
                self._release.wait(timeout=10)
            elif failure.kind == "http":
                return int(failure.value), b"Service Unavailable"
            elif failure.kind == "fault":
                return 500, _fault(str(failure.value), failure.message)
            else:
                return 200, self._answer(operation, int(failure.value), failure.message, [], [])
        return 200, self._apply(operation, body)

    def _problem(
        self, envelope: etree._Element, body: etree._Element, operation: str, soap_action: str
    ) -> str | None:
        expected_action = f'"http://kombit.dk/sts/sagdokumentindeks/{operation}"'
        if soap_action != expected_action:
            return f"SOAPAction {soap_action!r} does not match {operation}"
        header = envelope.find(f"{q(SOAP_ENV, 'Header')}/{q(HEADER, 'RequestHeader')}")
        if header is None:
            return "no RequestHeader"
        try:
            validate(sf1470_schema(self.standards_dir, with_header=True), header)
            validate(sf1470_schema(self.standards_dir), body)
        except SchemaError as error:
            return f"schema: {error}"
        if self.expected_token is not None:
            security = envelope.find(f"{q(SOAP_ENV, 'Header')}/{q(WSSE, 'Security')}")
            if security is None or not len(security):
                return "no security token"
            expected = etree.fromstring(self.expected_token)
            given = security[0]
            if (given.tag, dict(given.attrib)) != (expected.tag, dict(expected.attrib)):
                return "wrong security token"
        return None

    def _apply(self, operation: str, body: etree._Element) -> bytes:
        if operation == "fremsoeg":
            asked_cases = set(body.xpath("sdi:SagUuid/text()", namespaces=NS))
            asked_documents = set(body.xpath("sdi:DokumentUuid/text()", namespaces=NS))
            return self._answer(
                operation,
                20,
                "OK",
                sorted(asked_cases & self.cases),
                sorted(asked_documents & self.documents),
            )
        if operation == "importer":
            for path, known in (
                ("sdi:SagIndeks", self.cases),
                ("sdi:DokumentIndeks", self.documents),
            ):
                for uuid in body.xpath(f"{path}/sd:UUIDIdentifikator/text()", namespaces=NS):
                    if uuid in known:
                        return self._answer(operation, 40, f"{uuid} findes allerede", [], [])
                    known.add(uuid)
        if operation == "opdater":
            for uuid in body.xpath(
                "sdi:OpdaterSagIndeks/sd:UUIDIdentifikator/text()", namespaces=NS
            ):
                if uuid not in self.cases:
                    return self._answer(operation, 44, f"{uuid} findes ikke", [], [])
        return self._answer(operation, 20, "OK", [], [])

    def _answer(
        self, operation: str, code: int, message: str, cases: list[str], documents: list[str]
    ) -> bytes:
        envelope = etree.Element(q(SOAP_ENV, "Envelope"), nsmap={"soap": SOAP_ENV})
        header = etree.SubElement(envelope, q(SOAP_ENV, "Header"))
        request_header = etree.SubElement(header, q(HEADER, "RequestHeader"))
        etree.SubElement(request_header, q(HEADER, "TransactionUUID")).text = "echo"
        body = etree.SubElement(envelope, q(SOAP_ENV, "Body"))
        output = etree.SubElement(
            body, q(SDI, OUTPUTS.get(operation, "FjernSagDokumentIndeksOutput"))
        )
        retur = etree.SubElement(output, q(SD, "StandardRetur"))
        etree.SubElement(retur, q(SD, "StatusKode")).text = str(code)
        etree.SubElement(retur, q(SD, "FejlbeskedTekst")).text = message
        for path, uuids in (
            ("SagFiltreretOejebliksbillede", cases),
            ("DokumentFiltreretOejebliksbillede", documents),
        ):
            for uuid in uuids:
                picture = etree.SubElement(output, q(SDI, path))
                objekt = etree.SubElement(
                    picture, q(SAG if path.startswith("Sag") else DI, "ObjektType")
                )
                etree.SubElement(objekt, q(SD, "UUIDIdentifikator")).text = uuid
        validate(sf1470_schema(self.standards_dir), output)
        return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


def _fault(code: str, message: str) -> bytes:
    envelope = etree.Element(q(SOAP_ENV, "Envelope"), nsmap={"soap": SOAP_ENV})
    fault = etree.SubElement(etree.SubElement(envelope, q(SOAP_ENV, "Body")), q(SOAP_ENV, "Fault"))
    etree.SubElement(fault, "faultcode").text = code
    etree.SubElement(fault, "faultstring").text = message
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")

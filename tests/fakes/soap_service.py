"""The common part of the local SOAP fakes: an ``http.server`` on 127.0.0.1 in a thread.

A fake answers GET with files (its WSDL and schemas, document files) and POST with SOAP
1.1: it parses the request as hostile XML (as the plugins parse answers), finds the
operation by its SOAPAction, validates the body against the official schemas, and
answers — unless a test scripted a failure for it with :meth:`SoapFake.fail_next`: a
server or client fault, an HTTP status, or a slow answer (the request still takes
effect, the answer comes late, as when a real service is overloaded)."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from plugins.esdh_common.xml import UntrustedXml, parse_untrusted

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
MAX_REQUEST_BYTES = 50 * 1024 * 1024


class SoapFault(Exception):
    """Answer with a SOAP fault (``code`` ``Client`` or ``Server``)."""

    def __init__(self, message: str, code: str = "Client") -> None:
        super().__init__(message)
        self.code = code


def schema_set(files: Iterable[Path]) -> etree.XMLSchema:
    """One schema over official files whose imports name no location.

    A wrapper written here imports each file by its target namespace, so every
    ``xs:import`` between them resolves; the files themselves are read unchanged.
    """
    xs = "http://www.w3.org/2001/XMLSchema"
    wrapper = etree.Element(f"{{{xs}}}schema", nsmap={"xs": xs})
    seen: set[str] = set()
    for path in files:
        namespace = etree.parse(str(path)).getroot().get("targetNamespace")
        if namespace and namespace not in seen:
            seen.add(namespace)
            etree.SubElement(
                wrapper, f"{{{xs}}}import", namespace=namespace, schemaLocation=path.as_uri()
            )
    return etree.XMLSchema(wrapper)


def envelope_with(body_child: etree._Element | None) -> etree._Element:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap": SOAP_ENV})
    body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    if body_child is not None:
        body.append(body_child)
    return envelope


def fault_envelope(code: str, message: str) -> bytes:
    envelope = envelope_with(None)
    fault = etree.SubElement(envelope[0], f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = f"soap:{code}"
    etree.SubElement(fault, "faultstring").text = message
    return etree.tostring(envelope, xml_declaration=True, encoding="utf-8")


@dataclass
class Failure:
    kind: str  # "fault" | "client_fault" | "http" | "slow"
    operation: str | None = None
    status: int = 503
    seconds: float = 0.0


@dataclass
class Received:
    operation: str
    body: etree._Element
    user: str | None


@dataclass
class SoapFake:
    """State, script and HTTP plumbing; subclasses answer GETs and operations."""

    received: list[Received] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    _script: deque[Failure] = field(default_factory=deque)
    _release: threading.Event = field(default_factory=threading.Event)
    _server: ThreadingHTTPServer | None = None
    base_url: str = ""

    # --- for subclasses ---------------------------------------------------------------

    def operation_for(self, action: str) -> str | None:
        raise NotImplementedError

    def validate(self, body_child: etree._Element) -> list[str]:
        raise NotImplementedError

    def answer(self, operation: str, envelope: etree._Element) -> etree._Element:
        """The response envelope for a valid request (or raise :class:`SoapFault`)."""
        raise NotImplementedError

    def get(self, path: str, query: str) -> tuple[bytes, dict[str, str]] | None:
        """A file's bytes and headers for a GET, None for 404."""
        raise NotImplementedError

    def user_of(self, envelope: etree._Element) -> str | None:
        """Who the request says it acts as; None when that is not the fake's concern."""
        return None

    # --- for tests ----------------------------------------------------------------------

    def fail_next(
        self,
        kind: str,
        *,
        operation: str | None = None,
        status: int = 503,
        seconds: float = 0.0,
    ) -> None:
        """Fail the next request (of ``operation``, when named) as ``kind`` says."""
        self._script.append(Failure(kind, operation, status, seconds))

    def operations(self) -> list[str]:
        return [r.operation for r in self.received]

    def start(self) -> str:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        return self.base_url

    def stop(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def clear_script(self) -> None:
        self._script.clear()
        self.received.clear()
        self.rejected.clear()

    # --- the exchange -------------------------------------------------------------------

    def _scripted(self, operation: str) -> Failure | None:
        for failure in list(self._script):
            if failure.operation in (None, operation):
                self._script.remove(failure)
                return failure
        return None

    def exchange(self, action: str, data: bytes) -> tuple[int, bytes]:
        try:
            envelope = parse_untrusted(data)
            operation = self.operation_for(action)
            if operation is None:
                raise SoapFault(f"unknown SOAPAction {action!r}")
            body = envelope.find(f"{{{SOAP_ENV}}}Body")
            if body is None or len(body) != 1:
                raise SoapFault("the Body must hold exactly one element")
            failure = self._scripted(operation)
            if failure is not None and failure.kind != "slow":
                return _scripted_answer(failure)
            errors = self.validate(body[0])
            if errors:
                self.rejected.extend(errors)
                raise SoapFault("; ".join(errors))
            self.received.append(Received(operation, body[0], self.user_of(envelope)))
            answer = self.answer(operation, envelope)
            if failure is not None:
                self._release.wait(failure.seconds)
            return 200, etree.tostring(answer, xml_declaration=True, encoding="utf-8")
        except UntrustedXml as error:
            return 500, fault_envelope("Client", str(error))
        except SoapFault as fault:
            return 500, fault_envelope(fault.code, str(fault))


def _scripted_answer(failure: Failure) -> tuple[int, bytes]:
    if failure.kind == "http":
        return failure.status, b"Service Unavailable"
    code = "Client" if failure.kind == "client_fault" else "Server"
    return 500, fault_envelope(code, f"scripted {failure.kind}")


class _Handler(BaseHTTPRequestHandler):
    fake: SoapFake
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read what the fake received instead."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        found = self.fake.get(url.path, url.query)
        if found is None:
            self._send(404, b"not found", {"Content-Type": "text/plain"})
        else:
            self._send(200, found[0], found[1])

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        if length > MAX_REQUEST_BYTES:
            self._send(413, b"too large", {"Content-Type": "text/plain"})
            return
        action = (self.headers.get("SOAPAction") or "").strip('"')
        status, body = self.fake.exchange(action, self.rfile.read(length))
        self._send(status, body, {"Content-Type": "text/xml; charset=utf-8"})

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a scripted slow answer)

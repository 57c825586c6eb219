"""Hardened, streaming parsing of an intake envelope (``urn:sagshub:intake:1``).

The envelope is hostile until proven otherwise:

- its prolog is checked before parsing (:mod:`.xml_prolog`): any DOCTYPE is refused,
  so no entity can be declared, expanded or fetched;
- the parser resolves no entities, loads no DTD, uses no network and keeps libxml2's
  limits (``huge_tree`` off);
- the envelope's size, element count, nesting depth and its text outside inline content
  are limited (:class:`.limits.IntakeLimits`), checked as the parser goes
  (:mod:`.xml_target`), so an oversized or too deep envelope is stopped where it
  crosses the line;
- inline file content (``Inline``, base64) never enters the tree: it is decoded as it
  streams in and written to the blob store, so the tree stays small, and it is limited
  to ``max_inline_chars`` of base64 per part (10 MiB by default, the size of a text
  node a hardened parser accepts); larger files go as ``cid:`` parts of a multipart
  request;
- the slim tree is validated against ``schema/intake-1.xsd``.

Errors are :class:`core.errors.PayloadRejected` (not XML, hostile, too large) or
:class:`core.errors.InvalidValue` (schema-invalid, bad base64, a wrong sha256 …), each
naming the field as an XML path (``/Envelope/Variants/Variant[1]/Part[2]/Sha256``).
On any error, every file the delivery staged is discarded.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from functools import cache
from typing import BinaryIO
from urllib.parse import unquote

from lxml import etree
from pydantic import ValidationError

from core.errors import InvalidValue, PayloadRejected

from .delivery import Delivery
from .metadata import DeliveryMetadata, Loc, first_error
from .schema import INTAKE_NAMESPACE, INTAKE_XSD
from .staging import DeliveryStaging
from .xml_prolog import prolog_complete
from .xml_target import ENVELOPE_FIELD, SlimTreeBuilder, hardened_parser, path_step, qualified

FEED_BYTES = 64 * 1024
"""The parser is fed at most this much at once, which bounds each piece of inline text."""

# Metadata field → envelope element, for naming fields in errors.
_ELEMENTS = {
    "sender": "Sender",
    "system": "System",
    "message_id": "MessageId",
    "channel": "Channel",
    "document": "Document",
    "titel": "Titel",
    "brev_dato": "BrevDato",
    "dokumentnummer": "Dokumentnummer",
    "foelsomhed": "Foelsomhed",
    "type": "Type",
    "parties": "Parties/Party",
    "case": "Case",
    "id": "CaseId",
    "number": "CaseNumber",
    "activity_id": "ActivityId",
    "caseworker": "Caseworker",
    "reply_to": "ReplyTo",
    "subject": "Subject",
    "create_case": "CreateCase",
    "variants": "Variants/Variant",
    "name": "Name",
    "parts": "Part",
    "file_name": "FileName",
    "mime_type": "MimeType",
    "sha256": "Sha256",
    "file": "ContentRef",
}


def xml_field(loc: Loc) -> str:
    """A metadata location as an envelope path.

    ``("parties", 1)`` → ``/Envelope/Parties/Party[2]``.
    """
    path = "/Envelope"
    for step in loc:
        path += f"[{step + 1}]" if isinstance(step, int) else "/" + _ELEMENTS.get(step, step)
    return path


def content_id(value: str) -> str:
    """The Content-ID in a multipart part's header: ``<scan-1@vendor>`` → ``scan-1@vendor``.

    It is what a ``cid:scan-1@vendor`` reference of the envelope is matched against.
    """
    return value.strip().removeprefix("<").removesuffix(">")


@cache
def intake_schema() -> etree.XMLSchema:
    """The compiled ``intake-1.xsd``."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(INTAKE_XSD), parser))


class EnvelopeReader:
    """Reads an envelope fed chunk by chunk; :meth:`close` returns the :class:`Delivery`.

    Its inline files are staged in ``staging`` as they stream in; ``cid:`` parts are
    left pending on the delivery (:attr:`Delivery.pending`) for the caller to stage.
    """

    def __init__(self, staging: DeliveryStaging) -> None:
        self._staging = staging
        self._target = SlimTreeBuilder(staging)
        self._parser = hardened_parser(self._target)
        self._prolog = b""
        self._prolog_checked = False
        self._size = 0

    def feed(self, chunk: bytes) -> None:
        with self._staging.all_or_nothing():
            self._size += len(chunk)
            limit = self._staging.limits.max_envelope_bytes
            if self._size > limit:
                raise PayloadRejected(
                    f"the envelope is larger than {limit} bytes", field=ENVELOPE_FIELD
                )
            if not self._prolog_checked:
                self._prolog += chunk
                if not prolog_complete(self._prolog):
                    return
                self._prolog_checked, chunk, self._prolog = True, self._prolog, b""
            for start in range(0, len(chunk), FEED_BYTES):
                self._parse(chunk[start : start + FEED_BYTES])

    def close(self) -> Delivery:
        with self._staging.all_or_nothing():
            if not self._prolog_checked:
                prolog_complete(self._prolog, final=True)
                self._prolog_checked = True
                self._parse(self._prolog)
            root = self._parse(None)
            if root is None:
                raise PayloadRejected(
                    "the envelope is not a complete XML document", field=ENVELOPE_FIELD
                )
            _validate(root)
            delivery = Delivery(_metadata(root), self._staging, field=xml_field)
            for key, blob in self._target.inline.items():
                delivery.attach(key, blob)
            return delivery

    def _parse(self, chunk: bytes | None) -> etree._Element | None:
        try:
            if chunk is None:
                return self._parser.close()
            self._parser.feed(chunk)
        except etree.XMLSyntaxError as error:
            raise PayloadRejected(
                f"the envelope is not well-formed XML: {error.msg}", field=ENVELOPE_FIELD
            ) from None
        return None


def _validate(root: etree._Element) -> None:
    schema = intake_schema()
    if schema.validate(root):
        return
    error = schema.error_log[0]
    message = error.message.replace(f"{{{INTAKE_NAMESPACE}}}", "")
    raise InvalidValue(message, field=_element_path(root, error.path))


def _element_path(root: etree._Element, xpath: str | None) -> str:
    """The path of the element libxml2 complains about, as ``/Envelope/Document/Titel``.

    libxml2 names elements of a default namespace ``*[3]``; the element is looked up
    and its path spelled with local names, as in :func:`xml_field`.
    """
    found = root.getroottree().xpath(xpath) if xpath else []
    if not found or not isinstance(found[0], etree._Element):
        return ENVELOPE_FIELD
    steps = []
    for element in (found[0], *found[0].iterancestors()):
        position = sum(1 for _ in element.itersiblings(element.tag, preceding=True)) + 1
        steps.append(path_step(element.tag, position))
    return "/" + "/".join(reversed(steps))


class _Children:
    """The child elements of one envelope element, by name, read in one pass.

    ``find``/``findtext`` compile an ElementPath expression on every call, which cost
    several times more than validating the metadata model itself.
    """

    def __init__(self, parent: etree._Element | None) -> None:
        self._by_tag: dict[str, list[etree._Element]] = {}
        for child in () if parent is None else parent:
            self._by_tag.setdefault(child.tag, []).append(child)

    def all(self, name: str) -> list[etree._Element]:
        return self._by_tag.get(qualified(name), [])

    def element(self, name: str) -> etree._Element | None:
        found = self.all(name)
        return found[0] if found else None

    def text(self, name: str) -> str | None:
        """The first such child's text ('' if it has none), as ``findtext``; None without one."""
        element = self.element(name)
        return None if element is None else element.text or ""


def _metadata(root: etree._Element) -> DeliveryMetadata:
    """The envelope as :class:`DeliveryMetadata` (the tree is schema-valid by now)."""
    top = _Children(root)
    sender = _Children(top.element("Sender"))
    document = _Children(top.element("Document"))
    case = top.element("Case")
    case_fields = _Children(case)
    brev_dato = document.text("BrevDato")
    create_case = top.text("CreateCase")
    data = {
        "sender": {"system": sender.text("System"), "message_id": sender.text("MessageId")},
        "channel": top.text("Channel"),
        "document": {
            "titel": document.text("Titel"),
            "brev_dato": brev_dato.strip() if brev_dato else None,
            "dokumentnummer": document.text("Dokumentnummer"),
            "foelsomhed": document.text("Foelsomhed"),
            "type": document.text("Type"),
        },
        "parties": [party.text for party in _Children(top.element("Parties")).all("Party")],
        "case": None
        if case is None
        else {
            "id": case_fields.text("CaseId"),
            "number": case_fields.text("CaseNumber"),
            "activity_id": case_fields.text("ActivityId"),
        },
        "caseworker": top.text("Caseworker"),
        "reply_to": top.text("ReplyTo"),
        "subject": top.text("Subject"),
        "create_case": create_case is not None and create_case.strip() in ("true", "1"),
        "variants": [
            _variant(variant) for variant in _Children(top.element("Variants")).all("Variant")
        ],
    }
    try:
        return DeliveryMetadata.model_validate(data)
    except ValidationError as error:
        loc, message = first_error(error)
        raise InvalidValue(message, field=xml_field(loc)) from None


def _variant(variant: etree._Element) -> dict[str, object]:
    fields = _Children(variant)
    return {"name": fields.text("Name"), "parts": [_part(part) for part in fields.all("Part")]}


def _part(part: etree._Element) -> dict[str, str | None]:
    fields = _Children(part)
    reference = fields.text("ContentRef")
    return {
        "file_name": fields.text("FileName"),
        "mime_type": fields.text("MimeType"),
        "sha256": fields.text("Sha256"),
        "file": unquote(reference.removeprefix("cid:")) if reference else None,
    }


def parse_envelope(
    source: bytes | BinaryIO | Iterable[bytes], staging: DeliveryStaging
) -> Delivery:
    """Parse an envelope from bytes, a binary file or an iterable of chunks.

    Inline files are staged in ``staging``; ``cid:`` parts stay pending on the
    returned :class:`Delivery`. Raises :class:`PayloadRejected` or :class:`InvalidValue`
    naming the field; then nothing of the delivery stays staged.
    """
    reader = EnvelopeReader(staging)
    if isinstance(source, bytes):
        reader.feed(source)
    elif hasattr(source, "read"):
        while chunk := source.read(FEED_BYTES):
            reader.feed(chunk)
    else:
        for chunk in source:
            reader.feed(chunk)
    return reader.close()


async def aparse_envelope(source: AsyncIterable[bytes], staging: DeliveryStaging) -> Delivery:
    """:func:`parse_envelope` for an async iterable of chunks (a request body)."""
    reader = EnvelopeReader(staging)
    async for chunk in source:
        reader.feed(chunk)
    return reader.close()

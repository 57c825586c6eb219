"""Hardened, streaming parsing of an intake envelope (``urn:sagshub:intake:1``).

The envelope is hostile until proven otherwise:

- its prolog is checked before parsing (:mod:`.xml_prolog`): any DOCTYPE is refused,
  so no entity can be declared, expanded or fetched;
- the parser resolves no entities, loads no DTD, uses no network and keeps libxml2's
  limits (``huge_tree`` off);
- the envelope's size, element count, nesting depth and the text of each element are
  limited (:class:`.limits.IntakeLimits`), checked as the parser goes, so an oversized
  or too deep envelope is stopped where it crosses the line;
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
from ports.blobs import StagedBlob

from .base64_stream import Base64Stream
from .delivery import Delivery
from .metadata import DeliveryMetadata, Loc, first_error
from .schema import INTAKE_NAMESPACE, INTAKE_XSD
from .staging import DeliveryStaging, PartWriter
from .translate import PartKey
from .xml_prolog import prolog_complete

FEED_BYTES = 64 * 1024
"""The parser is fed at most this much at once, which bounds each piece of inline text."""

_ENVELOPE = "envelope"


def _q(name: str) -> str:
    return f"{{{INTAKE_NAMESPACE}}}{name}"


_VARIANT_PATH = tuple(_q(n) for n in ("Envelope", "Variants", "Variant"))
_PART_PATH = (*_VARIANT_PATH, _q("Part"))
_INLINE_PATH = (*_PART_PATH, _q("Inline"))

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


def hardened_parser(target: object) -> etree.XMLParser:
    """An lxml parser that resolves no entities, loads no DTD and uses no network."""
    return etree.XMLParser(
        target=target,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


@cache
def intake_schema() -> etree.XMLSchema:
    """The compiled ``intake-1.xsd``."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(INTAKE_XSD), parser))


class _SlimTreeBuilder:
    """Parser target: builds the envelope's tree, except inline content, which it stages.

    Checks the element count, depth and text limits as elements open, so a hostile
    envelope is stopped where it crosses a limit.
    """

    def __init__(self, staging: DeliveryStaging) -> None:
        self._staging = staging
        self._limits = staging.limits
        self._builder = etree.TreeBuilder()
        self._path: list[str] = []
        self._positions: list[int] = []
        self._children: list[dict[str, int]] = [{}]
        self._elements = 0
        self._text = 0
        self._variant = -1
        self._part = -1
        self._inline: tuple[PartWriter, Base64Stream] | None = None
        self.inline: dict[PartKey, StagedBlob] = {}

    def start(self, tag: str, attrib: dict[str, str], nsmap: dict[str, str] | None = None) -> None:
        self._elements += 1
        position = self._children[-1].get(tag, 0) + 1
        self._children[-1][tag] = position
        self._path.append(tag)
        self._positions.append(position)
        self._children.append({})
        if self._elements > self._limits.max_elements:
            raise PayloadRejected(
                f"the envelope has more than {self._limits.max_elements} elements",
                field=self.where(),
            )
        if len(self._path) > self._limits.max_depth:
            raise PayloadRejected(
                f"the envelope is nested deeper than {self._limits.max_depth} elements",
                field=self.where(),
            )
        self._text = 0
        path = tuple(self._path)
        if path == _VARIANT_PATH:
            self._variant, self._part = self._variant + 1, -1
        elif path == _PART_PATH:
            self._part += 1
        elif path == _INLINE_PATH:
            self._open_inline()
        namespaces = {prefix or None: uri for prefix, uri in (nsmap or {}).items()}
        self._builder.start(tag, attrib, namespaces)

    def data(self, text: str) -> None:
        if self._inline is not None:
            stream = self._inline[1]
            stream.feed(text)
            if stream.chars > self._limits.max_inline_chars:
                raise PayloadRejected(
                    f"inline content is limited to {self._limits.max_inline_chars} base64 "
                    "characters; send larger files as cid: parts of a multipart request",
                    field=self.where(),
                )
            return
        self._text += len(text)
        if self._text > self._limits.max_text_chars:
            raise PayloadRejected(
                f"an element's text is limited to {self._limits.max_text_chars} characters",
                field=self.where(),
            )
        self._builder.data(text)

    def end(self, tag: str) -> None:
        if self._inline is not None:
            writer, stream = self._inline
            stream.close()
            self.inline[(self._variant, self._part)] = writer.finish()
            self._inline = None
        self._builder.end(tag)
        self._path.pop()
        self._positions.pop()
        self._children.pop()
        self._text = 0

    def doctype(self, *_: object) -> None:
        # Unreachable behind the prolog check; kept so that no DOCTYPE is ever accepted.
        raise PayloadRejected(
            "a document type declaration (DOCTYPE) is not allowed", field=_ENVELOPE
        )

    def close(self) -> etree._Element | None:
        # lxml calls this after a failed callback too; its own error must not hide ours.
        try:
            return self._builder.close()
        except etree.XMLSyntaxError:
            return None

    def where(self) -> str:
        """The open element as a path, ``/Envelope/Variants/Variant[1]/Part[2]/Inline``."""
        return (
            "".join(
                f"/{etree.QName(tag).localname}"
                + (f"[{pos}]" if pos > 1 or tag in _INDEXED else "")
                for tag, pos in zip(self._path, self._positions, strict=True)
            )
            or _ENVELOPE
        )

    def _open_inline(self) -> None:
        key = (self._variant, self._part)
        if key in self.inline:
            raise InvalidValue("a part has one Inline element", field=self.where())
        writer = self._staging.open_part(field=self.where())
        self._inline = (writer, Base64Stream(writer.write, field=self.where()))


_INDEXED = {_q("Variant"), _q("Part"), _q("Party")}


class EnvelopeReader:
    """Reads an envelope fed chunk by chunk; :meth:`close` returns the :class:`Delivery`.

    Its inline files are staged in ``staging`` as they stream in; ``cid:`` parts are
    left pending on the delivery (:attr:`Delivery.pending`) for the caller to stage.
    """

    def __init__(self, staging: DeliveryStaging) -> None:
        self._staging = staging
        self._target = _SlimTreeBuilder(staging)
        self._parser = hardened_parser(self._target)
        self._prolog = b""
        self._prolog_checked = False
        self._size = 0

    def feed(self, chunk: bytes) -> None:
        with self._staging.all_or_nothing():
            self._size += len(chunk)
            limit = self._staging.limits.max_envelope_bytes
            if self._size > limit:
                raise PayloadRejected(f"the envelope is larger than {limit} bytes", field=_ENVELOPE)
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
                    "the envelope is not a complete XML document", field=_ENVELOPE
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
                f"the envelope is not well-formed XML: {error.msg}", field=_ENVELOPE
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
        return _ENVELOPE
    steps = []
    for element in (found[0], *found[0].iterancestors()):
        name = etree.QName(element).localname
        if element.tag in _INDEXED:
            siblings = element.itersiblings(element.tag, preceding=True)
            name += f"[{sum(1 for _ in siblings) + 1}]"
        steps.append(name)
    return "/" + "/".join(reversed(steps))


def _text(parent: etree._Element | None, name: str) -> str | None:
    if parent is None:
        return None
    return parent.findtext(_q(name))


def _metadata(root: etree._Element) -> DeliveryMetadata:
    """The envelope as :class:`DeliveryMetadata` (the tree is schema-valid by now)."""
    sender = root.find(_q("Sender"))
    document = root.find(_q("Document"))
    case = root.find(_q("Case"))
    brev_dato = _text(document, "BrevDato")
    create_case = _text(root, "CreateCase")
    data = {
        "sender": {"system": _text(sender, "System"), "message_id": _text(sender, "MessageId")},
        "channel": _text(root, "Channel"),
        "document": {
            "titel": _text(document, "Titel"),
            "brev_dato": brev_dato.strip() if brev_dato else None,
            "dokumentnummer": _text(document, "Dokumentnummer"),
            "foelsomhed": _text(document, "Foelsomhed"),
            "type": _text(document, "Type"),
        },
        "parties": [party.text for party in root.iterfind(f"{_q('Parties')}/{_q('Party')}")],
        "case": None
        if case is None
        else {
            "id": _text(case, "CaseId"),
            "number": _text(case, "CaseNumber"),
            "activity_id": _text(case, "ActivityId"),
        },
        "caseworker": _text(root, "Caseworker"),
        "reply_to": _text(root, "ReplyTo"),
        "subject": _text(root, "Subject"),
        "create_case": create_case is not None and create_case.strip() in ("true", "1"),
        "variants": [
            {
                "name": variant.findtext(_q("Name")),
                "parts": [_part(part) for part in variant.iterfind(_q("Part"))],
            }
            for variant in root.iterfind(f"{_q('Variants')}/{_q('Variant')}")
        ],
    }
    try:
        return DeliveryMetadata.model_validate(data)
    except ValidationError as error:
        loc, message = first_error(error)
        raise InvalidValue(message, field=xml_field(loc)) from None


def _part(part: etree._Element) -> dict[str, str | None]:
    reference = part.findtext(_q("ContentRef"))
    return {
        "file_name": part.findtext(_q("FileName")),
        "mime_type": part.findtext(_q("MimeType")),
        "sha256": part.findtext(_q("Sha256")),
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

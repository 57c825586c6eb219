"""The lxml parser target behind the envelope parser: a slim tree, with limits.

lxml hands a parser target every element and every piece of text as libxml2
reads it, in pieces no larger than what was fed. This target

- counts elements and depth, and the text outside inline content (attributes
  included), and stops the parse where the envelope crosses a limit;
- streams the text of ``Variant/Part/Inline`` through a base64 decoder into the
  blob store instead of the tree, so the tree holds only the metadata;
- builds the rest into an ordinary lxml tree for schema validation.
"""

from __future__ import annotations

from lxml import etree

from core.errors import InvalidValue, PayloadRejected
from ports.blobs import StagedBlob

from .base64_stream import Base64Stream
from .schema import INTAKE_NAMESPACE
from .staging import DeliveryStaging, PartWriter
from .translate import PartKey

ENVELOPE_FIELD = "envelope"
"""The field named by errors about the envelope as a whole."""


def qualified(name: str) -> str:
    """An element name in the envelope's namespace, as lxml spells it."""
    return f"{{{INTAKE_NAMESPACE}}}{name}"


_VARIANT_PATH = tuple(qualified(n) for n in ("Envelope", "Variants", "Variant"))
_PART_PATH = (*_VARIANT_PATH, qualified("Part"))
_INLINE_PATH = (*_PART_PATH, qualified("Inline"))
_WATCHED = {path[-1]: path for path in (_VARIANT_PATH, _PART_PATH, _INLINE_PATH)}
"""The elements whose place the builder follows, by tag (the path is compared only for these)."""
_INDEXED = {qualified("Variant"), qualified("Part"), qualified("Party")}


def path_step(tag: str, position: int) -> str:
    """One step of an element path: ``Titel``, ``Party[1]``, ``Channel[2]``.

    Elements that may repeat always show their position (from 1); others only when
    repeated.
    """
    name = etree.QName(tag).localname
    return f"{name}[{position}]" if position > 1 or tag in _INDEXED else name


def hardened_parser(target: object) -> etree.XMLParser:
    """An lxml parser that resolves no entities, loads no DTD and uses no network."""
    return etree.XMLParser(
        target=target,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
    )


class SlimTreeBuilder:
    """Parser target: builds the envelope's tree, except inline content, which it stages.

    :attr:`inline` maps each part with inline content, by its position, to the
    staged bytes.
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
        self._enter(tag)
        if self._inline is not None:
            raise InvalidValue("Inline holds only base64 text", field=self.where())
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
        if attrib:
            self._count_text(sum(len(name) + len(value) for name, value in attrib.items()))
        watched = _WATCHED.get(tag)
        if watched is not None and tuple(self._path) == watched:
            if watched is _VARIANT_PATH:
                self._variant, self._part = self._variant + 1, -1
            elif watched is _PART_PATH:
                self._part += 1
            else:
                self._open_inline()
        namespaces = {prefix or None: uri for prefix, uri in nsmap.items()} if nsmap else None
        self._builder.start(tag, attrib, namespaces)

    def data(self, text: str) -> None:
        if self._inline is None:
            self._count_text(len(text))
            self._builder.data(text)
            return
        stream = self._inline[1]
        stream.feed(text)
        if stream.chars > self._limits.max_inline_chars:
            raise PayloadRejected(
                f"inline content is limited to {self._limits.max_inline_chars} base64 "
                "characters; send larger files as cid: parts of a multipart request",
                field=self.where(),
            )

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

    def doctype(self, *_: object) -> None:
        # Unreachable behind the prolog check; kept so that no DOCTYPE is ever accepted.
        raise PayloadRejected(
            "a document type declaration (DOCTYPE) is not allowed", field=ENVELOPE_FIELD
        )

    def close(self) -> etree._Element | None:
        # lxml calls this after a failed callback too; its own error must not hide ours.
        try:
            return self._builder.close()
        except etree.XMLSyntaxError:
            return None

    def where(self) -> str:
        """The open element as a path, ``/Envelope/Variants/Variant[1]/Part[2]/Inline``."""
        steps = map(path_step, self._path, self._positions)
        return "".join(f"/{step}" for step in steps) or ENVELOPE_FIELD

    def _enter(self, tag: str) -> None:
        self._elements += 1
        position = self._children[-1].get(tag, 0) + 1
        self._children[-1][tag] = position
        self._path.append(tag)
        self._positions.append(position)
        self._children.append({})

    def _count_text(self, size: int) -> None:
        self._text += size
        if self._text > self._limits.max_text_chars:
            raise PayloadRejected(
                f"the envelope's text outside Inline is limited to {self._limits.max_text_chars} "
                "characters",
                field=self.where(),
            )

    def _open_inline(self) -> None:
        key = (self._variant, self._part)
        if key in self.inline:
            raise InvalidValue("a part has one Inline element", field=self.where())
        writer = self._staging.open_part(field=self.where())
        self._inline = (writer, Base64Stream(writer.write, field=self.where()))

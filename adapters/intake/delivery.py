"""A delivery being received: its metadata, and each part's bytes as they arrive.

Bytes come inline (the XML parser stages them while parsing) or as separate
parts of a multipart request named by the metadata (a ``cid:`` Content-ID, or a
form field name). Every file is checked on arrival: the sender's sha256 and the
declared mime type against the file's leading bytes. Any failure discards all
the files the delivery staged.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable

from core.errors import DomainError, InvalidValue
from core.intake import IncomingDocument
from ports.blobs import StagedBlob

from .metadata import DeliveryMetadata, json_field
from .sniff import check_declared_type
from .staging import DeliveryStaging, check_sha256
from .translate import FieldNamer, PartKey, check_metadata, senders_field, to_incoming


class Delivery:
    """One delivery: metadata plus the staged bytes of its parts, checked as they arrive.

    ``field`` turns a location in the metadata into the name the sender knows:
    :func:`.metadata.json_field` for the JSON API, :func:`.xml_envelope.xml_field`
    for the envelope.
    """

    def __init__(
        self,
        metadata: DeliveryMetadata,
        staging: DeliveryStaging,
        *,
        field: FieldNamer = json_field,
    ) -> None:
        check_metadata(metadata, field)
        self.metadata = metadata
        self.staging = staging
        self._field = field
        self._staged: dict[PartKey, StagedBlob] = {}
        self._by_reference: dict[str, PartKey] = {
            part.file: (i, j)
            for i, variant in enumerate(metadata.variants)
            for j, part in enumerate(variant.parts)
            if part.file is not None
        }

    @property
    def pending(self) -> tuple[str, ...]:
        """The file references (Content-IDs or form field names) whose bytes have not arrived."""
        return tuple(ref for ref, key in self._by_reference.items() if key not in self._staged)

    def expects(self, reference: str) -> bool:
        """Whether a part of this delivery waits for the bytes of ``reference``."""
        return reference in self.pending

    def stage(self, reference: str, chunks: Iterable[bytes]) -> StagedBlob:
        """Stage the bytes of the part that ``reference`` names, from a chunk iterable."""
        with self.staging.all_or_nothing():
            key = self._key(reference)
            blob = self.staging.stage(chunks, field=self._part_field(key, "file"))
            self.attach(key, blob)
        return blob

    async def astage(self, reference: str, chunks: AsyncIterable[bytes]) -> StagedBlob:
        """Stage the bytes of the part that ``reference`` names, from an async chunk iterable."""
        with self.staging.all_or_nothing():
            key = self._key(reference)
            blob = await self.staging.astage(chunks, field=self._part_field(key, "file"))
            self.attach(key, blob)
        return blob

    def attach(self, key: PartKey, blob: StagedBlob) -> None:
        """Bind staged bytes to a part after checking them against its sha256 and mime type."""
        i, j = key
        part = self.metadata.variants[i].parts[j]
        with self.staging.all_or_nothing():
            check_sha256(blob, part.sha256, field=self._part_field(key, "sha256"))
            check_declared_type(
                part.mime_type,
                blob.head,
                field=self._part_field(key, "mime_type"),
                allowed_unknown=self.staging.limits.allowed_unknown_types,
            )
            self._staged[key] = blob

    def to_incoming(self) -> IncomingDocument:
        """The delivery as the core's intake takes it; every part's bytes must have arrived."""
        with self.staging.all_or_nothing():
            return to_incoming(self.metadata, self._staged, self._field)

    def in_senders_terms(self, error: DomainError) -> DomainError:
        """The core's error about this delivery, its field named as the sender knows it.

        The core names fields of :class:`IncomingDocument` (``case``, ``message_id``);
        the answer to the sender names its own (``/Envelope/Case``, ``sender.message_id``).
        """
        renamed = type(error)(error.message, field=senders_field(error.field, self._field))
        renamed.__cause__ = error
        return renamed

    def _key(self, reference: str) -> PartKey:
        if reference not in self._by_reference:
            raise InvalidValue("no part of the document refers to this file", field=reference)
        key = self._by_reference[reference]
        if key in self._staged:
            raise InvalidValue("this file was sent more than once", field=reference)
        return key

    def _part_field(self, key: PartKey, name: str) -> str:
        return self._field(("variants", key[0], "parts", key[1], name))

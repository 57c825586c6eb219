"""Receiving a delivery from a request body as it streams in, up to the core's receipt.

The three shapes of a delivery end the same way: the envelope (or the JSON
metadata) becomes a :class:`adapters.intake.delivery.Delivery`, every file is
streamed into the blob store's staging area while it is hashed and checked, and
:meth:`core.services.intake.IntakeService.receive` records and places the
document, committing rows and files together. Whatever fails on the way, every
file of the delivery is discarded (:class:`DeliveryStaging`), so nothing
half-received stays behind.

The sender system named in a delivery must be the caller's client name: it is
half of the idempotency key, and one client must not deliver as another.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Awaitable, Callable
from dataclasses import dataclass

import anyio.to_thread

from adapters.api.auth import Caller
from adapters.api.multipart import MultipartReader, StreamedPart
from adapters.intake.delivery import Delivery
from adapters.intake.limits import IntakeLimits
from adapters.intake.metadata import json_field, parse_metadata_json
from adapters.intake.staging import DeliveryStaging
from adapters.intake.translate import FieldNamer, PartKey
from adapters.intake.xml_envelope import aparse_envelope, xml_field
from core.errors import DomainError, InvalidValue, NotAllowed
from core.intake import IncomingDocument, Receipt
from core.services.group_commit import Announcement
from core.services.intake import IntakeService
from ports.blobs import BlobStore, StagedBlob

Confirm = Callable[[], None]
"""Run (blocking) just before the core records a delivery; raises to refuse it. The HTTP
layer confirms an API key admitted from memory so (see :class:`adapters.api.auth.ApiKeys`)."""

METADATA_FIELD = "metadata"
ENVELOPE_FIELD = "envelope"
MAX_METADATA_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Reception:
    """Turns request bodies into receipts for one hub."""

    intake: IntakeService
    blobs: BlobStore
    limits: IntakeLimits

    def limits_for(self, caller: Caller) -> IntakeLimits:
        """The hub's limits, with the client's own document limit where it has one."""
        if caller.max_document_bytes is None:
            return self.limits
        return self.limits.model_copy(update={"max_document_bytes": caller.max_document_bytes})

    def max_body_bytes(self, caller: Caller) -> int:
        """The most a request body of this caller may be: its files and one envelope."""
        limits = self.limits_for(caller)
        return limits.max_document_bytes + limits.max_envelope_bytes

    async def envelope(
        self, body: AsyncIterable[bytes], caller: Caller, *, confirm: Confirm | None = None
    ) -> Receipt:
        """An XML envelope alone (``application/xml``): every file inline."""
        with (
            self.intake.arriving() as arrival,
            DeliveryStaging(self.blobs, self.limits_for(caller)) as staging,
        ):
            delivery = await aparse_envelope(body, staging)
            check_sender(delivery, caller, xml_field)
            return await self._receive(delivery, confirm, arrival)

    async def envelope_with_parts(
        self,
        body: AsyncIterable[bytes],
        boundary: str,
        start: str | None,
        caller: Caller,
        *,
        confirm: Confirm | None = None,
    ) -> Receipt:
        """An envelope and its ``cid:`` files as parts (``multipart/related`` or
        ``multipart/form-data``). The envelope is the part ``start`` names, else the part
        named ``envelope``, else the first; a file part is known by its Content-ID, else by
        its form field name."""
        root_id = start.strip().removeprefix("<").removesuffix(">") if start else None

        def is_envelope(part: StreamedPart, first: bool) -> bool:
            if root_id is not None:
                return part.content_id == root_id
            return part.form_name == ENVELOPE_FIELD or (first and part.form_name is None)

        async def read_envelope(part: StreamedPart, staging: DeliveryStaging) -> Delivery:
            delivery = await aparse_envelope(part.chunks(), staging)
            check_sender(delivery, caller, xml_field)
            return delivery

        return await self._multipart(
            body,
            boundary,
            caller,
            is_root=is_envelope,
            read_root=read_envelope,
            reference=lambda part: part.content_id or part.form_name,
            root_field=ENVELOPE_FIELD,
            confirm=confirm,
        )

    async def documents(
        self,
        body: AsyncIterable[bytes],
        boundary: str,
        caller: Caller,
        *,
        confirm: Confirm | None = None,
    ) -> Receipt:
        """``multipart/form-data`` with a JSON ``metadata`` field and one field per file."""

        async def read_metadata(part: StreamedPart, staging: DeliveryStaging) -> Delivery:
            data = await part.read(MAX_METADATA_BYTES, field=METADATA_FIELD)
            delivery = Delivery(parse_metadata_json(data), staging)
            check_sender(delivery, caller, json_field)
            return delivery

        return await self._multipart(
            body,
            boundary,
            caller,
            is_root=lambda part, first: part.form_name == METADATA_FIELD,
            read_root=read_metadata,
            reference=lambda part: part.form_name,
            root_field=METADATA_FIELD,
            confirm=confirm,
        )

    async def _multipart(
        self,
        body: AsyncIterable[bytes],
        boundary: str,
        caller: Caller,
        *,
        is_root: Callable[[StreamedPart, bool], bool],
        read_root: Callable[[StreamedPart, DeliveryStaging], Awaitable[Delivery]],
        reference: Callable[[StreamedPart], str | None],
        root_field: str,
        confirm: Confirm | None,
    ) -> Receipt:
        with (
            self.intake.arriving() as arrival,
            DeliveryStaging(self.blobs, self.limits_for(caller)) as staging,
        ):
            files = _Files(staging)
            first = True
            async for part in MultipartReader(body, boundary).parts():
                if files.delivery is None and is_root(part, first):
                    files.bind(await read_root(part, staging))
                else:
                    await files.stage(reference(part), part)
                first = False
            if files.delivery is None:
                raise InvalidValue(f"the request has no {root_field} part", field=root_field)
            return await self._receive(files.delivery, confirm, arrival)

    async def _receive(
        self,
        delivery: Delivery,
        confirm: Confirm | None,
        arrival: Announcement[IncomingDocument, Receipt],
    ) -> Receipt:
        """The core records the delivery in a worker thread; ``confirm`` runs there first.
        The delivery was announced to the intake while it was read (``arrival``), so a
        transaction written meanwhile may wait for it."""
        incoming = delivery.to_incoming()

        def receive() -> Receipt:
            if confirm is not None:
                confirm()
            return arrival.submit(incoming)

        try:
            return await anyio.to_thread.run_sync(receive)
        except DomainError as error:
            raise delivery.in_senders_terms(error) from None


def check_sender(delivery: Delivery, caller: Caller, field: FieldNamer) -> None:
    """A client delivers only as itself: the sender system is the key's client name."""
    system = delivery.metadata.sender.system
    if system != caller.name:
        raise NotAllowed(
            f"the API key belongs to the client system {caller.name!r}, "
            f"which may not deliver as {system!r}",
            field=field(("sender", "system")),
        )


class _Files:
    """The file parts of a multipart delivery, in whatever order they come.

    Parts after the envelope (or metadata) go straight to the part that refers to
    them; parts before it are staged and bound once it has been read.
    """

    def __init__(self, staging: DeliveryStaging) -> None:
        self.staging = staging
        self.delivery: Delivery | None = None
        self._early: dict[str, StagedBlob] = {}

    async def stage(self, reference: str | None, part: StreamedPart) -> None:
        if not reference:
            raise InvalidValue(
                "a file part needs a Content-ID (or a form field name)", field="Content-ID"
            )
        if self.delivery is not None:
            await self.delivery.astage(reference, part.chunks())
            return
        if reference in self._early:
            raise InvalidValue("this file was sent more than once", field=reference)
        self._early[reference] = await self.staging.astage(part.chunks(), field=reference)

    def bind(self, delivery: Delivery) -> None:
        for reference, blob in self._early.items():
            delivery.attach(_part_key(delivery, reference), blob)
        self.delivery = delivery


def _part_key(delivery: Delivery, reference: str) -> PartKey:
    for i, variant in enumerate(delivery.metadata.variants):
        for j, part in enumerate(variant.parts):
            if part.file == reference:
                return i, j
    raise InvalidValue("no part of the document refers to this file", field=reference)

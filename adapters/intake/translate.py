"""The one translation of a delivery's metadata and staged files into an IncomingDocument.

Both interfaces use it: the XML envelope (:mod:`.xml_envelope`) and the JSON
metadata of ``/api/documents`` (:mod:`.metadata`). Errors name the field in the
caller's own terms through ``field``, a function from a location in
:class:`DeliveryMetadata` (``("parties", 2)``) to the name the sender knows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from core.errors import InvalidValue
from core.intake import CaseReference, IncomingDocument, IncomingVariant
from core.models import Channel
from core.values import parse_cpr, parse_cvr
from ports.blobs import StagedBlob

from .metadata import CPR_URN, CVR_URN, DeliveryMetadata, Loc
from .sniff import normalize_mime_type

FieldNamer = Callable[[Loc], str]
PartKey = tuple[int, int]
"""A part by its variant's and its own position (from 0)."""


_CORE_FIELDS: dict[str, Loc] = {
    "sender_system": ("sender", "system"),
    "message_id": ("sender", "message_id"),
    "case": ("case",),
    "activity": ("case", "activity_id"),
    "caseworker": ("caseworker",),
    "cprs": ("parties",),
    "cvrs": ("parties",),
}
"""The core's names for fields of an IncomingDocument, as locations in the metadata."""


def senders_field(core_field: str | None, field: FieldNamer) -> str | None:
    """The sender's name for a field the core named (``message_id`` → ``sender.message_id``)."""
    loc = _CORE_FIELDS.get(core_field or "")
    return field(loc) if loc else core_field


def check_metadata(metadata: DeliveryMetadata, field: FieldNamer) -> None:
    """What no single field can check: variant names, parties and file references are unique."""
    _unique(
        ((("variants", i, "name"), v.name) for i, v in enumerate(metadata.variants)),
        "variant names",
        field,
    )
    _unique(((("parties", k), urn) for k, urn in enumerate(metadata.parties)), "parties", field)
    _unique(
        (
            (("variants", i, "parts", j, "file"), part.file)
            for i, variant in enumerate(metadata.variants)
            for j, part in enumerate(variant.parts)
            if part.file is not None
        ),
        "file references",
        field,
    )


def _unique(items: Iterable[tuple[Loc, str]], what: str, field: FieldNamer) -> None:
    seen: set[str] = set()
    for loc, value in items:
        if value in seen:
            raise InvalidValue(f"{what} must be unique; {value!r} is repeated", field=field(loc))
        seen.add(value)


def party_numbers(urns: list[str]) -> tuple[list[str], list[str]]:
    """The CPR and CVR numbers of party URNs (validated by :data:`.metadata.PartyUrn`)."""
    cprs = [parse_cpr(urn.removeprefix(CPR_URN)) for urn in urns if urn.startswith(CPR_URN)]
    cvrs = [parse_cvr(urn.removeprefix(CVR_URN)) for urn in urns if urn.startswith(CVR_URN)]
    return cprs, cvrs


def _case_reference(metadata: DeliveryMetadata) -> CaseReference | None:
    if metadata.case is None:
        return None
    return CaseReference(
        case_id=metadata.case.id,
        case_number=metadata.case.number,
        activity_id=metadata.case.activity_id,
    )


def to_incoming(
    metadata: DeliveryMetadata, staged: Mapping[PartKey, StagedBlob], field: FieldNamer
) -> IncomingDocument:
    """The IncomingDocument of a delivery whose parts' bytes are all staged.

    ``staged`` holds each part's staged bytes by :data:`PartKey`; a missing one
    raises :class:`InvalidValue` naming the part's file reference.
    """
    cprs, cvrs = party_numbers(metadata.parties)
    variants = []
    for i, variant in enumerate(metadata.variants):
        parts = []
        for j, part in enumerate(variant.parts):
            blob = staged.get((i, j))
            if blob is None:
                raise InvalidValue(
                    "the bytes of this part did not arrive"
                    + (f" (no part named {part.file!r})" if part.file else ""),
                    field=field(("variants", i, "parts", j, "file")),
                )
            parts.append(blob.as_part(part.file_name, normalize_mime_type(part.mime_type)))
        variants.append(IncomingVariant(name=variant.name, parts=parts))
    document = metadata.document
    return IncomingDocument(
        sender_system=metadata.sender.system,
        message_id=metadata.sender.message_id,
        title=document.titel,
        letter_date=document.brev_dato,
        document_number=document.dokumentnummer,
        doc_type=document.type or "Brev, indgaaende",
        sensitivity=document.foelsomhed,
        channel=Channel(metadata.channel),
        cprs=cprs,
        cvrs=cvrs,
        case=_case_reference(metadata),
        caseworker=metadata.caseworker,
        subject_hint=metadata.subject,
        reply_to=metadata.reply_to,
        create_case=metadata.create_case,
        variants=variants,
    )

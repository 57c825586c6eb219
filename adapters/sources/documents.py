"""One sourced document into the core's intake, as any other delivery goes in.

The files are staged through the blob store by :class:`adapters.intake.staging.DeliveryStaging`
(size limits, hashing) and each one's leading bytes are checked against its declared
type by :func:`adapters.intake.sniff.check_declared_type`, exactly as for a document
delivered over HTTP. The sender system is the source's ``system_name`` and the message
id the source's own stable id, so the intake's ledger turns a document delivered again
into a repeat instead of a second document.

:func:`receive_sourced` is the whole of it; a bulk caller (a migration) may use
:func:`stage_files` and :func:`incoming_document` with its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from adapters.intake.limits import IntakeLimits
from adapters.intake.sniff import check_declared_type, normalize_mime_type
from adapters.intake.staging import DeliveryStaging
from core.errors import InvalidValue
from core.intake import CaseReference, IncomingDocument, IncomingVariant, Receipt, StagedPart
from core.models import Channel
from ports.integrations import SourcedDocument, SourcedFile

KnownCase = Callable[[str], bool]
"""Whether the hub has a case with this number."""

Receive = Callable[[IncomingDocument], Receipt]
"""The core's ``IntakeService.receive``."""

M = TypeVar("M", bound=BaseModel)


def stage_files(
    staging: DeliveryStaging, files: Sequence[SourcedFile], limits: IntakeLimits
) -> list[IncomingVariant]:
    """Stage every file and check its type; the variants in the order they first appear.

    Raises :class:`core.errors.InvalidValue` or :class:`core.errors.PayloadRejected`
    naming the file (``files[2].mime_type``); the caller's ``staging`` then still holds
    what was staged, for it to discard.
    """
    variants: dict[str, list[StagedPart]] = {}
    for position, file in enumerate(files):
        field = f"files[{position}]"
        blob = staging.stage([file.content], field=f"{field}.content")
        mime_type = normalize_mime_type(file.mime_type)
        check_declared_type(
            mime_type,
            blob.head,
            field=f"{field}.mime_type",
            allowed_unknown=limits.allowed_unknown_types,
        )
        part = _validated(
            StagedPart,
            prefix=field,
            name=file.name,
            mime_type=mime_type,
            size=blob.size,
            sha256=blob.sha256,
            staging_token=blob.token,
        )
        variants.setdefault(file.variant, []).append(part)
    return [
        _validated(IncomingVariant, prefix="files", name=name, parts=parts)
        for name, parts in variants.items()
    ]


def incoming_document(
    document: SourcedDocument,
    variants: list[IncomingVariant],
    *,
    sender_system: str,
    known_case: KnownCase,
) -> IncomingDocument:
    """The delivery the intake receives. A case number the hub does not know (a case
    deleted since it was exported, a number typed by hand) is no reason to refuse the
    document: it goes to the other rules (party, caseworker, common inbox) with the
    number as a hint for whoever places it."""
    case, hint = None, None
    if document.case_number is not None:
        if known_case(document.case_number):
            case = CaseReference(case_number=document.case_number)
        else:
            hint = f"{sender_system} named case {document.case_number}, which the hub does not have"
    return _validated(
        IncomingDocument,
        prefix="",
        sender_system=sender_system,
        message_id=document.message_id,
        title=document.title,
        letter_date=document.letter_date.date() if document.letter_date else None,
        doc_type=document.doc_type,
        channel=Channel.ESDH,
        cprs=document.cprs,
        case=case,
        caseworker=document.caseworker,
        subject_hint=hint,
        variants=variants,
    )


def receive_sourced(
    document: SourcedDocument,
    *,
    sender_system: str,
    receive: Receive,
    staging: DeliveryStaging,
    known_case: KnownCase,
) -> Receipt:
    """Stage the document's files, hand it to the intake, and answer with its receipt.

    Nothing stays staged whatever happens: what the intake committed is promoted, the
    rest is discarded when ``staging`` is left. Raises a :class:`core.errors.DomainError`
    when the document cannot be received (a file of the wrong type, a bad CPR number, a
    message id the intake already holds with other content).
    """
    with staging:
        variants = stage_files(staging, document.files, staging.limits)
        incoming = incoming_document(
            document, variants, sender_system=sender_system, known_case=known_case
        )
        return receive(incoming)


def _validated(model: type[M], *, prefix: str, **values: Any) -> M:
    """The model of the source's values; a value it refuses is an InvalidValue naming the
    field (``files[0].name``, ``cprs.0``)."""
    try:
        return model(**values)
    except ValidationError as exc:
        error = exc.errors()[0]
        location = ".".join(str(part) for part in error["loc"])
        field = ".".join(p for p in (prefix, location) if p) or "document"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise InvalidValue(message, field=field) from None

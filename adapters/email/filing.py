"""An e-mail a caseworker files on a case: one document, the message kept whole and read.

The document has two variants:

- ``original``: the file as it came (``.eml`` or ``.msg``), so nothing is lost;
- ``arkiv``: the text body (``besked.txt``), the HTML body (``besked.html``) when there
  is one, and every attachment, each a part of its own.

The idempotency key is the case and the message's Message-ID (or, without one, the
file's sha256): filing the same e-mail on the same case again answers with the first
receipt, and filing it on another case makes a document there too.
"""

from __future__ import annotations

import hashlib
from uuid import UUID

from adapters.email.messages import (
    EML_TYPE,
    MSG_TYPE,
    EmailLimits,
    ReadEmail,
    is_msg,
    read_eml,
    read_msg,
    safe_name,
)
from adapters.intake.limits import IntakeLimits
from adapters.intake.staging import DeliveryStaging
from core.intake import CaseReference, IncomingDocument, IncomingVariant, StagedPart
from core.models import Channel
from ports.blobs import BlobStore

SENDER_SYSTEM = "email"
NO_SUBJECT = "E-mail uden emne"


def read_email(data: bytes, limits: EmailLimits | None = None) -> tuple[ReadEmail, str]:
    """The e-mail and its file's mime type, ``.msg`` known by its leading bytes."""
    if is_msg(data):
        return read_msg(data, limits), MSG_TYPE
    return read_eml(data, limits), EML_TYPE


def _stage(staging: DeliveryStaging, content: bytes, name: str, mime: str) -> StagedPart:
    blob = staging.stage([content], field=name)
    return blob.as_part(name, mime)


def email_document(
    data: bytes,
    case_id: UUID,
    activity_id: UUID | None,
    staging: DeliveryStaging,
    limits: EmailLimits | None = None,
) -> IncomingDocument:
    """The document to file; its files are staged in ``staging`` (discarded with it on error)."""
    mail, file_type = read_email(data, limits)
    subject = mail.subject or NO_SUBJECT
    extension = ".msg" if file_type == MSG_TYPE else ".eml"
    original = _stage(staging, data, safe_name(subject, "e-mail")[:250] + extension, file_type)
    readable = []
    if mail.text:
        readable.append(_stage(staging, mail.text.encode(), "besked.txt", "text/plain"))
    if mail.html:
        readable.append(_stage(staging, mail.html.encode(), "besked.html", "text/html"))
    readable += [_stage(staging, a.content, a.name, a.mime_type) for a in mail.attachments]
    variants = [IncomingVariant(name="original", parts=[original])]
    if readable:
        variants.append(IncomingVariant(name="arkiv", parts=readable))
    key = mail.message_id or "sha256:" + hashlib.sha256(data).hexdigest()
    return IncomingDocument(
        sender_system=SENDER_SYSTEM,
        message_id=f"{case_id}:{key}"[:255],
        title=subject[:500],
        letter_date=mail.sent_at.date() if mail.sent_at else None,
        doc_type="E-mail",
        channel=Channel.EMAIL,
        case=CaseReference(case_id=case_id, activity_id=activity_id),
        subject_hint=subject,
        variants=variants,
    )


def staging_for(blobs: BlobStore, limits: EmailLimits) -> DeliveryStaging:
    """Staging whose document budget is the e-mail's: the original, its bodies and
    attachments together are at most three times the file."""
    return DeliveryStaging(
        blobs,
        IntakeLimits(max_part_bytes=limits.max_bytes, max_document_bytes=3 * limits.max_bytes),
    )

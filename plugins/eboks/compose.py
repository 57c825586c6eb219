"""From an outgoing letter on a case to the MeMo message that carries it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from core.models import PartyKind, utcnow
from plugins.eboks.letter_parts import LetterFile, letter_files
from plugins.eboks.memo import (
    MAX_MESSAGE_BYTES,
    KleData,
    MemoDocument,
    MemoFile,
    MemoMessage,
    RecipientType,
)
from ports.integrations import OpenPart, OutgoingLetter


def _document(file: LetterFile, language: str) -> MemoDocument:
    return MemoDocument(
        label=file.title,
        files=[
            MemoFile(
                filename=file.part.name,
                mime_type=file.part.mime_type,
                content=file.content,
                language=language,
            )
        ],
    )


def memo_message_for(
    letter: OutgoingLetter,
    open_part: OpenPart,
    *,
    case_system: str = "sagshub",
    kle_version: str = "KLE",
    kle_labels: Mapping[str, str] | None = None,
    language: str = "da",
    now: datetime | None = None,
    max_bytes: int = MAX_MESSAGE_BYTES,
) -> MemoMessage:
    """The message for ``letter``: from the municipality to the recipient, on the case.

    ``kle_labels`` names KLE subjects (``27.24.00`` → its text); without one the
    subject number is its own label.
    """
    snapshot = letter.case
    recipient = letter.recipient
    main, attachments = letter_files(letter, open_part, max_bytes=max_bytes)
    person = recipient.kind is PartyKind.PERSON
    case = snapshot.case
    return MemoMessage(
        message_uuid=letter.message_uuid,
        label=letter.title,
        notification=letter.notification,
        sender_cvr=snapshot.municipality.cvr,
        sender_label=snapshot.municipality.name,
        recipient_id=recipient.cpr if person else recipient.cvr,
        recipient_type=RecipientType.CPR if person else RecipientType.CVR,
        recipient_label=recipient.name or None,
        case_id=case.number,
        case_system=case_system,
        kle=KleData(
            subject_key=case.kle_subject,
            version=kle_version,
            label=(kle_labels or {}).get(case.kle_subject, case.kle_subject),
            activity_facet=case.handlingsfacet,
        ),
        created_at=now or utcnow(),
        main=_document(main, language),
        attachments=[_document(a, language) for a in attachments],
    )

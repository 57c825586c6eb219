"""Outgoing letters (forsendelser) and their status history.

A letter is recorded, with its message uuid, in the transaction that queues it; the
uuid is generated once and every send of the letter, retries included, carries it,
so the receiving service can drop a repeat. Each change of status, each failed
attempt and each receipt is a :class:`LetterEvent`: the status history a caseworker
sees on the case.
"""

from __future__ import annotations

import re
from enum import StrEnum
from urllib.parse import quote, urlencode
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

from core.models import Entity, utcnow
from core.values import UtcDateTime
from ports.integrations import LetterStatus

MAX_TITLE = 256
"""A MeMo label's limit, which every channel's title fits."""
MAX_NOTIFICATION = 150


class LetterChoice(StrEnum):
    """The channel a caseworker asked for."""

    AUTO = "auto"
    """Digital Post when the recipient is registered for it, else remote print."""
    DIGITAL_POST = "digital_post"
    REMOTE_PRINT = "remote_print"
    LOCAL_PRINT = "local_print"
    EMAIL = "email"
    """The caseworker's own mail client, from a ``mailto:`` link."""


class Letter(Entity):
    """A document sent from a case to a party."""

    case_id: UUID
    recipient_id: UUID = Field(description="the party the letter goes to")
    document_id: UUID = Field(description="the main document, on the case")
    main_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="the file that is sent")
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    notification: str | None = Field(default=None, max_length=MAX_NOTIFICATION)
    requested: LetterChoice = LetterChoice.AUTO
    channel: str | None = Field(
        default=None, description="the letter channel (adapter) chosen; kept for every retry"
    )
    message_uuid: UUID = Field(default_factory=uuid4, description="generated once, never changed")
    status: LetterStatus = LetterStatus.QUEUED
    error_code: str | None = Field(default=None, max_length=100)
    error_text: str | None = Field(default=None, max_length=2000)
    created_by: str = Field(min_length=1, max_length=200)
    created_at: UtcDateTime = Field(default_factory=utcnow)
    updated_at: UtcDateTime = Field(default_factory=utcnow)


class LetterEventSource(StrEnum):
    HUB = "hub"
    """the hub recorded or queued it"""
    CHANNEL = "channel"
    """the answer of the channel that sent it (or failed to)"""
    RECEIPT = "receipt"
    """a receipt the channel's service sent back later"""


class LetterEvent(BaseModel):
    """One entry of a letter's status history."""

    model_config = ConfigDict(extra="forbid")

    id: UUID = Field(default_factory=uuid4)
    letter_id: UUID
    status: LetterStatus = Field(description="the letter's status after this event")
    source: LetterEventSource
    detail: str = Field(default="", max_length=2000)
    channel: str | None = None
    at: UtcDateTime = Field(default_factory=utcnow, description="when the hub recorded it")
    receipt_id: str | None = Field(
        default=None, max_length=200, description="a receipt's own id; unique per municipality"
    )
    status_code: str | None = Field(default=None, max_length=100)
    occurred_at: UtcDateTime | None = Field(
        default=None, description="when the receipt says it happened"
    )
    error_code: str | None = Field(default=None, max_length=100)
    error_text: str | None = Field(default=None, max_length=2000)


_CASE_TAG = re.compile(r"\[\s*sag\s+(\d{2}\.\d{2}\.\d{2}-[A-Z]\d{2}-\d{1,6}-\d{2})\s*\]", re.I)


def case_tag(case_number: str) -> str:
    """The tag an e-mail's subject carries to name its case: ``[sag 27.24.00-G01-5-24]``."""
    return f"[sag {case_number}]"


def case_numbers_tagged(subject: str) -> list[str]:
    """The case numbers tagged in a subject, in order, each once."""
    return list(dict.fromkeys(m.group(1).upper() for m in _CASE_TAG.finditer(subject)))


def mailto_link(to: str | None, subject: str, body: str | None = None) -> str:
    """A ``mailto:`` URI (RFC 6068): the address, and the subject and body percent-encoded."""
    address = quote(to or "", safe="@.+-_~!$'*")
    query = {"subject": subject} | ({"body": body} if body else {})
    return f"mailto:{address}?{urlencode(query, quote_via=quote)}"

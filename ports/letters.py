"""What the letter plugins need from the hub beyond :class:`ports.integrations.LetterChannel`.

- :class:`ChannelUnavailable`: a channel could not answer because of a technical
  failure; the caller retries later (with the same message uuid), never guesses.
- :class:`LetterCaseLookup`: which case a letter went out on, by its message uuid
  (used to place a citizen's reply on the letter's case).
- :class:`ReceiptStore`: the receipts already applied to a letter, so a repeated or
  late receipt changes nothing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol, runtime_checkable
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from core.values import UtcDateTime
from ports.integrations import LetterStatus


class ChannelUnavailable(Exception):
    """A channel's answer is unknown because of a technical failure (network, token, 5xx).

    Raised by :meth:`LetterChannel.accepts`; the letter stays queued and is tried again.
    """


@runtime_checkable
class LetterCaseLookup(Protocol):
    """Which case a letter went out on.

    The hub's placement lookup implements it next to
    :class:`core.rules.PlacementLookup`, scoped to the municipality, so a rule
    contributed by a plugin can correlate a reply with the letter it answers.
    """

    def case_for_letter_message(self, message_uuid: UUID) -> UUID | None:
        """The case id of the letter sent with ``message_uuid``; None when unknown."""
        ...


class ReceiptStatus(StrEnum):
    """What a receipt says about a letter."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"

    @property
    def letter_status(self) -> LetterStatus:
        return {
            ReceiptStatus.PENDING: LetterStatus.SENT,
            ReceiptStatus.DELIVERED: LetterStatus.DELIVERED,
            ReceiptStatus.FAILED: LetterStatus.FAILED,
        }[self]

    @property
    def is_final(self) -> bool:
        return self is not ReceiptStatus.PENDING


class Receipt(BaseModel):
    """One status report about one letter, as a channel's receipt service sent it."""

    model_config = ConfigDict(frozen=True)

    receipt_id: str = Field(min_length=1, description="the delivery's own id (e.g. BeskedId)")
    message_uuid: UUID = Field(description="the letter's message uuid")
    status: ReceiptStatus
    status_code: str = Field(description="the service's own status text, kept as received")
    occurred_at: UtcDateTime
    channel: str = ""
    transmission_id: str | None = None
    error_code: str | None = None
    error_text: str | None = None


class ReceiptStore(Protocol):
    """The receipts applied to letters (the letter's status history)."""

    def latest_receipt(self, message_uuid: UUID) -> Receipt | None:
        """The last receipt applied to the letter with ``message_uuid``; None when none."""
        ...

    def has_receipt(self, receipt_id: str) -> bool:
        """Whether a receipt with this delivery id was already applied."""
        ...

    def apply_receipt(self, receipt: Receipt) -> bool:
        """Record the receipt and move the letter to ``receipt.status.letter_status``.

        :return: False when no letter has ``receipt.message_uuid`` (nothing recorded).
        """
        ...

"""Receipts back onto letters: the hub's :class:`ports.letters.ReceiptStore`.

A channel's receipt service (Digital Post's Beskedfordeler) reports what became of a
letter; each receipt applied is an entry of the letter's status history, so the
caseworker sees it on the case. A receipt is applied once: its id is unique, and a
repeat (even a concurrent one) changes nothing.
"""

from __future__ import annotations

from uuid import UUID

from core.letters import LetterEvent, LetterEventSource
from core.models import utcnow
from core.services.records import audit
from core.services.transaction import TransactionalService
from ports.integrations import LetterStatus
from ports.letters import Receipt, ReceiptStatus
from ports.persistence import UnitOfWork

RECEIPT_ACTOR = "hub:receipts"
_RECEIPT_STATUS = {status.letter_status: status for status in ReceiptStatus}


def receipt_of(event: LetterEvent, message_uuid: UUID) -> Receipt:
    """The receipt a history entry recorded."""
    return Receipt(
        receipt_id=event.receipt_id or "",
        message_uuid=message_uuid,
        status=_RECEIPT_STATUS[event.status],
        status_code=event.status_code or "",
        occurred_at=event.occurred_at or event.at,
        channel=event.channel or "",
        error_code=event.error_code,
        error_text=event.error_text,
    )


class LetterReceipts(TransactionalService):
    """Applies receipts to the municipality's letters (a ``ReceiptStore``)."""

    def latest_receipt(self, message_uuid: UUID) -> Receipt | None:
        def work(uow: UnitOfWork) -> Receipt | None:
            letter = uow.letters.get_by_message_uuid(message_uuid)
            if letter is None:
                return None
            receipts = [
                e for e in uow.letters.events(letter.id) if e.source is LetterEventSource.RECEIPT
            ]
            return receipt_of(receipts[-1], message_uuid) if receipts else None

        return self._run(work)

    def has_receipt(self, receipt_id: str) -> bool:
        return self._run(lambda uow: uow.letters.event_for_receipt(receipt_id) is not None)

    def apply_receipt(self, receipt: Receipt) -> bool:
        """Record the receipt and move the letter to its status; False for an unknown letter."""

        def work(uow: UnitOfWork) -> bool:
            letter = uow.letters.get_by_message_uuid(receipt.message_uuid)
            if letter is None:
                return False
            if uow.letters.event_for_receipt(receipt.receipt_id) is not None:
                return True
            status: LetterStatus = receipt.status.letter_status
            letter.status = status
            letter.error_code = receipt.error_code
            letter.error_text = receipt.error_text
            letter.updated_at = utcnow()
            uow.letters.update(letter)
            uow.letters.add_event(
                LetterEvent(
                    letter_id=letter.id,
                    status=status,
                    source=LetterEventSource.RECEIPT,
                    detail=f"receipt: {receipt.status_code}"
                    + (f" ({receipt.channel})" if receipt.channel else ""),
                    channel=receipt.channel or None,
                    receipt_id=receipt.receipt_id,
                    status_code=receipt.status_code,
                    occurred_at=receipt.occurred_at,
                    error_code=receipt.error_code,
                    error_text=receipt.error_text,
                )
            )
            audit(uow, RECEIPT_ACTOR, "receipt", "case", letter.case_id)
            return True

        return self._run(work)

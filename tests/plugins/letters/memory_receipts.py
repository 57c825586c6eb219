"""An in-memory :class:`ports.letters.ReceiptStore` for the receipt tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from ports.integrations import LetterStatus
from ports.letters import Receipt


@dataclass
class MemoryReceiptStore:
    """Letters by message uuid with their status and the receipts applied to them."""

    letters: dict[UUID, LetterStatus] = field(default_factory=dict)
    applied: list[Receipt] = field(default_factory=list)
    broken: bool = False

    def latest_receipt(self, message_uuid: UUID) -> Receipt | None:
        return next((r for r in reversed(self.applied) if r.message_uuid == message_uuid), None)

    def has_receipt(self, receipt_id: str) -> bool:
        return any(r.receipt_id == receipt_id for r in self.applied)

    def apply_receipt(self, receipt: Receipt) -> bool:
        if self.broken:
            raise RuntimeError("database down")
        if receipt.message_uuid not in self.letters:
            return False
        self.applied.append(receipt)
        self.letters[receipt.message_uuid] = receipt.status.letter_status
        return True

"""The SQL repository of outgoing letters and their history (a ``LetterRepository``)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func
from sqlmodel import col, select

from adapters.sql.letter_tables import LetterEventRow, LetterRow
from adapters.sql.mapping import from_row, to_row
from adapters.sql.scoping import TenantRepository, model_or_none
from core.errors import NotAllowed
from core.letters import Letter, LetterEvent


class SqlLetterRepository(TenantRepository):
    def add(self, letter: Letter) -> None:
        self._add(LetterRow, letter)

    def update(self, letter: Letter) -> None:
        row = self._get_existing(LetterRow, self._own(letter).id)
        for name in ("status", "channel", "error_code", "error_text", "updated_at"):
            value = getattr(letter, name)
            setattr(row, name, getattr(value, "value", value))
        self._session.add(row)

    def get(self, letter_id: UUID) -> Letter | None:
        return model_or_none(Letter, self._get(LetterRow, letter_id))

    def get_by_message_uuid(self, message_uuid: UUID) -> Letter | None:
        row = self._first(self._select(LetterRow, LetterRow.message_uuid == message_uuid))
        return model_or_none(Letter, row)

    def list_for_case(self, case_id: UUID) -> list[Letter]:
        statement = self._select(LetterRow, LetterRow.case_id == case_id).order_by(
            col(LetterRow.created_at), col(LetterRow.id)
        )
        return self._models(Letter, statement)

    def add_event(self, event: LetterEvent) -> None:
        self._session.flush()  # a letter added in this unit of work is then found
        if self._get(LetterRow, event.letter_id) is None:
            raise NotAllowed("no letter of this municipality has this id", field="letter_id")
        last = select(func.max(LetterEventRow.seq)).where(
            LetterEventRow.letter_id == event.letter_id
        )
        seq = (self._session.exec(last).one() or 0) + 1
        self._session.add(
            to_row(LetterEventRow, event, municipality_id=self._municipality_id, seq=seq)
        )

    def events(self, letter_id: UUID) -> list[LetterEvent]:
        statement = self._select(LetterEventRow, LetterEventRow.letter_id == letter_id).order_by(
            col(LetterEventRow.seq)
        )
        return [from_row(LetterEvent, row) for row in self._rows(statement)]

    def event_for_receipt(self, receipt_id: str) -> LetterEvent | None:
        row = self._first(self._select(LetterEventRow, LetterEventRow.receipt_id == receipt_id))
        return model_or_none(LetterEvent, row)

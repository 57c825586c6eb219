"""The in-memory letter repository (see :mod:`tests.fakes.memory`)."""

from __future__ import annotations

from uuid import UUID

from core.errors import NotAllowed
from core.letters import Letter, LetterEvent
from tests.fakes.memory_repositories import _by_time, _Repository


class LetterTable(_Repository):
    table = "letters"
    events_table = "letter_events"

    def add(self, letter: Letter) -> None:
        self._ws.insert(self.table, letter.id, letter)

    def update(self, letter: Letter) -> None:
        self._ws.replace(self.table, letter.id, letter, "letter_id")

    def get(self, letter_id: UUID) -> Letter | None:
        return self._ws.get(self.table, letter_id)

    def get_by_message_uuid(self, message_uuid: UUID) -> Letter | None:
        return self._first(lambda letter: letter.message_uuid == message_uuid)

    def list_for_case(self, case_id: UUID) -> list[Letter]:
        return self._select(lambda letter: letter.case_id == case_id, _by_time("created_at"))

    def add_event(self, event: LetterEvent) -> None:
        if self.get(event.letter_id) is None:
            raise NotAllowed("no letter of this municipality has this id", field="letter_id")
        seq = len(self.events(event.letter_id)) + 1
        self._ws.insert(self.events_table, (event.letter_id, seq), event)

    def events(self, letter_id: UUID) -> list[LetterEvent]:
        keyed = [
            (key[1], row)
            for key, row in self._ws.keyed_rows(self.events_table)
            if row.letter_id == letter_id
        ]
        return [row.model_copy(deep=True) for _, row in sorted(keyed, key=lambda k: k[0])]

    def event_for_receipt(self, receipt_id: str) -> LetterEvent | None:
        found = [row for row in self._ws.rows(self.events_table) if row.receipt_id == receipt_id]
        return found[0].model_copy(deep=True) if found else None

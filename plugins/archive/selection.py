"""Which cases go into an extract: the ``--select`` mini-language.

=============================  ============================================
``closed``                     every closed case
``closed-before:2024-01-01``   closed cases closed before that day (UTC)
``case:<uuid>,<uuid>``         exactly these cases
``number:27.24.00-G01-5-24,…`` exactly the cases with these numbers
=============================  ============================================

The two ``closed`` forms page through the case list (``uow.cases.list``), so memory
does not grow with the number of cases looked at; the explicit forms look each
case up and name any that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from core.errors import InvalidValue, NotFound
from core.models import Case, CaseStatus
from core.values import parse_case_number
from ports.persistence import UnitOfWorkFactory

PAGE_SIZE = 200
SYNTAX = "closed, closed-before:YYYY-MM-DD, case:<uuid>,<uuid>… or number:<case number>,…"


class SelectorKind(StrEnum):
    CLOSED = "closed"
    CLOSED_BEFORE = "closed-before"
    CASE = "case"
    NUMBER = "number"


class Selector(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: SelectorKind
    before: datetime | None = None
    values: tuple[str, ...] = ()

    def matches(self, case: Case) -> bool:
        """Whether a listed case is selected (for the paging forms)."""
        if case.status is not CaseStatus.CLOSED:
            return False
        if self.before is None:
            return True
        return case.closed_at is not None and case.closed_at < self.before


def _values(text: str) -> tuple[str, ...]:
    values = tuple(v.strip() for v in text.split(",") if v.strip())
    if not values:
        raise InvalidValue(f"the selection lists nothing; use {SYNTAX}", field="select")
    return values


def parse_selector(text: str) -> Selector:
    """Parse ``--select``; raises :class:`InvalidValue` naming the field ``select``."""
    kind, _, argument = text.strip().partition(":")
    try:
        selected = SelectorKind(kind.strip())
    except ValueError:
        raise InvalidValue(f"unknown selection {kind!r}; use {SYNTAX}", field="select") from None
    if selected is SelectorKind.CLOSED:
        return Selector(kind=selected)
    if selected is SelectorKind.CLOSED_BEFORE:
        try:
            day = date.fromisoformat(argument.strip())
        except ValueError:
            raise InvalidValue(
                "closed-before needs a date, e.g. closed-before:2024-01-01", field="select"
            ) from None
        return Selector(kind=selected, before=datetime.combine(day, time(), tzinfo=UTC))
    values = _values(argument)
    if selected is SelectorKind.CASE:
        for value in values:
            try:
                UUID(value)
            except ValueError:
                raise InvalidValue(f"{value!r} is not a case id (UUID)", field="select") from None
    else:
        try:
            values = tuple(parse_case_number(v) for v in values)
        except InvalidValue as exc:
            raise InvalidValue(exc.message, field="select") from None
    return Selector(kind=selected, values=values)


def select_cases(
    selector: Selector, uow_factory: UnitOfWorkFactory, municipality_id: UUID
) -> Iterator[UUID]:
    """The ids of the selected cases, each once, in a stable order."""
    if selector.kind in (SelectorKind.CLOSED, SelectorKind.CLOSED_BEFORE):
        yield from _page_through(selector, uow_factory, municipality_id)
        return
    seen: set[UUID] = set()
    with uow_factory(municipality_id) as uow:
        for value in selector.values:
            if selector.kind is SelectorKind.CASE:
                case = uow.cases.get(UUID(value))
            else:
                case = uow.cases.get_by_number(value)
            if case is None:
                raise NotFound(f"no case {value} in this municipality", field="select")
            if case.id not in seen:
                seen.add(case.id)
                yield case.id


def _page_through(
    selector: Selector, uow_factory: UnitOfWorkFactory, municipality_id: UUID
) -> Iterator[UUID]:
    offset = 0
    while True:
        with uow_factory(municipality_id) as uow:
            page = uow.cases.list(offset=offset, limit=PAGE_SIZE)
        for case in page.items:
            if selector.matches(case):
                yield case.id
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return

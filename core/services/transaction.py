"""Running a use case in one unit of work, again when a concurrent commit took a key first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from core.errors import Conflict
from ports.persistence import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")

ATTEMPTS = 3
"""How often a use case runs before a commit conflict reaches the caller.

A conflict at commit means another transaction took a unique key between our
read and our write (the next case number, the intake key, a new party's CPR).
Running the use case again reads the new state: the next number, or the ledger
entry that turns a repeated delivery into a duplicate.
"""


def transact(
    uow_factory: UnitOfWorkFactory,
    municipality_id: UUID,
    work: Callable[[UnitOfWork], T],
    *,
    attempts: int = ATTEMPTS,
) -> T:
    """Run ``work`` in a fresh unit of work and commit; rerun it when the commit conflicts."""
    conflict: Conflict | None = None
    for _ in range(attempts):
        with uow_factory(municipality_id) as uow:
            result = work(uow)
            try:
                uow.commit()
            except Conflict as error:
                conflict = error
                continue
            return result
    assert conflict is not None, "attempts must be at least 1"
    raise conflict


class TransactionalService:
    """Base of the use-case classes: one hub process serves one municipality."""

    def __init__(self, uow_factory: UnitOfWorkFactory, municipality_id: UUID) -> None:
        self._uow_factory = uow_factory
        self._municipality_id = municipality_id

    def _run(self, work: Callable[[UnitOfWork], T]) -> T:
        """Run ``work`` in its own committed unit of work (see :func:`transact`)."""
        return transact(self._uow_factory, self._municipality_id, work)

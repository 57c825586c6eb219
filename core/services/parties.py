"""Finding parties by CPR or CVR number, and making the ones the municipality does not know."""

from __future__ import annotations

from collections.abc import Iterable

from core.models import Party, PartyKind
from ports.persistence import UnitOfWork


def find_or_new(
    uow: UnitOfWork, *, cprs: Iterable[str] = (), cvrs: Iterable[str] = ()
) -> tuple[list[Party], list[Party]]:
    """The parties with these numbers (each once, in order), and which of them are new.

    The new ones are not added yet: the caller adds them once all its checks passed.
    """
    wanted = [(PartyKind.PERSON, "cpr", uow.parties.get_by_cpr, n) for n in dict.fromkeys(cprs)]
    wanted += [(PartyKind.COMPANY, "cvr", uow.parties.get_by_cvr, n) for n in dict.fromkeys(cvrs)]
    found: list[Party] = []
    new: list[Party] = []
    for kind, field, find, number in wanted:
        party = find(number)
        if party is None:
            party = Party(municipality_id=uow.municipality_id, kind=kind, **{field: number})
            new.append(party)
        found.append(party)
    return found, new

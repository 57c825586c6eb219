"""Locked copies for other systems (OIO Sag UD / Dokument UD): every read is audited.

A case is read as it was registered at a moment (from the versions
:class:`core.services.changes.ChangeRecorder` keeps); a party's cases are found by its
OIO URN; the change feed tells a reader which cases changed after its cursor. A case
as it stands now and a document are read through :class:`core.services.cases.CaseService`.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from core.errors import InvalidValue, NotFound
from core.services.loading import require_case
from core.services.records import audit
from core.services.snapshots import case_snapshot
from core.services.transaction import TransactionalService
from core.values import parse_cpr, parse_cvr
from ports.history import ChangePage
from ports.persistence import UnitOfWork
from ports.snapshots import CaseSnapshot

CPR_URN = "urn:oio:cpr-nr:"
CVR_URN = "urn:oio:cvr-nr:"
MAX_PAGE = 1000


class CopyService(TransactionalService):
    def case_as_of(self, case_id: UUID, registered_at: datetime, actor: str) -> CaseSnapshot:
        """The case's version registered last at or before ``registered_at``.

        (The case as it stands now is :meth:`core.services.cases.CaseService.snapshot`.)
        """
        if registered_at.tzinfo is None:
            raise InvalidValue("give the moment with its time zone", field="registreringstid")

        def work(uow: UnitOfWork) -> CaseSnapshot:
            case = require_case(uow, case_id)
            copy = uow.history.as_of(case_id, registered_at)
            if copy is None:
                raise NotFound(
                    f"case {case.number} was not yet registered at {registered_at.isoformat()}",
                    field="registreringstid",
                )
            audit(uow, actor, "read", "case", case.id)
            return copy

        return self._run(work)

    def party_cases(self, party: str, actor: str) -> list[CaseSnapshot]:
        """Every case the party (``urn:oio:cpr-nr:…`` or ``urn:oio:cvr-nr:…``) is on."""
        if party.startswith(CPR_URN):
            cpr, cvr = parse_cpr(party.removeprefix(CPR_URN)), None
        elif party.startswith(CVR_URN):
            cpr, cvr = None, parse_cvr(party.removeprefix(CVR_URN))
        else:
            raise InvalidValue(
                "a party is urn:oio:cpr-nr:<10 digits> or urn:oio:cvr-nr:<8 digits>", field="part"
            )

        def work(uow: UnitOfWork) -> list[CaseSnapshot]:
            found = uow.parties.get_by_cpr(cpr) if cpr else uow.parties.get_by_cvr(cvr)
            cases = uow.cases.cases_for_party(found.id) if found is not None else []
            for case in cases:
                audit(uow, actor, "read", "case", case.id)
            return [case_snapshot(uow, case) for case in cases]

        return self._run(work)

    def changes(self, after: int, limit: int, actor: str) -> ChangePage:
        """The feed after cursor ``after`` (0 = from the start), at most ``limit`` entries."""
        if after < 0:
            raise InvalidValue("a cursor is 0 or a cursor the feed handed out", field="efter")
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidValue(f"a page holds 1 to {MAX_PAGE} changes", field="limit")

        def work(uow: UnitOfWork) -> ChangePage:
            audit(uow, actor, "read", "case_feed", None)
            return uow.history.changes_after(after, limit)

        return self._run(work)

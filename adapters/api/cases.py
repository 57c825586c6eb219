"""Cases for caseworkers and client systems: search, create, add activities and notes.

Searching needs ``cases:read``, changes ``cases:write``. A case itself is read at
``GET /api/cases/{case_id}`` (:mod:`adapters.api.json_routes`). Everything goes through
:class:`core.services.cases.CaseService`, which writes it to the audit log.
"""

from __future__ import annotations

from typing import ClassVar
from uuid import UUID

from litestar import Controller, post
from litestar.params import FromPath, JSONBody

from adapters.api.auth import require_scope
from adapters.api.dependencies import CallerDep, CasesDep
from adapters.api.schemas import (
    ActivityOut,
    CaseOut,
    CaseSearch,
    JournalNoteOut,
    NewActivityIn,
    NewCaseIn,
    NewJournalNoteIn,
)
from core.services.cases import NewCase
from ports.clients import Scope

READ = {"caller": require_scope(Scope.CASES_READ)}
WRITE = {"caller": require_scope(Scope.CASES_WRITE)}


class CaseController(Controller):
    path = "/cases"
    """Under ``/api``: mounted in the JSON router, which also serves ``GET /api/cases``."""
    tags: ClassVar[list[str]] = ["cases"]

    @post(
        "/search",
        operation_id="searchCases",
        summary="Find cases by a party's CPR number and/or the case number",
        dependencies=READ,
        status_code=200,
        sync_to_thread=True,
    )
    def search(
        self, caller: CallerDep, cases: CasesDep, data: JSONBody[CaseSearch]
    ) -> list[CaseOut]:
        found = cases.search(caller.name, cpr=data.cpr, number=data.number)
        return [CaseOut.of(case) for case in found]

    @post(
        "/",
        operation_id="createCase",
        summary="Open a case; its number is given by the hub",
        dependencies=WRITE,
        sync_to_thread=True,
    )
    def create_case(self, caller: CallerDep, cases: CasesDep, data: JSONBody[NewCaseIn]) -> CaseOut:
        return CaseOut.of(cases.create_case(NewCase(**data.model_dump()), caller.name))

    @post(
        "/{case_id:uuid}/activities",
        operation_id="addActivity",
        summary="Add an activity (a step: a meeting, an assessment, a decision) to a case",
        dependencies=WRITE,
        sync_to_thread=True,
    )
    def add_activity(
        self,
        caller: CallerDep,
        cases: CasesDep,
        case_id: FromPath[UUID],
        data: JSONBody[NewActivityIn],
    ) -> ActivityOut:
        activity = cases.add_activity(case_id, data.title, data.kind, caller.name)
        return ActivityOut.model_validate(activity)

    @post(
        "/{case_id:uuid}/journal-notes",
        operation_id="addJournalNote",
        summary="Write a journal note on a case (by a caseworker's token: signed by them)",
        dependencies=WRITE,
        sync_to_thread=True,
    )
    def add_journal_note(
        self,
        caller: CallerDep,
        cases: CasesDep,
        case_id: FromPath[UUID],
        data: JSONBody[NewJournalNoteIn],
    ) -> JournalNoteOut:
        note = cases.add_journal_note(
            case_id,
            data.title,
            data.text,
            caller.name,
            author_id=caller.caseworker_id,
            activity_id=data.activity_id,
        )
        return JournalNoteOut.model_validate(note)

"""The in-memory repositories: queries over a :class:`Workspace` (see :mod:`tests.fakes.memory`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any
from uuid import UUID

from core.errors import NotFound
from core.models import (
    Activity,
    AuditEntry,
    Case,
    CaseStatus,
    Caseworker,
    Document,
    DocumentLink,
    InboxItem,
    JournalNote,
    Municipality,
    Notice,
    Party,
    PartyKind,
    Placement,
)
from ports.persistence import InboxFilter, IntakeRecord, Page
from tests.fakes.memory_store import Workspace


def _copies(rows: Iterable[Any], order: Callable[[Any], Any]) -> list[Any]:
    return [row.model_copy(deep=True) for row in sorted(rows, key=order)]


def _page(rows: list[Any], offset: int, limit: int) -> Page:
    return Page(items=rows[offset : offset + limit], total=len(rows), offset=offset, limit=limit)


def _by_time(attr: str) -> Callable[[Any], Any]:
    return lambda row: (getattr(row, attr), str(row.id))


class _Repository:
    table: str

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    def _select(self, where: Callable[[Any], bool], order: Callable[[Any], Any]) -> list[Any]:
        return _copies(filter(where, self._ws.rows(self.table)), order)

    def _first(self, where: Callable[[Any], bool]) -> Any | None:
        found = self._select(where, lambda row: str(row.id))
        return found[0] if found else None


class MunicipalityTable(_Repository):
    table = "municipalities"

    def add(self, municipality: Municipality) -> None:
        self._ws.insert(self.table, municipality.id, municipality)

    def get(self, municipality_id: UUID) -> Municipality | None:
        return self._ws.get(self.table, municipality_id)

    def get_by_cvr(self, cvr: str) -> Municipality | None:
        return self._first(lambda m: m.cvr == cvr)


class CaseTable(_Repository):
    table = "cases"
    _CHANGEABLE = ("status", "title", "caseworker_id", "parties", "updated_at", "closed_at")

    def add(self, case: Case) -> None:
        self._ws.insert(self.table, case.id, case)

    def update(self, case: Case) -> None:
        """Only the changeable fields are stored; number, KLE and creation stay as they were."""
        stored = self._ws.get(self.table, case.id)
        if stored is None:
            raise NotFound(f"no case with id {case.id}", field="case_id")
        changes = {name: getattr(case, name) for name in self._CHANGEABLE}
        self._ws.replace(self.table, case.id, stored.model_copy(update=changes), "case_id")

    def get(self, case_id: UUID) -> Case | None:
        return self._ws.get(self.table, case_id)

    def get_many(self, case_ids: Sequence[UUID]) -> list[Case]:
        return [case for case in map(self.get, case_ids) if case is not None]

    def get_by_number(self, number: str) -> Case | None:
        return self._first(lambda c: c.number == number)

    def get_many_by_number(self, numbers: Sequence[str]) -> list[Case]:
        return [case for case in map(self.get_by_number, numbers) if case is not None]

    def open_cases_for_parties(self, party_ids: Sequence[UUID]) -> dict[UUID, list[Case]]:
        return {party_id: self.open_cases_for_party(party_id) for party_id in party_ids}

    def open_cases_for_party(self, party_id: UUID) -> list[Case]:
        return self._select(
            lambda c: c.status is CaseStatus.OPEN and c.primary_party_id == party_id,
            _by_time("created_at"),
        )

    def cases_for_party(self, party_id: UUID) -> list[Case]:
        """Every case the party is on, in any role, oldest first."""
        return self._select(
            lambda c: any(p.party_id == party_id for p in c.parties), _by_time("created_at")
        )

    def list(self, *, offset: int = 0, limit: int = 50) -> Page[Case]:
        return _page(self._select(lambda c: True, _by_time("created_at")), offset, limit)

    def next_sequence(self, kle_subject: str, handlingsfacet: str, year: int) -> int:
        prefix, suffix = f"{kle_subject}-{handlingsfacet}-", f"-{year % 100:02d}"
        taken = [
            int(c.number[len(prefix) : -len(suffix)])
            for c in self._ws.rows(self.table)
            if c.number.startswith(prefix) and c.number.endswith(suffix)
        ]
        return max(taken, default=0) + 1


class ActivityTable(_Repository):
    table = "activities"

    def add(self, activity: Activity) -> None:
        self._ws.insert(self.table, activity.id, activity)

    def get(self, activity_id: UUID) -> Activity | None:
        return self._ws.get(self.table, activity_id)

    def list_for_case(self, case_id: UUID) -> list[Activity]:
        return self._select(lambda a: a.case_id == case_id, _by_time("created_at"))


class PartyTable(_Repository):
    table = "parties"

    def add(self, party: Party) -> None:
        self._ws.insert(self.table, party.id, party)

    def get(self, party_id: UUID) -> Party | None:
        return self._ws.get(self.table, party_id)

    def get_by_cpr(self, cpr: str) -> Party | None:
        return self._first(lambda p: p.cpr == cpr)

    def get_many_by_cpr(self, cprs: Sequence[str]) -> list[Party]:
        return [party for party in map(self.get_by_cpr, cprs) if party is not None]

    def get_by_cvr(self, cvr: str) -> Party | None:
        return self._first(lambda p: p.cvr == cvr)

    def get_many(self, party_ids: Sequence[UUID]) -> list[Party]:
        """The parties found, in the order asked, unknown ids left out."""
        found = (self._ws.get(self.table, party_id) for party_id in dict.fromkeys(party_ids))
        return [party for party in found if party is not None]


class CaseworkerTable(_Repository):
    table = "caseworkers"

    def add(self, caseworker: Caseworker) -> None:
        self._ws.insert(self.table, caseworker.id, caseworker)

    def get(self, caseworker_id: UUID) -> Caseworker | None:
        return self._ws.get(self.table, caseworker_id)

    def get_by_username(self, username: str) -> Caseworker | None:
        return self._first(lambda w: w.username == username)

    def list(self) -> list[Caseworker]:
        return self._select(lambda w: True, attrgetter("username"))


class DocumentTable(_Repository):
    table = "documents"

    def add(self, document: Document) -> None:
        self._ws.insert(self.table, document.id, document)

    def get(self, document_id: UUID) -> Document | None:
        return self._ws.get(self.table, document_id)

    def link(self, link: DocumentLink) -> None:
        """Linking twice the same way is a no-op; every end must exist in this municipality."""
        if self.get(link.document_id) is None:
            raise NotFound(f"no document with id {link.document_id}", field="document_id")
        if self._ws.get("cases", link.case_id) is None:
            raise NotFound(f"no case with id {link.case_id}", field="case_id")
        if link.activity_id is not None:
            activity = self._ws.get("activities", link.activity_id)
            if activity is None or activity.case_id != link.case_id:
                raise NotFound(f"no activity {link.activity_id} on that case", field="activity_id")
        natural = (link.document_id, link.case_id, link.activity_id)
        if self._ws.get("links", natural) is None:
            self._ws.insert("links", natural, link)

    def links_for_case(self, case_id: UUID) -> list[DocumentLink]:
        return self._links(lambda link: link.case_id == case_id)

    def links_for_document(self, document_id: UUID) -> list[DocumentLink]:
        return self._links(lambda link: link.document_id == document_id)

    def _links(self, where: Callable[[DocumentLink], bool]) -> list[DocumentLink]:
        return _copies(filter(where, self._ws.rows("links")), attrgetter("linked_at"))


class PlacementTable(_Repository):
    table = "placements"

    def add(self, placement: Placement) -> None:
        self._ws.insert(self.table, placement.id, placement)

    def list_for_document(self, document_id: UUID) -> list[Placement]:
        return self._select(lambda p: p.document_id == document_id, _by_time("placed_at"))

    def list_for_case(self, case_id: UUID) -> list[Placement]:
        return self._select(lambda p: p.case_id == case_id, _by_time("placed_at"))


class InboxTable(_Repository):
    table = "inbox"

    def add(self, item: InboxItem) -> None:
        self._ws.insert(self.table, item.id, item)

    def update(self, item: InboxItem) -> None:
        self._ws.replace(self.table, item.id, item, "item_id")

    def get(self, item_id: UUID) -> InboxItem | None:
        return self._ws.get(self.table, item_id)

    def get_for_document(self, document_id: UUID) -> InboxItem | None:
        found = self._select(lambda i: i.document_id == document_id, _by_time("created_at"))
        return found[-1] if found else None

    def list(self, query: InboxFilter) -> Page[InboxItem]:
        """As the port says: owner, status, the document's channel and parties, the item's
        created_at in [received_from, received_to); newest first."""
        documents = {d.id: d for d in self._ws.rows("documents")}
        persons = {p.id for p in self._ws.rows("parties") if p.kind is PartyKind.PERSON}

        def owned(item: InboxItem) -> bool:
            if query.caseworker_id is None:
                return not query.common or item.caseworker_id is None
            mine = item.caseworker_id == query.caseworker_id
            return mine or (query.common and item.caseworker_id is None)

        def matches(item: InboxItem) -> bool:
            document = documents[item.document_id]
            checks = (
                owned(item),
                query.status is None or item.status is query.status,
                query.channel is None or document.channel is query.channel,
                query.received_from is None or item.created_at >= query.received_from,
                query.received_to is None or item.created_at < query.received_to,
                query.has_cpr is None or query.has_cpr == bool(persons & set(document.party_ids)),
            )
            return all(checks)

        newest_first = sorted(
            self._select(matches, _by_time("created_at")),
            key=lambda item: item.created_at,
            reverse=True,
        )
        return _page(newest_first, query.offset, query.limit)


class JournalTable(_Repository):
    table = "journal"

    def add(self, note: JournalNote) -> None:
        self._ws.insert(self.table, note.id, note)

    def list_for_case(self, case_id: UUID) -> list[JournalNote]:
        return self._select(lambda n: n.case_id == case_id, _by_time("created_at"))


class NoticeTable(_Repository):
    table = "notices"

    def add(self, notice: Notice) -> None:
        self._ws.insert(self.table, notice.id, notice)

    def list_for_caseworker(
        self, caseworker_id: UUID, *, unread_only: bool = False
    ) -> list[Notice]:
        return self._select(
            lambda n: n.caseworker_id == caseworker_id and not (unread_only and n.read_at),
            _by_time("created_at"),
        )

    def mark_read(self, notice_id: UUID, at: datetime) -> None:
        """Unknown id: NotFound. A notice already read keeps its first ``read_at``."""
        notice = self._ws.get(self.table, notice_id)
        if notice is None:
            raise NotFound(f"no notice with id {notice_id}", field="notice_id")
        if notice.read_at is None:
            notice.read_at = at
            self._ws.replace(self.table, notice_id, notice, "notice_id")


class IntakeTable(_Repository):
    table = "intake"

    def get(self, sender_system: str, message_id: str) -> IntakeRecord | None:
        return self._ws.get(self.table, (sender_system, message_id))

    def get_many(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], IntakeRecord]:
        found = {key: self.get(*key) for key in keys}
        return {key: record for key, record in found.items() if record is not None}

    def add(self, record: IntakeRecord) -> None:
        self._ws.insert(self.table, (record.sender_system, record.message_id), record)


class AuditTable(_Repository):
    table = "audit"

    def add(self, entry: AuditEntry) -> None:
        self._ws.insert(self.table, entry.id, entry)

    def list(
        self,
        *,
        object_id: UUID | None = None,
        actor: str | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> Page[AuditEntry]:
        entries = self._select(
            lambda e: (
                (object_id is None or e.object_id == object_id)
                and (actor is None or e.actor == actor)
            ),
            _by_time("at"),
        )
        return _page(entries, offset, limit)

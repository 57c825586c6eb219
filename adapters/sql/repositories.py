"""The repositories of :mod:`ports.persistence` over one SQLModel session.

Each tenant repository is bound to one municipality: every query filters on it, a
``get`` of another municipality's id returns None, and adding an entity of another
municipality is refused. Listings without a documented order are oldest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, inspect, or_
from sqlalchemy.orm.attributes import flag_modified, set_committed_value
from sqlmodel import col, select

from adapters.sql.buffer import READS_UNBUFFERED
from adapters.sql.conflicts import Session
from adapters.sql.mapping import (
    case_from_rows,
    case_rows,
    case_series,
    document_from_rows,
    document_values,
    model_columns,
    to_row,
)
from adapters.sql.scoping import TenantRepository, converter, model_or_none
from adapters.sql.tables import (
    ActivityRow,
    AuditEntryRow,
    CasePartyRow,
    CaseRow,
    CaseworkerRow,
    DocumentLinkRow,
    DocumentPartyRow,
    DocumentRow,
    InboxItemRow,
    IntakeRecordRow,
    JournalNoteRow,
    MunicipalityRow,
    NoticeRow,
    PartRow,
    PartyRow,
    PlacementRow,
    Table,
    VariantRow,
)
from core.ids import new_id
from core.models import (
    Activity,
    AuditEntry,
    Case,
    CasePartyRole,
    CaseStatus,
    Caseworker,
    Document,
    DocumentLink,
    InboxItem,
    JournalNote,
    Municipality,
    Notice,
    Party,
    Placement,
)
from ports.persistence import InboxFilter, IntakeRecord, Page


def _copy_changes(source: Table, target: Table) -> None:
    """Set the columns of ``target`` whose values in ``source`` differ."""
    for column in source.__table__.columns:  # type: ignore[attr-defined]
        value = getattr(source, column.key)
        if getattr(target, column.key) != value:
            setattr(target, column.key, value)


class SqlMunicipalityRepository:
    """The tenants themselves; not scoped to one."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, municipality: Municipality) -> None:
        self._session.add(to_row(MunicipalityRow, municipality))

    def get(self, municipality_id: UUID) -> Municipality | None:
        columns = [getattr(MunicipalityRow, name) for name in _MUNICIPALITY_COLUMNS]
        statement = select(*columns).where(col(MunicipalityRow.id) == municipality_id)
        row = self._session.execute(statement.execution_options(**READS_UNBUFFERED)).first()
        if row is None:
            return None
        return Municipality.model_validate(dict(zip(_MUNICIPALITY_COLUMNS, row, strict=True)))

    def get_by_cvr(self, cvr: str) -> Municipality | None:
        row = self._session.exec(select(MunicipalityRow).where(MunicipalityRow.cvr == cvr)).first()
        return model_or_none(Municipality, row)


_MUNICIPALITY_COLUMNS = model_columns(MunicipalityRow, Municipality)
_CASE_TABLE = CaseRow.__table__  # type: ignore[attr-defined]


class SqlCaseRepository(TenantRepository):
    """Cases live in the ORM session (they change in place).

    Within a unit of work the repository remembers each case as it last read or wrote
    it, and hands out copies: a batch of intakes reads each of its cases once. Only this
    repository writes case rows in its session, so what it remembers stays true to the
    transaction; the unit of work makes it forget at commit and rollback.
    """

    reads_unbuffered = True

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._seen: dict[UUID, Case] = {}
        self._rows_seen: dict[UUID, CaseRow] = {}
        """The loaded rows, held: the session's identity map holds them only weakly."""
        self._numbers: dict[str, UUID] = {}
        self._open_for_party: dict[UUID, list[UUID]] = {}

    def forget(self) -> None:
        self._seen.clear()
        self._rows_seen.clear()
        self._numbers.clear()
        self._open_for_party.clear()

    def add(self, case: Case) -> None:
        row, parties = case_rows(self._own(case))
        self._session.add_all([row, *parties])
        self._open_for_party.clear()
        self._remember(case)

    def update(self, case: Case) -> None:
        """Change the loaded rows in place: only what differs is written. A change of
        ``updated_at`` alone (every document placed on the case makes one) goes to the
        write buffer, so a batch of intakes updates each case once, in one statement."""
        stored = self._rows_seen.get(case.id) or self._get_existing(CaseRow, case.id)
        seen = self._seen.get(case.id)
        self._own(case)
        if seen is not None and _touched_only(seen, case) and inspect(stored).persistent:
            set_committed_value(stored, "updated_at", case.updated_at)
            self._buffer.set_column(_CASE_TABLE, case.id, "updated_at", case.updated_at)
            self._remember(case)
            return
        touched = self._buffer.forget_column(_CASE_TABLE, case.id, "updated_at")
        self._open_for_party.clear()
        row, parties = case_rows(case)
        _copy_changes(row, stored)
        if touched:
            # The row already holds the touched time as if stored: write it all the same.
            flag_modified(stored, "updated_at")
        current = {
            old.party_id: old
            for old in self._rows(self._select(CasePartyRow, CasePartyRow.case_id == case.id))
        }
        for party in parties:
            old = current.pop(party.party_id, None)
            if old is None:
                self._session.add(party)
            else:
                _copy_changes(party, old)
        for old in current.values():
            self._session.delete(old)
        self._remember(case)

    def get(self, case_id: UUID) -> Case | None:
        if case_id in self._seen:
            return self._recall(case_id)
        row = self._get(CaseRow, case_id)
        return self._cases([row])[0] if row else None

    def get_many(self, case_ids: Sequence[UUID]) -> list[Case]:
        unseen = [case_id for case_id in case_ids if case_id not in self._seen]
        if unseen:
            self._cases(self._rows_by_id(CaseRow, unseen))
        return [self._recall(case_id) for case_id in case_ids if case_id in self._seen]

    def get_by_number(self, number: str) -> Case | None:
        if number in self._numbers:
            return self._recall(self._numbers[number])
        row = self._first(self._select(CaseRow, CaseRow.number == number))
        return self._cases([row])[0] if row else None

    def get_many_by_number(self, numbers: Sequence[str]) -> list[Case]:
        unseen = [number for number in numbers if number not in self._numbers]
        if unseen:
            self._cases(self._rows(self._select(CaseRow, col(CaseRow.number).in_(unseen))))
        return [self._recall(self._numbers[n]) for n in numbers if n in self._numbers]

    def open_cases_for_parties(self, party_ids: Sequence[UUID]) -> dict[UUID, list[Case]]:
        unseen = [party_id for party_id in party_ids if party_id not in self._open_for_party]
        if unseen:
            holder = col(CasePartyRow.party_id)
            statement = (
                self._timeline(CaseRow, CaseRow.status == CaseStatus.OPEN.value)
                .join(CasePartyRow, col(CasePartyRow.case_id) == CaseRow.id)
                .where(holder.in_(unseen), CasePartyRow.role == CasePartyRole.PRIMARY.value)
                .add_columns(holder)
            )
            found: dict[UUID, list[UUID]] = {party_id: [] for party_id in unseen}
            rows: dict[UUID, CaseRow] = {}
            for row, party_id in self._session.execute(statement).all():
                rows[row.id] = row
                found[party_id].append(row.id)
            self._cases(list(rows.values()))
            self._open_for_party.update(found)
        return {
            pid: [self._recall(case_id) for case_id in self._open_for_party[pid]]
            for pid in party_ids
        }

    def open_cases_for_party(self, party_id: UUID) -> list[Case]:
        return self.open_cases_for_parties([party_id])[party_id]

    def cases_for_party(self, party_id: UUID) -> list[Case]:
        """Oldest first. From the party's case rows to their cases, ordered here: with the
        order or the municipality in the query, SQLite walks every case of the
        municipality in creation order instead (see ``TenantRepository._select_by_id``)."""
        statement = (
            select(CaseRow)
            .join(CasePartyRow, col(CasePartyRow.case_id) == CaseRow.id)
            .where(CasePartyRow.party_id == party_id)
            .execution_options(**self._options)
        )
        own = [row for row in self._rows(statement) if row.municipality_id == self._municipality_id]
        return self._cases(sorted(own, key=lambda row: (row.created_at, row.id)))

    def list(self, *, offset: int = 0, limit: int = 50) -> Page[Case]:
        return self._page(self._timeline(CaseRow), self._cases, offset, limit)

    def next_sequence(self, kle_subject: str, handlingsfacet: str, year: int) -> int:
        series = case_series(kle_subject, handlingsfacet, year)
        highest = self._session.exec(
            select(func.max(CaseRow.sequence))
            .where(CaseRow.municipality_id == self._municipality_id, CaseRow.series == series)
            .execution_options(**READS_UNBUFFERED)
        ).one()
        return (highest or 0) + 1

    def _cases(self, rows: Sequence[CaseRow]) -> list[Case]:
        ids = [row.id for row in rows]
        parties: dict[UUID, list[CasePartyRow]] = {case_id: [] for case_id in ids}
        for party in self._rows(self._select(CasePartyRow, col(CasePartyRow.case_id).in_(ids))):
            parties[party.case_id].append(party)
        self._rows_seen.update((row.id, row) for row in rows)
        return [self._remember(case_from_rows(row, parties[row.id])) for row in rows]

    def _remember(self, case: Case) -> Case:
        self._seen[case.id] = _copy(case)
        self._numbers[case.number] = case.id
        return case

    def _recall(self, case_id: UUID) -> Case:
        return _copy(self._seen[case_id])


def _copy(case: Case) -> Case:
    """A copy a caller may change: its own parties list (a CaseParty is never changed in
    place, only replaced)."""
    return case.model_copy(update={"parties": list(case.parties)})


def _touched_only(before: Case, after: Case) -> bool:
    """True if ``after`` differs from ``before`` in ``updated_at`` at most."""
    return before.model_copy(update={"updated_at": after.updated_at}) == after


class SqlActivityRepository(TenantRepository):
    reads_unbuffered = True

    def add(self, activity: Activity) -> None:
        self._add(ActivityRow, activity)

    def get(self, activity_id: UUID) -> Activity | None:
        row = self._get(ActivityRow, activity_id)
        return model_or_none(Activity, row)

    def list_for_case(self, case_id: UUID) -> list[Activity]:
        return self._models(Activity, self._timeline(ActivityRow, ActivityRow.case_id == case_id))


class SqlPartyRepository(TenantRepository):
    """Parties are added through the write buffer. A lookup by number answers from the
    parties this unit of work added or found before, or knows to be absent (parties
    never change, and a new one is added here), so it needs no buffered row written and
    asks the database once per number."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._known: dict[tuple[str, str], Party | None] = {}
        self._by_id: dict[UUID, Party] = {}

    def forget(self) -> None:
        self._known.clear()
        self._by_id.clear()

    def add(self, party: Party) -> None:
        self._append(PartyRow, party)
        self._remember(party)

    def _remember(self, party: Party) -> Party:
        self._by_id[party.id] = party
        for field in ("cpr", "cvr"):
            number = getattr(party, field)
            if number is not None:
                self._known[(field, number)] = party
        return party

    def get(self, party_id: UUID) -> Party | None:
        return self._model(Party, self._select(PartyRow, PartyRow.id == party_id))

    def get_by_cpr(self, cpr: str) -> Party | None:
        return self._by_number("cpr", cpr)

    def get_many_by_cpr(self, cprs: Sequence[str]) -> list[Party]:
        unknown = [cpr for cpr in cprs if ("cpr", cpr) not in self._known]
        if unknown:
            statement = self._select(PartyRow, col(PartyRow.cpr).in_(unknown))
            found = {party.cpr: party for party in self._models(Party, statement)}
            for cpr in unknown:
                party = found.get(cpr)
                if party is None:
                    self._known[("cpr", cpr)] = None
                else:
                    self._remember(party)
        known = (self._known[("cpr", cpr)] for cpr in cprs)
        return [party.model_copy() for party in known if party is not None]

    def get_by_cvr(self, cvr: str) -> Party | None:
        return self._by_number("cvr", cvr)

    def _by_number(self, field: str, number: str) -> Party | None:
        if (field, number) in self._known:
            known = self._known[(field, number)]
            return known.model_copy() if known is not None else None
        statement = self._select(PartyRow, getattr(PartyRow, field) == number)
        party = self._model(Party, statement.execution_options(**READS_UNBUFFERED))
        return self._remember(party).model_copy() if party else None

    def get_many(self, party_ids: Sequence[UUID]) -> list[Party]:
        """The parties found, in the order their ids were given."""
        unknown = [party_id for party_id in party_ids if party_id not in self._by_id]
        if unknown:
            for party in self._models_by_id(Party, PartyRow, unknown, **READS_UNBUFFERED):
                self._remember(party)
        known = (self._by_id.get(party_id) for party_id in party_ids)
        return [party.model_copy() for party in known if party is not None]


class SqlCaseworkerRepository(TenantRepository):
    """Remembers the caseworkers it found within the unit of work (placing a batch of
    documents asks for the same few again and again)."""

    reads_unbuffered = True

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._by_username: dict[str, Caseworker] = {}
        self._by_id: dict[UUID, Caseworker] = {}

    def add(self, caseworker: Caseworker) -> None:
        self._add(CaseworkerRow, caseworker)

    def get(self, caseworker_id: UUID) -> Caseworker | None:
        if caseworker_id not in self._by_id:
            statement = self._select(CaseworkerRow, CaseworkerRow.id == caseworker_id)
            caseworker = self._model(Caseworker, statement)
            if caseworker is None:
                return None
            self._by_id[caseworker_id] = caseworker
        return self._by_id[caseworker_id].model_copy()

    def get_by_username(self, username: str) -> Caseworker | None:
        if username not in self._by_username:
            statement = self._select(CaseworkerRow, CaseworkerRow.username == username)
            caseworker = self._model(Caseworker, statement)
            if caseworker is None:
                return None
            self._by_username[username] = caseworker
        return self._by_username[username].model_copy()

    def forget(self) -> None:
        self._by_username.clear()
        self._by_id.clear()

    def list(self) -> list[Caseworker]:
        return self._models(
            Caseworker, self._select(CaseworkerRow).order_by(col(CaseworkerRow.username))
        )


class SqlDocumentRepository(TenantRepository):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._added: set[UUID] = set()
        self._links_added: set[tuple[UUID, UUID, UUID | None]] = set()

    def forget(self) -> None:
        self._added.clear()
        self._links_added.clear()

    def add(self, document: Document) -> None:
        for row_cls, values in document_values(self._own(document)):
            self._buffer.insert(row_cls.__table__, values)  # type: ignore[attr-defined]
        self._added.add(document.id)

    def get(self, document_id: UUID) -> Document | None:
        row = self._get(DocumentRow, document_id)
        if row is None:
            return None
        variants = self._rows(self._select(VariantRow, VariantRow.document_id == document_id))
        variant_ids = [v.id for v in variants]
        return document_from_rows(
            row,
            self._rows(self._select(DocumentPartyRow, DocumentPartyRow.document_id == document_id)),
            variants,
            self._rows(self._select(PartRow, col(PartRow.variant_id).in_(variant_ids))),
        )

    def link(self, link: DocumentLink) -> None:
        """Link once: a document added in this unit of work has only the links it gave
        it, so only an older document's links are looked up."""
        key = (link.document_id, link.case_id, link.activity_id)
        if key in self._links_added:
            return
        if link.document_id not in self._added and self._linked(link):
            return
        self._append(DocumentLinkRow, link, id=new_id(), municipality_id=self._municipality_id)
        self._links_added.add(key)

    def _linked(self, link: DocumentLink) -> bool:
        same = self._select(
            DocumentLinkRow,
            DocumentLinkRow.document_id == link.document_id,
            DocumentLinkRow.case_id == link.case_id,
            DocumentLinkRow.activity_id == link.activity_id,  # None compiles to IS NULL
        )
        return self._first(same) is not None

    def links_for_case(self, case_id: UUID) -> list[DocumentLink]:
        return self._links(DocumentLinkRow.case_id == case_id)

    def links_for_document(self, document_id: UUID) -> list[DocumentLink]:
        return self._links(DocumentLinkRow.document_id == document_id)

    def _links(self, where: Any) -> list[DocumentLink]:
        return self._models(DocumentLink, self._timeline(DocumentLinkRow, where))


class SqlPlacementRepository(TenantRepository):
    def add(self, placement: Placement) -> None:
        self._append(PlacementRow, placement)

    def list_for_document(self, document_id: UUID) -> list[Placement]:
        return self._placements(PlacementRow.document_id == document_id)

    def list_for_case(self, case_id: UUID) -> list[Placement]:
        return self._placements(PlacementRow.case_id == case_id)

    def _placements(self, where: Any) -> list[Placement]:
        return self._models(Placement, self._timeline(PlacementRow, where))


class SqlInboxRepository(TenantRepository):
    def add(self, item: InboxItem) -> None:
        self._append(InboxItemRow, item)

    def update(self, item: InboxItem) -> None:
        self._get_existing(InboxItemRow, item.id)
        self._session.merge(to_row(InboxItemRow, self._own(item)))

    def get(self, item_id: UUID) -> InboxItem | None:
        row = self._get(InboxItemRow, item_id)
        return model_or_none(InboxItem, row)

    def get_for_document(self, document_id: UUID) -> InboxItem | None:
        """The document's most recent inbox item."""
        for_document = InboxItemRow.document_id == document_id
        row = self._first(self._timeline(InboxItemRow, for_document, newest_first=True))
        return model_or_none(InboxItem, row)

    def list(self, query: InboxFilter) -> Page[InboxItem]:
        """Items matching every given field, newest first.

        A ``caseworker_id`` with ``common`` lists that caseworker's items and the
        common inbox together; ``received_from`` is inclusive, ``received_to`` exclusive.
        """
        conditions = _inbox_conditions(query)
        statement = self._timeline(InboxItemRow, *conditions, newest_first=True)
        return self._page(statement, converter(InboxItem), query.offset, query.limit)


def _inbox_conditions(query: InboxFilter) -> list[Any]:
    item = InboxItemRow
    common = col(item.caseworker_id).is_(None)
    conditions: list[Any] = []
    if query.caseworker_id is not None:
        mine = item.caseworker_id == query.caseworker_id
        conditions.append(or_(mine, common) if query.common else mine)
    elif query.common:
        conditions.append(common)
    if query.status is not None:
        conditions.append(item.status == query.status.value)
    if query.channel is not None:
        # Correlated: each listed item's document by its key. ``document_id IN (SELECT id
        # FROM document WHERE channel = ?)`` read every document of the municipality.
        through = (
            select(DocumentRow.id)
            .where(DocumentRow.id == item.document_id, DocumentRow.channel == query.channel.value)
            .exists()
        )
        conditions.append(through)
    if query.received_from is not None:
        conditions.append(col(item.created_at) >= query.received_from)
    if query.received_to is not None:
        conditions.append(col(item.created_at) < query.received_to)
    if query.has_cpr is not None:
        with_cpr = (
            select(DocumentPartyRow.document_id)
            .join(PartyRow, col(PartyRow.id) == DocumentPartyRow.party_id)
            .where(DocumentPartyRow.document_id == item.document_id, col(PartyRow.cpr).is_not(None))
            .exists()
        )
        conditions.append(with_cpr if query.has_cpr else ~with_cpr)
    return conditions


class SqlJournalNoteRepository(TenantRepository):
    def add(self, note: JournalNote) -> None:
        self._add(JournalNoteRow, note)

    def list_for_case(self, case_id: UUID) -> list[JournalNote]:
        on_case = JournalNoteRow.case_id == case_id
        return self._models(JournalNote, self._timeline(JournalNoteRow, on_case))


class SqlNoticeRepository(TenantRepository):
    def add(self, notice: Notice) -> None:
        self._append(NoticeRow, notice)

    def list_for_caseworker(
        self, caseworker_id: UUID, *, unread_only: bool = False
    ) -> list[Notice]:
        conditions = [NoticeRow.caseworker_id == caseworker_id]
        if unread_only:
            conditions.append(col(NoticeRow.read_at).is_(None))
        return self._models(Notice, self._timeline(NoticeRow, *conditions))

    def mark_read(self, notice_id: UUID, at: datetime) -> None:
        self._get_existing(NoticeRow, notice_id).read_at = at


_KEYS_PER_QUERY = 500
"""Bound parameters per lookup stay well under SQLite's limit (32,766) for any batch."""


class SqlIntakeLedger(TenantRepository):
    def get(self, sender_system: str, message_id: str) -> IntakeRecord | None:
        return self._model(
            IntakeRecord,
            self._select(
                IntakeRecordRow,
                IntakeRecordRow.sender_system == sender_system,
                IntakeRecordRow.message_id == message_id,
            ),
        )

    def get_many(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], IntakeRecord]:
        """One query per sender system and up to :data:`_KEYS_PER_QUERY` message ids:
        ``sender_system = ? AND message_id IN (…)`` is looked up in the ledger's unique
        index on both databases, where a row-value ``(sender_system, message_id) IN (…)``
        made SQLite read every entry of the municipality, once per batch."""
        by_sender: dict[str, list[str]] = {}
        for sender_system, message_id in dict.fromkeys(keys):
            by_sender.setdefault(sender_system, []).append(message_id)
        found: dict[tuple[str, str], IntakeRecord] = {}
        for sender_system, message_ids in by_sender.items():
            for start in range(0, len(message_ids), _KEYS_PER_QUERY):
                statement = self._select(
                    IntakeRecordRow,
                    IntakeRecordRow.sender_system == sender_system,
                    col(IntakeRecordRow.message_id).in_(
                        message_ids[start : start + _KEYS_PER_QUERY]
                    ),
                )
                for record in self._models(IntakeRecord, statement):
                    found[(record.sender_system, record.message_id)] = record
        return found

    def add(self, record: IntakeRecord) -> None:
        self._append(IntakeRecordRow, record, id=new_id(), municipality_id=self._municipality_id)


class SqlAuditLog(TenantRepository):
    def add(self, entry: AuditEntry) -> None:
        self._append(AuditEntryRow, entry)

    def list(
        self,
        *,
        object_id: UUID | None = None,
        actor: str | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> Page[AuditEntry]:
        """Entries newest first, optionally for one object or one actor."""
        conditions = []
        if object_id is not None:
            conditions.append(AuditEntryRow.object_id == object_id)
        if actor is not None:
            conditions.append(AuditEntryRow.actor == actor)
        statement = self._timeline(AuditEntryRow, *conditions, newest_first=True)
        return self._page(statement, converter(AuditEntry), offset, limit)

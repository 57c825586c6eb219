"""The intake's queries on SQLite are answered from indexes, never by reading a table.

A query that reads a whole table costs nothing in a test database and everything in a
municipality's: a lookup of the ledger by its key, or of a case's parties, once read
every row of the municipality on each intake. SQLite plans a query the same whatever
the tables hold (it keeps no statistics here), so the plans of a small database are the
plans of a large one.
"""

from __future__ import annotations

import re

from sqlalchemy import event

from core.intake import CaseReference, Channel
from core.models import CaseParty, CasePartyRole, CaseStatus
from core.placement import seed_chain
from core.rules import PlacementPolicy
from core.services.changes import ChangeRecorder
from core.services.intake import IntakeService
from ports.persistence import InboxFilter
from tests.contract.persistence.builders import new_cvr
from tests.unit.builders import World, incoming

KNOWN_CPR, NEW_CPR = "0101901234", "0202904321"
OTHER_CPRS = ("0303901111", "0404902222", "0505903333")
"""Three cases named by id in one batch: SQLite plans a list of three or more ids
differently from one or two."""
_ONE_ROW_PER_MUNICIPALITY = {"case_feed_counter"}


def _statements_of_intakes(database, blobs) -> dict[str, object]:
    """Every distinct statement (with one set of its parameters) that receiving a
    batch, a repeat and single deliveries sends, placing by CPR, case id, case number,
    caseworker and on no clue at all."""
    uow_factory = database.uow_factory(blobs, before_commit=ChangeRecorder())
    world = World(uow_factory, cvr=new_cvr())
    worker = world.caseworker()
    case = world.case(world.person(KNOWN_CPR), caseworker=worker)
    policy = PlacementPolicy(create_case_for_unknown_party=True)
    service = IntakeService(uow_factory, blobs, world.id, seed_chain(), policy)
    by_id = [world.case(world.person(cpr)) for cpr in OTHER_CPRS]
    batch = [
        *(
            incoming(blobs, b"%PDF-1 " + cpr.encode(), case=CaseReference(case_id=other.id))
            for cpr, other in zip(OTHER_CPRS, by_id, strict=True)
        ),
        incoming(blobs, b"%PDF-1 a", message_id="a", cprs=[KNOWN_CPR]),
        incoming(blobs, b"%PDF-1 b", message_id="b", case=CaseReference(case_number=case.number)),
        incoming(blobs, b"%PDF-1 c", message_id="c", cprs=[NEW_CPR]),
        incoming(blobs, b"%PDF-1 d", message_id="d", caseworker=worker.username),
        incoming(blobs, b"%PDF-1 e", message_id="e"),
    ]
    statements: dict[str, object] = {}

    def seen(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        statements.setdefault(statement, parameters[0] if executemany else parameters)

    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        service.receive_batch(batch)
        service.receive(incoming(blobs, b"%PDF-1 a", message_id="a", cprs=[KNOWN_CPR]))
        service.receive(incoming(blobs, b"%PDF-1 f", message_id="f", cprs=[KNOWN_CPR]))
        by_number = CaseReference(case_number=case.number)
        service.receive(incoming(blobs, b"%PDF-1 g", message_id="g", case=by_number))
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
    return statements


def _plan(connection, statement: str, parameters: object) -> list[str]:
    rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    return [row[3] for row in rows]


def _reads_the_municipality(step: str) -> bool:
    """A plan step that reads a whole table, or every row of the municipality through an
    index it leads (``SEARCH t USING INDEX … (municipality_id=?)``). "SCAN 2 CONSTANT
    ROWS" is SQLite walking an ``IN (…)`` list, not a table."""
    if step.startswith("SCAN"):
        return "CONSTANT ROW" not in step
    table = step.split()[1]
    return step.endswith("(municipality_id=?)") and table not in _ONE_ROW_PER_MUNICIPALITY


def test_every_intake_query_uses_an_index(sqlite_db, blobs):
    statements = _statements_of_intakes(sqlite_db, blobs)
    reads = {
        statement: parameters
        for statement, parameters in statements.items()
        if re.match(r"\s*(SELECT|UPDATE|DELETE)", statement, re.IGNORECASE)
    }
    assert any("intake_record" in s for s in reads) and any("case_party" in s for s in reads)
    table_reads = []
    with sqlite_db.engine.connect() as connection:
        for statement, parameters in reads.items():
            for step in _plan(connection, statement, parameters):
                if _reads_the_municipality(step):
                    table_reads.append(f"{step}: {' '.join(statement.split())[:120]}")
    assert table_reads == []


def test_a_case_parties_lookup_uses_the_case_key(sqlite_db, blobs):
    """The lookup that read every case party of the municipality before."""
    uow_factory = sqlite_db.uow_factory(blobs)
    world = World(uow_factory, cvr=new_cvr())
    case = world.case(world.person(KNOWN_CPR))
    statements = []

    def seen(_conn, _cursor, statement, parameters, _context, _executemany) -> None:
        if "FROM case_party" in statement:
            statements.append((statement, parameters))

    event.listen(sqlite_db.engine, "before_cursor_execute", seen)
    try:
        with uow_factory(world.id) as uow:
            found = uow.cases.get(case.id)
    finally:
        event.remove(sqlite_db.engine, "before_cursor_execute", seen)
    assert [p.role for p in found.parties] == [CasePartyRole.PRIMARY]
    assert isinstance(found.parties[0], CaseParty)
    with sqlite_db.engine.connect() as connection:
        plans = [_plan(connection, s, p) for s, p in statements]
    assert plans and all(
        any("case_party USING" in step and "(case_id=?)" in step for step in plan) for plan in plans
    )


def test_a_caseworkers_lookups_use_an_index(sqlite_db, blobs):
    """Cases by CPR, the inbox by channel, the audit log of a case or of a caseworker:
    the inbox list itself reads the municipality's open items (it is a listing), but
    no other table whole."""
    uow_factory = sqlite_db.uow_factory(blobs)
    world = World(uow_factory, cvr=new_cvr())
    child = world.person(KNOWN_CPR)
    case = world.case(child)
    world.case(child, status=CaseStatus.CLOSED)
    statements = {}

    def seen(_conn, _cursor, statement, parameters, _context, _executemany) -> None:
        statements.setdefault(statement, parameters)

    event.listen(sqlite_db.engine, "before_cursor_execute", seen)
    try:
        with uow_factory(world.id) as uow:
            assert len(uow.cases.cases_for_party(child.id)) == 2
            assert len(uow.cases.open_cases_for_party(child.id)) == 1
            uow.inbox.list(InboxFilter(common=True, channel=Channel.SCANNING, has_cpr=True))
            uow.audit.list(object_id=case.id)
            uow.audit.list(actor="anha")
    finally:
        event.remove(sqlite_db.engine, "before_cursor_execute", seen)
    table_reads = []
    with sqlite_db.engine.connect() as connection:
        for statement, parameters in statements.items():
            for step in _plan(connection, statement, parameters):
                if _reads_the_municipality(step) and not step.startswith("SEARCH inbox_item"):
                    table_reads.append(f"{step}: {' '.join(statement.split())[:120]}")
    assert table_reads == []

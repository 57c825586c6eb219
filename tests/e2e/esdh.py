"""The ESDH round trip, end to end, for any ESDH plugin with a fake.

A hub is built from a TOML file that enables the plugin and binds it to
``case_export``, ``document_export`` and ``document_source``. A case with a document is
made through the core's services; the worker exports both; a change to the case updates
the copy instead of making a second; documents a caseworker files in the ESDH for the
hub are pulled by ``sagshub sources poll`` onto the right cases, and pulled only once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import update

from adapters.sql.work_tables import SourceCursorRow
from core.models import Case, CaseStatus, Channel, PlacementTarget
from core.services.cases import NewCase
from hub import Hub
from ports.jobs import JobState
from tests.contract.persistence.builders import new_cpr
from tests.export.hubs import PDF, build_test_hub, cli, deliver

REPLY = b"%PDF-1.7 svar fra mor " + bytes(range(256)) * 40


@dataclass
class Esdh:
    """One ESDH plugin and its fake, as the scenario needs them."""

    plugin: str
    """The plugin's name, which is also its adapters' names."""
    system: str
    """The source's ``system_name``: the sender system of the documents it delivers."""
    fake: Any
    settings: str
    """The ``[plugins.<plugin>]`` tables pointing at the fake."""
    operations: tuple[str, str]
    """The fake's names of creating and of updating a case."""
    file_on: Callable[..., object]
    """``file_on(case_external_id, title=, cpr=, for_hub=)``: a caseworker files a PDF in the
    ESDH, on that case copy (None: on a case of the ESDH's own for the CPR)."""


def hub_config(esdh: Esdh) -> str:
    name = esdh.plugin
    return f"""
[plugins]
enabled = ["{name}"]

[ports]
case_export = ["{name}"]
document_export = ["{name}"]
document_source = ["{name}"]

[jobs]
poll_seconds = 0.05
max_attempts = 5
backoff_base_seconds = 0.001
backoff_cap_seconds = 0.001

[sources]
poll_seconds = 3600

{esdh.settings}
"""


def build_hub_for(esdh: Esdh, database_url: str, folder: Path) -> Hub:
    return build_test_hub(database_url, folder, hub_config(esdh))


def run_worker_until_idle(hub: Hub, rounds: int = 50) -> None:
    """``sagshub worker --once`` until no job waits (a retry waits its millisecond backoff)."""
    for _ in range(rounds):
        hub.jobs.run_pending()
        jobs = hub.jobs.admin.list(limit=500)
        if all(job.state in (JobState.DONE, JobState.DEAD) for job in jobs):
            dead = [f"{job.task}: {job.last_error}" for job in jobs if job.state is JobState.DEAD]
            assert not dead, dead
            return
        time.sleep(0.005)
    raise AssertionError(f"jobs still waiting after {rounds} rounds: {hub.jobs.admin.list()}")


def new_case(hub: Hub, title: str) -> Case:
    return hub.services.cases.create_case(
        NewCase(title=title, kle_subject="27.24.00", handlingsfacet="G01", primary_cpr=new_cpr()),
        "caseworker",
    )


def external_id(hub: Hub, adapter: str, kind: str, object_id: UUID) -> str | None:
    with hub.services.uow_factory(hub.services.municipality.id) as uow:
        return uow.exports.external_id(adapter, kind, object_id)


def documents_titled(hub: Hub, case: Case) -> dict[str, Any]:
    snapshot = hub.services.cases.snapshot(case.id, "test")
    placements = {p.document_id: p for p in snapshot.placements}
    return {d.title: (d, placements.get(d.id)) for d in snapshot.documents}


def rewind(hub: Hub, source: str, **values: Any) -> None:
    """Set the source's row back, as if the hub had stopped before writing ``values``
    (``cursor=None``: after the intake's commit, before the cursor moved) or as if time had
    passed (``scheduled_at=None``: the source's turn has come)."""
    table = SourceCursorRow.__table__
    mine = table.c.municipality_id == hub.services.municipality.id
    with hub.container.database().session() as session:
        session.execute(update(table).where(mine, table.c.source == source).values(**values))
        session.commit()


def round_trip(esdh: Esdh, hub: Hub) -> None:
    fake, name = esdh.fake, esdh.plugin
    created, updated = esdh.operations

    # A case with a document, made through the services; nothing leaves before the worker.
    first = new_case(hub, "Bekymring for barnet")
    cpr = hub.services.cases.snapshot(first.id, "test").parties[0].cpr
    exported_document = deliver(hub, first.id, cpr)
    assert fake.remote_cases() == []

    run_worker_until_idle(hub)
    (copy,) = fake.remote_cases()
    assert copy.title == "Bekymring for barnet" and copy.primary_party == cpr
    assert external_id(hub, name, "case", first.id) == copy.external_id
    (document,) = fake.remote_documents()
    assert document.content == PDF and document.case_external_id == copy.external_id
    assert external_id(hub, name, "document", exported_document) == document.external_id
    assert fake.operations().count(created) == 1

    # A change to the case updates the copy; it is not made again.
    hub.services.cases.close_case(first.id, "caseworker")
    run_worker_until_idle(hub)
    assert [c.external_id for c in fake.remote_cases()] == [copy.external_id]
    assert fake.operations().count(created) == 1 and updated in fake.operations()
    assert len(fake.remote_documents()) == 1

    # Caseworkers file documents in the ESDH: one on the copy of the hub's case, one on a
    # case of the ESDH's own for the child of another hub case, one not meant for the hub.
    second = new_case(hub, "Underretning fra skolen")
    second_cpr = hub.services.cases.snapshot(second.id, "test").parties[0].cpr
    esdh.file_on(copy.external_id, title="Svar fra mor", cpr=cpr)
    esdh.file_on(None, title="Referat fra skolen", cpr=second_cpr)
    esdh.file_on(None, title="Intern mail", cpr=second_cpr, for_hub=False)

    polled = cli(hub, "sources", "poll")
    assert polled.exit_code == 0, polled.output
    assert f"{name}: 2 received (2 case), 0 already received, 0 refused" in polled.stdout

    reply, placement = documents_titled(hub, first)["Svar fra mor"]
    assert (placement.rule, placement.target) == ("case_reference", PlacementTarget.CASE)
    assert (reply.sender_system, reply.channel) == (esdh.system, Channel.ESDH)
    assert hub.services.blobs.open(reply.variants[0].parts[0].sha256).read() == REPLY
    minutes, placement = documents_titled(hub, second)["Referat fra skolen"]
    assert minutes.message_id != reply.message_id and minutes.sender_system == esdh.system
    assert (placement.rule, placement.target) == ("party_cpr", PlacementTarget.CASE)
    assert "Intern mail" not in documents_titled(hub, second)
    assert hub.services.cases.snapshot(first.id, "test").case.status is CaseStatus.CLOSED

    # A second poll delivers nothing; neither does one that starts again from the beginning
    # (the hub stopped before its cursor moved): the intake's ledger knows both documents.
    again = cli(hub, "sources", "poll", name)
    assert f"{name}: 0 received, 0 already received, 0 refused" in again.stdout
    cursor = hub.sources.cursors.state(name).cursor
    assert cursor and again.stdout.rstrip().endswith(f"; cursor {cursor}")
    listed = cli(hub, "sources", "list").stdout
    assert name in listed and esdh.system in listed and cursor in listed
    rewind(hub, name, cursor=None)
    replayed = cli(hub, "sources", "poll")
    assert f"{name}: 0 received, 2 already received, 0 refused" in replayed.stdout
    assert len(documents_titled(hub, first)) == 2 and len(documents_titled(hub, second)) == 1

    # The worker polls too, when the source's turn comes (here: its last turn made old).
    esdh.file_on(copy.external_id, title="Lægeerklæring", cpr=cpr)
    rewind(hub, name, scheduled_at=None)
    run_worker_until_idle(hub)
    assert "Lægeerklæring" in documents_titled(hub, first)
    (poll,) = [job for job in hub.jobs.admin.list() if job.task == "poll_source"][:1]
    assert poll.payload["source"] == name and poll.state is JobState.DONE

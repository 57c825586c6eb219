"""Push, end to end: a change to a case becomes a job that exports a fresh locked copy to
the Sags- og Dokumentindeks plugin (a local fake service), on SQLite with the outbox and
on PostgreSQL with procrastinate; ``sagshub worker`` and ``sagshub jobs`` run and mend it."""

from __future__ import annotations

import threading
import time

import pytest
from litestar.testing import TestClient

from core.services.cases import NewCase
from hub import create_app
from ports.jobs import JobState
from tests.contract.persistence.builders import new_cpr
from tests.export.hubs import build_test_hub, cli, deliver


def hub_config(fake, *, worker_in_serve: bool = False) -> str:
    return f"""
[plugins]
enabled = ["sagsindeks"]

[ports]
case_export = ["sagsindeks"]

[plugins.sagsindeks]
endpoint = "{fake.url}"
timeout_seconds = 1

[jobs]
worker_in_serve = {"true" if worker_in_serve else "false"}
poll_seconds = 0.05
max_attempts = 3
backoff_base_seconds = 0.001
backoff_cap_seconds = 0.001
"""


@pytest.fixture
def hub(database, tmp_path, fake):
    url = database.url.render_as_string(hide_password=False)
    built = build_test_hub(url, tmp_path, hub_config(fake))
    yield built
    built.close()


def new_case(hub):
    return hub.services.cases.create_case(
        NewCase(
            title="Bekymring", kle_subject="27.24.00", handlingsfacet="G01", primary_cpr=new_cpr()
        ),
        "caseworker",
    )


def test_a_changed_case_is_exported_then_updated_and_its_external_id_kept(hub, fake):
    case = new_case(hub)
    assert fake.received == []  # nothing leaves before a worker runs the job

    hub.jobs.run_pending()
    assert fake.operations() == ["fremsoeg", "importer"]
    assert fake.cases == {str(case.id)}

    cpr = hub.services.cases.snapshot(case.id, "test").parties[0].cpr
    document_id = deliver(hub, case.id, cpr)
    hub.services.cases.add_journal_note(case.id, "Samtale", "tekst", "caseworker")
    (waiting,) = hub.jobs.admin.list(state=JobState.TODO)
    assert waiting.payload["case_id"] == str(case.id)  # two changes, one waiting export

    hub.jobs.run_pending()
    assert fake.operations()[2:] == ["fremsoeg", "importer", "opdater"]
    assert fake.documents == {str(document_id)}
    assert fake.rejected == []
    opdater = fake.received[-1].body
    assert len(opdater.xpath("//*[local-name()='Journalpost']")) == 2
    with hub.services.uow_factory(hub.services.municipality.id) as uow:
        assert uow.exports.external_id("sagsindeks", "case", case.id) == str(case.id)
        exports = [e for e in uow.audit.list(object_id=case.id).items if e.action == "export"]
    assert {e.actor for e in exports} == {"export:sagsindeks"} and len(exports) == 2
    assert {job.state for job in hub.jobs.admin.list()} == {JobState.DONE}


def test_a_rejected_export_is_dead_until_retried_from_the_command_line(hub, fake):
    fake.fail_next("status", 40, "Fejl i input")
    case = new_case(hub)

    result = cli(hub, "worker", "--once")
    assert result.exit_code == 0, result.output
    (dead,) = hub.jobs.admin.list(state=JobState.DEAD)
    assert dead.attempts == 1 and "StatusKode 40: Fejl i input" in dead.last_error

    listing = cli(hub, "jobs", "list", "--state", "dead")
    assert str(dead.id) in listing.stdout and "export_case" in listing.stdout
    shown = cli(hub, "jobs", "show", str(dead.id))
    assert "payload: " in shown.stdout and str(case.id) in shown.stdout
    assert "StatusKode 40" in shown.stdout

    retried = cli(hub, "jobs", "retry", str(dead.id))
    assert retried.exit_code == 0 and "is todo again" in retried.stdout
    hub.jobs.run_pending()
    assert hub.jobs.admin.get(dead.id).state is JobState.DONE
    assert fake.cases == {str(case.id)}

    again = cli(hub, "jobs", "retry", str(dead.id))
    assert again.exit_code == 2 and "only a dead job is retried" in again.stderr


def run_until_settled(hub, seconds: float = 5.0) -> None:
    """Run due jobs, waiting out their backoff (1 ms here), until none is left to do: a
    retry is due only once its backoff passed, which a quick failure may not have."""
    deadline = time.monotonic() + seconds
    hub.jobs.run_pending()
    while hub.jobs.admin.list(state=JobState.TODO) and time.monotonic() < deadline:
        time.sleep(0.005)
        hub.jobs.run_pending()


def test_a_timeout_is_retried_and_a_lasting_outage_ends_dead(hub, fake):
    fake.fail_next("hang")
    new_case(hub)
    run_until_settled(hub)
    (job,) = hub.jobs.admin.list()
    assert job.state is JobState.DONE and job.attempts == 2

    for _ in range(3):
        fake.fail_next("http", 503)
    new_case(hub)
    run_until_settled(hub)
    latest = hub.jobs.admin.list()[0]
    assert (latest.state, latest.attempts) == (JobState.DEAD, 3)
    assert "HTTP 503" in latest.last_error


def test_serve_runs_a_worker_that_exports_while_it_serves(database, tmp_path, fake):
    url = database.url.render_as_string(hide_password=False)
    hub = build_test_hub(url, tmp_path, hub_config(fake, worker_in_serve=True))
    with TestClient(create_app(hub)):
        case = new_case(hub)
        exported = threading.Event()
        for _ in range(400):  # the worker polls; wait for it (at most ~20 s), not a timing test
            if fake.cases:
                exported.set()
                break
            time.sleep(0.05)
    assert exported.is_set()
    assert fake.cases == {str(case.id)}

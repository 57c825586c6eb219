"""The source runner on a real hub (SQLite, the outbox) with a scripted source: resuming
after the source fails, refusing a document without losing the others, translating what a
source says into what the intake knows, and the worker's schedule."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.jobs.periodic import TickingWorker
from adapters.settings import load_settings
from adapters.sources.cursors import SourceCursors
from adapters.sources.poller import POLL_SOURCE, PollInterrupted
from adapters.sources.schedule import PollSchedule
from core.errors import NotFound
from core.models import PlacementTarget
from core.services.cases import NewCase
from hub import build_hub
from ports.hookspecs import hookimpl
from ports.integrations import ExportFailed, SourcedDocument, SourcedFile
from ports.jobs import JobState
from tests.config_files import write_config
from tests.contract.persistence.builders import new_cpr, new_cvr
from tests.databases import sqlite_database

PDF = b"%PDF-1.7 " + bytes(range(256)) * 10


def sourced(number: int, **fields) -> SourcedDocument:
    values = {
        "message_id": f"scripted:{number}",
        "title": f"Dokument {number}",
        "files": [SourcedFile(name=f"{number}.pdf", mime_type="application/pdf", content=PDF)],
    }
    return SourcedDocument(**(values | fields))


class ScriptedSource:
    """A document source whose documents, and whose failure, the test decides."""

    system_name = "scripted"

    def __init__(self) -> None:
        self.documents: list[SourcedDocument] = []
        self.failure: Exception | None = None
        self.fail_before: int | None = None
        self.cursors_asked: list[str | None] = []

    def poll(self, cursor):
        self.cursors_asked.append(cursor)
        for number, document in enumerate(self.documents, start=1):
            if number <= int(cursor or 0):
                continue
            if number == self.fail_before and self.failure is not None:
                raise self.failure
            yield document, str(number)


class ScriptedPlugin:
    def __init__(self, source: ScriptedSource) -> None:
        self.source = source

    @hookimpl
    def sagshub_register_adapters(self, register):
        register("document_source", "scripted", lambda settings, services: self.source)


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    with sqlite_database(tmp_path_factory.mktemp("sources")) as database:
        yield database.url.render_as_string(hide_password=False)


@pytest.fixture
def source() -> ScriptedSource:
    return ScriptedSource()


@pytest.fixture
def hub(database_url, tmp_path, source):
    cvr = new_cvr()
    config = write_config(
        tmp_path,
        f'[database]\nurl = "{database_url}"\n\n[blobs]\npath = "{tmp_path / "blobs"}"\n\n'
        '[ports]\ndocument_source = ["scripted"]\n\n'
        "[jobs]\nmax_attempts = 3\nbackoff_base_seconds = 0.001\nbackoff_cap_seconds = 0.001\n",
        base=f'[municipality]\nname = "Testrup Kommune"\ncvr = "{cvr}"\n',
    )
    built = build_hub(load_settings(config), extra_plugins={"scripted": ScriptedPlugin(source)})
    yield built
    built.close()


def a_case(hub):
    return hub.services.cases.create_case(
        NewCase(
            title="Bekymring", kle_subject="27.24.00", handlingsfacet="G01", primary_cpr=new_cpr()
        ),
        "caseworker",
    )


def staged_files(hub) -> list[Path]:
    return list((hub.settings.blobs.path / "tmp").iterdir())


def test_a_poll_the_source_breaks_off_resumes_after_the_last_committed_document(hub, source):
    case = a_case(hub)
    cpr = hub.services.cases.snapshot(case.id, "test").parties[0].cpr
    source.documents = [sourced(n, cprs=[cpr]) for n in (1, 2, 3)]
    source.failure, source.fail_before = ConnectionError(f"the line to {cpr} went dead"), 3

    with pytest.raises(PollInterrupted) as stopped:
        hub.sources.poll("scripted")
    assert (stopped.value.report.received, stopped.value.report.cursor) == (2, "2")
    assert stopped.value.retryable is True
    assert cpr not in str(stopped.value) and cpr[:6] in str(stopped.value)
    assert hub.sources.cursors.state("scripted").cursor == "2"
    assert hub.sources.cursors.state("scripted").polled_at is None  # it never reached the end

    source.failure = None
    report = hub.sources.poll("scripted")
    assert (report.received, report.repeated, report.cursor) == (1, 0, "3")
    assert source.cursors_asked == [None, "2"]
    titles = {d.title for d in hub.services.cases.snapshot(case.id, "test").documents}
    assert titles == {"Dokument 1", "Dokument 2", "Dokument 3"}
    assert hub.sources.cursors.state("scripted").polled_at is not None
    assert staged_files(hub) == []


def test_a_refused_document_is_reported_and_the_ones_after_it_still_come(hub, source):
    case = a_case(hub)
    cpr = hub.services.cases.snapshot(case.id, "test").parties[0].cpr
    source.documents = [
        sourced(1, cprs=["0101011234x"]),
        sourced(
            2, cprs=[cpr], files=[SourcedFile(name="x.tif", mime_type="image/tiff", content=PDF)]
        ),
        sourced(3, cprs=[cpr]),
    ]

    report = hub.sources.poll("scripted")

    assert (report.received, report.cursor) == (1, "3")
    assert report.refused[0].startswith("scripted:1: cprs.0: ")
    assert report.refused[1].startswith("scripted:2: files[0].mime_type: the file is declared as")
    assert staged_files(hub) == []
    assert hub.sources.poll("scripted").refused == []  # passed for good, not refused again


def test_what_a_source_says_becomes_what_the_intake_knows(hub, source):
    case = a_case(hub)
    cpr = hub.services.cases.snapshot(case.id, "test").parties[0].cpr
    two_variants = [
        SourcedFile(name="brev.pdf", mime_type="application/pdf", content=PDF),
        SourcedFile(name="brev.txt", mime_type="text/plain", content=b"Hej", variant="tekst"),
        SourcedFile(name="bilag.pdf", mime_type="APPLICATION/PDF", content=PDF + b"2"),
    ]
    source.documents = [
        sourced(
            1,
            case_number=case.number,
            files=two_variants,
            caseworker="nobody-known",
            letter_date=datetime(2024, 5, 2, tzinfo=UTC),
            doc_type="Notat",
        ),
        sourced(2, case_number="27.24.00-G01-999-24", cprs=[cpr]),  # a case the hub lacks
    ]

    report = hub.sources.poll("scripted")

    assert report.received == 2 and dict(report.placed) == {PlacementTarget.CASE.value: 2}
    snapshot = hub.services.cases.snapshot(case.id, "test")
    documents = {d.message_id: d for d in snapshot.documents}
    first = documents["scripted:1"]
    assert [(v.name, [p.name for p in v.parts]) for v in first.variants] == [
        ("arkiv", ["brev.pdf", "bilag.pdf"]),
        ("tekst", ["brev.txt"]),
    ]
    assert first.variants[0].parts[1].mime_type == "application/pdf"
    assert (first.letter_date.isoformat(), first.doc_type, first.sender_system) == (
        "2024-05-02",
        "Notat",
        "scripted",
    )
    rules = {p.document_id: p.rule for p in snapshot.placements}
    assert rules[first.id] == "case_reference"
    assert rules[documents["scripted:2"].id] == "party_cpr"


def test_an_unbound_source_is_named(hub):
    with pytest.raises(NotFound, match="no document source named 'other' is bound"):
        hub.sources.poll("other")


def test_the_worker_queues_a_poll_per_turn_and_a_source_that_refuses_for_good_ends_dead(
    hub, source
):
    source.documents = [sourced(1)]
    source.failure, source.fail_before = ExportFailed("login refused", retryable=False), 1

    hub.jobs.run_pending()

    (job,) = hub.jobs.admin.list()
    assert (job.task, job.state, job.attempts) == (POLL_SOURCE, JobState.DEAD, 1)
    assert job.payload == {
        "municipality_id": str(hub.services.municipality.id),
        "source": "scripted",
    }
    assert "login refused" in job.last_error
    hub.jobs.run_pending()  # not its turn again yet ([sources] poll_seconds)
    assert len(hub.jobs.admin.list()) == 1


def test_a_source_has_its_turn_once_per_interval(hub):
    now = [datetime(2025, 1, 6, 8, 0, tzinfo=UTC)]
    database = hub.container.database()
    municipality = hub.services.municipality.id
    schedule = PollSchedule(
        ["scripted", "second"],
        SourceCursors(database.session, municipality, clock=lambda: now[0]),
        database.session,
        hub.container.job_queue(),
        municipality,
        every=timedelta(minutes=5),
    )

    assert schedule.enqueue_due() == ["scripted", "second"]
    now[0] += timedelta(minutes=4)
    assert schedule.enqueue_due() == []
    now[0] += timedelta(minutes=1)
    assert schedule.enqueue_due() == ["scripted", "second"]
    # A poll still waiting is not queued twice: one job per source.
    waiting = hub.jobs.admin.list(state=JobState.TODO)
    assert sorted(job.payload["source"] for job in waiting) == ["scripted", "second"]


class CountingWorker:
    admin = None

    def __init__(self) -> None:
        self.ran = 0

    def run_pending(self) -> None:
        self.ran += 1


def test_a_failing_tick_is_logged_and_the_jobs_still_run(caplog):
    def tick():
        raise ConnectionError("the database is away")

    inner = CountingWorker()
    with caplog.at_level(logging.ERROR):
        TickingWorker(inner, tick, every_seconds=1).run_pending()
    assert inner.ran == 1
    assert "queueing the periodic jobs failed" in caplog.text

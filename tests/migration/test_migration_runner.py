"""The migration loop over the core's real intake service and the in-memory ports."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.migration.dryrun import HashingBlobStore, never_committing
from adapters.migration.items import ItemFile, MigrationItem
from adapters.migration.runner import known_cases_in
from adapters.migration.sources.folder import FolderExport
from adapters.migration.sources.manifest import CsvManifest, JsonLinesManifest
from adapters.migration.sources.plugin import PluginSource
from core.errors import Conflict
from ports.integrations import SourcedDocument, SourcedFile
from tests.migration.helpers import PDF, write

CPR = "0101150123"
OTHER_CPR = "0202150123"


@pytest.fixture
def seeded(hub):
    """A caseworker, a child with one open case, and a manifest of five documents."""
    world = hub.world
    hanne = world.caseworker("hanne")
    child = world.person(CPR)
    case = world.case(child, caseworker=hanne)
    return case


HEADER = "path;cpr;case_number;caseworker;title"


def manifest(tmp_path: Path, rows: list[str], header: str = HEADER, *, create: bool = True):
    """A CSV manifest of ``rows``; ``create`` writes a distinct PDF for each missing path."""
    for row in rows:
        name = row.split(";", 1)[0]
        if create and name and not (tmp_path / name).exists():
            write(tmp_path / name, PDF + name.encode())
    return CsvManifest(write(tmp_path / "old.csv", "\n".join([header, *rows]) + "\n"))


def test_documents_land_by_the_core_rules_and_the_report_says_where(hub, seeded, tmp_path):
    source = manifest(
        tmp_path,
        [
            f"on-case.pdf;;{seeded.number};;Afgørelse",
            f"by-cpr.pdf;{CPR};;;",
            "to-hanne.pdf;;;hanne;",
            "nothing.pdf;;;;",
            f"old-case.pdf;{OTHER_CPR};27.24.00-G01-777-09;;",
        ],
    )
    run = hub.migrate(source, batch_size=2)

    rows = run.by_source()
    assert {k: (v["outcome"], v["target"]) for k, v in rows.items()} == {
        "on-case.pdf": ("placed", "case"),
        "by-cpr.pdf": ("placed", "case"),
        "to-hanne.pdf": ("placed", "caseworker_inbox"),
        "nothing.pdf": ("placed", "common_inbox"),
        "old-case.pdf": ("placed", "common_inbox"),
    }
    assert rows["on-case.pdf"]["case_number"] == seeded.number
    assert rows["by-cpr.pdf"]["case_number"] == seeded.number
    assert rows["old-case.pdf"]["reason"].startswith("case 27.24.00-G01-777-09 is not in the hub; ")
    assert all(row["rule"] and row["message_id"].startswith("mig-") for row in run.rows)
    documents = hub.documents().values()
    assert len(documents) == 5
    assert {d.sender_system for d in documents} == {"migration:old"}
    assert {d.channel.value for d in documents} == {"migration"}
    assert {str(d.id) for d in documents} == {row["document_id"] for row in run.rows}
    titles = {d.title for d in documents}
    assert "Afgørelse" in titles and "nothing" in titles
    assert run.summary.targets["case"] == 2
    assert run.summary.targets["common_inbox"] == 2
    assert not hub.blobs.staged_tokens


def test_no_full_cpr_reaches_the_report(hub, seeded, tmp_path):
    write(tmp_path / CPR / "brev.pdf", PDF)
    write(tmp_path / f"{CPR[:6]}-{CPR[6:]}" / "brev.pdf", PDF + b"2")
    rows = hub.migrate(FolderExport(tmp_path)).rows
    text = json.dumps(rows)
    assert CPR not in text and f"{CPR[:6]}-{CPR[6:]}" not in text
    assert [r["source"] for r in rows] == ["010115-XXXX/brev.pdf"] * 2
    assert [(r["outcome"], r["target"]) for r in rows] == [("placed", "case")] * 2


def test_a_rerun_stores_nothing_twice_and_reports_every_document(hub, seeded, tmp_path):
    source = manifest(tmp_path, [f"a.pdf;{CPR};;;", "b.pdf;;;;", "c.pdf;;;hanne;"])
    first = hub.migrate(source, batch_size=2)
    stored = dict(hub.documents())
    stored_blobs = dict(hub.blobs._stored)

    second = hub.migrate(source, batch_size=2)

    assert dict(hub.documents()) == stored
    assert hub.blobs._stored == stored_blobs
    assert [r["outcome"] for r in second.rows] == ["already_migrated"] * 3
    assert [(r["message_id"], r["target"], r["document_id"]) for r in second.rows] == [
        (r["message_id"], r["target"], r["document_id"]) for r in first.rows
    ]
    assert not hub.blobs.staged_tokens


def test_changed_content_is_a_new_document_and_changed_metadata_a_conflict(hub, tmp_path):
    source = manifest(tmp_path, ["a.pdf;;;;A", "b.pdf;;;;B"])
    hub.migrate(source)
    write(tmp_path / "a.pdf", PDF + b"rescanned")
    source = manifest(tmp_path, ["a.pdf;;;;A", "b.pdf;;;;B (retitled)"])

    run = hub.migrate(source).by_source()

    assert run["a.pdf"]["outcome"] == "placed"
    assert (run["b.pdf"]["outcome"], run["b.pdf"]["skip_reason"]) == ("skipped", "conflict")
    assert len(hub.documents()) == 3


def test_bad_files_are_skipped_with_their_reason_and_the_run_goes_on(hub, tmp_path):
    write(tmp_path / "big.pdf", PDF + b"y" * 5000)
    write(tmp_path / "fake.pdf", b"MZ\x90\x00 an executable")
    write(tmp_path / "virus.exe", b"MZ\x90\x00")
    (tmp_path / "unreadable.pdf").mkdir()  # opening it fails, even for root
    write(tmp_path / "good.pdf", PDF)
    source = manifest(
        tmp_path,
        [
            "missing.pdf;;;;",
            "unreadable.pdf;;;;",
            "big.pdf;;;;",
            "fake.pdf;;;;",
            "virus.exe;;;;",
            "good.pdf;123;;;",
            "good.pdf;;27.24.00;;",
            "good.pdf;;;;",
        ],
        create=False,
    )
    run = hub.migrate(source, max_bytes=1000, batch_size=3)

    reasons = [(r["outcome"], r["skip_reason"]) for r in run.rows]
    assert reasons == [
        ("skipped", "unreadable"),
        ("skipped", "unreadable"),
        ("skipped", "too_large"),
        ("skipped", "refused_type"),
        ("skipped", "refused_type"),
        ("skipped", "invalid_metadata"),
        ("skipped", "invalid_metadata"),
        ("placed", ""),
    ]
    assert "No such file" in run.rows[0]["reason"]
    assert run.rows[2]["reason"] == "big.pdf: the file is larger than 1000 bytes"
    assert "does not begin like one" in run.rows[3]["reason"]
    assert run.rows[4]["reason"] == "virus.exe: files .exe are of no known type"
    assert run.rows[5]["reason"].startswith("cpr: ")
    assert run.rows[6]["reason"].startswith("case_number: ")
    assert len(hub.documents()) == 1
    assert not hub.blobs.staged_tokens
    assert run.summary.skipped["unreadable"] == 2


def test_dry_run_stores_nothing_and_predicts_the_real_run(hub, seeded, tmp_path):
    source = manifest(tmp_path, [f"a.pdf;{CPR};;;", "b.pdf;;;hanne;", "c.pdf;;;;", "d.exe;;;;"])
    before = {name: dict(rows) for name, rows in hub.store.tables.items()}
    dry_intake = hub.intake(never_committing(hub.uow_factory), HashingBlobStore(hub.blobs))

    dry = hub.migrate(
        source, intake=dry_intake, blobs=HashingBlobStore(hub.blobs), dry_run=True, batch_size=2
    )

    assert {name: dict(rows) for name, rows in hub.store.tables.items()} == before
    assert not hub.blobs._stored and not hub.blobs.staged_tokens
    assert [r["outcome"] for r in dry.rows] == ["would_place"] * 3 + ["skipped"]
    assert all(r["document_id"] == "" for r in dry.rows)
    real = hub.migrate(source, batch_size=2)
    assert [(r["target"], r["rule"], r["message_id"]) for r in dry.rows] == [
        (r["target"], r["rule"], r["message_id"]) for r in real.rows
    ]


def test_one_transaction_per_batch(hub, tmp_path):
    commits = []

    def counting(municipality_id):
        uow = hub.uow_factory(municipality_id)
        commit = uow.commit
        uow.commit = lambda: (commits.append(1), commit())
        return uow

    source = manifest(tmp_path, [f"{n}.pdf;;;;" for n in range(7)])
    hub.migrate(source, intake=hub.intake(counting), batch_size=3)
    assert len(commits) == 3
    assert len(hub.documents()) == 7


def test_items_are_pulled_one_batch_at_a_time(hub):
    pulled = []

    class Endless:
        name = "endless"

        def count(self):
            return None

        def items(self) -> Iterator[MigrationItem]:
            n = 0
            while True:
                pulled.append(n)
                if n == 10:
                    raise KeyboardInterrupt  # the third batch is never run
                data = PDF + str(n).encode()
                yield MigrationItem(
                    key=str(n), files=(ItemFile("a.pdf", lambda d=data: io.BytesIO(d)),)
                )
                n += 1

    with pytest.raises(KeyboardInterrupt):
        hub.migrate(Endless(), batch_size=5)
    assert len(pulled) == 11
    assert len(hub.documents()) == 10


def test_json_lines_document_with_two_variants(hub, tmp_path):
    write(tmp_path / "d.pdf", PDF)
    write(tmp_path / "d.docx", b"PK\x03\x04 word")
    line = {
        "source_id": "ACADRE-9",
        "title": "Handleplan",
        "files": [{"path": "d.pdf"}, {"path": "d.docx", "variant": "produktion"}],
    }
    source = JsonLinesManifest(write(tmp_path / "m.jsonl", json.dumps(line) + "\n"))
    run = hub.migrate(source)

    assert run.rows[0]["outcome"] == "placed"
    (document,) = hub.documents().values()
    assert [(v.name, [p.name for p in v.parts]) for v in document.variants] == [
        ("arkiv", ["d.pdf"]),
        ("produktion", ["d.docx"]),
    ]


def test_a_document_source_plugin_is_migrated_and_resumed(hub, seeded):
    class FakeEsdh:
        system_name = "acadre"

        def __init__(self):
            self.cursors = []

        def poll(self, cursor):
            self.cursors.append(cursor)
            for n in range(3):
                document = SourcedDocument(
                    message_id=f"ACADRE-{n}",
                    title=f"Dokument {n}",
                    cprs=[CPR] if n == 0 else [],
                    files=[
                        SourcedFile(
                            name=f"{n}.pdf", mime_type="application/pdf", content=PDF + bytes([n])
                        )
                    ],
                )
                yield document, f"after-{n}"

    esdh = FakeEsdh()
    first = hub.migrate(PluginSource(esdh, cursor="2019-01-01"))
    second = hub.migrate(PluginSource(esdh, cursor="2019-01-01"))

    assert esdh.cursors == ["2019-01-01", "2019-01-01"]
    assert [(r["source"], r["outcome"], r["target"]) for r in first.rows] == [
        ("ACADRE-0", "placed", "case"),
        ("ACADRE-1", "placed", "common_inbox"),
        ("ACADRE-2", "placed", "common_inbox"),
    ]
    assert [r["outcome"] for r in second.rows] == ["already_migrated"] * 3
    assert {d.sender_system for d in hub.documents().values()} == {"migration:acadre"}


def test_each_case_number_is_looked_up_once_not_once_per_batch(hub, seeded, tmp_path):
    asked: list[set[str]] = []
    known = known_cases_in(hub.uow_factory, hub.world.id)

    def counting(numbers):
        asked.append(set(numbers))
        return known(numbers)

    rows = [f"{n}.pdf;;{case};;" for n, case in enumerate([seeded.number, "27.24.00-G01-9-15"] * 3)]
    run = hub.migrate(manifest(tmp_path, rows), batch_size=2, known_cases=counting)
    unknown = "27.24.00-G01-9-15"
    assert asked == [{seeded.number, unknown}, {unknown}, {unknown}]
    targets = [row["target"] for row in run.rows]
    assert targets[::2] == ["case"] * 3
    assert all(
        row["reason"].startswith("case 27.24.00-G01-9-15 is not in the hub")
        for row in run.rows[1::2]
    )


def test_files_the_intake_did_not_store_are_discarded_even_if_it_left_them(hub, tmp_path):
    """Refused and already received documents' files go; nothing is left staged."""

    class Forgetful:
        """An intake that refuses every other document and discards nothing itself."""

        def receive_batch(self, incomings):
            return [
                Conflict("refused") if n % 2 else hub.intake().receive_batch([incoming])[0]
                for n, incoming in enumerate(incomings)
            ]

    source = manifest(tmp_path, [f"{n}.pdf;;;;" for n in range(6)])
    run = hub.migrate(source, intake=Forgetful(), batch_size=3)
    assert [row["skip_reason"] for row in run.rows] == ["", "conflict", ""] * 2
    assert hub.blobs.staged_tokens == frozenset()

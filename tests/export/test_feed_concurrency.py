"""The change feed under concurrent writers: a reader never skips nor repeats a change."""

from __future__ import annotations

import threading
import time

from core.services.cases import CaseService, NewCase
from core.services.changes import ChangeRecorder

WRITERS = 4
CASES = 2
NOTES_EACH = 4


def test_a_reader_following_the_feed_sees_every_change_once_in_order(database, blobs, municipality):
    recorder = ChangeRecorder()

    def slow_recorder(uow, events):
        # Hold the feed between taking a cursor and committing: with cursors from a
        # sequence, a reader would now see a later cursor commit first and skip this one.
        recorder(uow, events)
        time.sleep(0.005)

    factory = database.uow_factory(blobs, before_commit=slow_recorder)
    cases = CaseService(factory, municipality.id)
    new = NewCase(title="Bekymring", kle_subject="27.24.00", handlingsfacet="G01")
    # Two writers per case: they also wait for each other on the case's row.
    case_ids = [cases.create_case(new, "setup").id for _ in range(CASES)]
    total = CASES + WRITERS * NOTES_EACH

    seen: list[int] = []
    pages_done = threading.Event()

    def read() -> None:
        cursor = 0
        while len(seen) < total and not pages_done.is_set():
            with factory(municipality.id) as uow:
                page = uow.history.changes_after(cursor, 3)
            seen.extend(change.cursor for change in page.changes)
            cursor = page.next_cursor
            if not page.changes:
                time.sleep(0.002)

    def write(case_id) -> None:
        for n in range(NOTES_EACH):
            cases.add_journal_note(case_id, f"Note {n}", "tekst", "worker")

    reader = threading.Thread(target=read)
    writers = [threading.Thread(target=write, args=(case_ids[n % CASES],)) for n in range(WRITERS)]
    reader.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    reader.join(timeout=60)
    pages_done.set()

    assert seen == list(range(1, total + 1))
    with factory(municipality.id) as uow:
        page = uow.history.changes_after(0, 1000)
    versions = {
        case_id: [c.version for c in page.changes if c.case_id == case_id] for case_id in case_ids
    }
    notes_per_case = NOTES_EACH * WRITERS // CASES
    assert all(v == list(range(1, notes_per_case + 2)) for v in versions.values())
    times = [c.registered_at for c in page.changes]
    assert times == sorted(times)
    latest = {c.case_id: c for c in page.changes}
    with factory(municipality.id) as uow:
        for case_id, change in latest.items():
            copy = uow.history.as_of(case_id, change.registered_at)
            assert len(copy.journal_notes) == notes_per_case

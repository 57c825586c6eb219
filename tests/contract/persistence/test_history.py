"""Case versions, the change feed and the export ledger (ports.history) on every backend."""

from __future__ import annotations

from core.models import JournalNote
from core.services.snapshots import case_head
from ports.history import CaseDelta

from . import builders


def record(open_uow, case, change: str, *, note: str | None = None, taken_at=None):
    """Commit a version of ``case`` (after adding a journal note titled ``note``)."""
    with open_uow() as uow:
        delta = CaseDelta()
        if note is not None:
            added = JournalNote(
                municipality_id=case.municipality_id, case_id=case.id, title=note, text="x"
            )
            uow.journal.add(added)
            delta = CaseDelta(journal_notes=[added.id])
        uow.history.lock()
        head = case_head(uow, uow.cases.get(case.id))
        if taken_at is not None:
            head = head.model_copy(update={"taken_at": taken_at})
        entry = uow.history.record(head, delta, change)
        uow.commit()
    return entry


def test_versions_are_numbered_per_case_and_cursors_per_municipality(open_uow, world):
    first = record(open_uow, world.case, "created", taken_at=builders.at(1))
    second = record(open_uow, world.case, "journal_note", note="Samtale", taken_at=builders.at(2))
    assert (first.cursor, first.version, second.cursor, second.version) == (1, 1, 2, 2)

    with open_uow() as uow:
        page = uow.history.changes_after(0, 10)
    assert page.changes == [first, second]
    assert (page.next_cursor, page.more) == (2, False)


def test_a_case_as_registered_at_a_moment(open_uow, world):
    record(open_uow, world.case, "created", taken_at=builders.at(1))
    record(open_uow, world.case, "journal_note", note="Samtale", taken_at=builders.at(5))

    with open_uow() as uow:
        before = uow.history.as_of(world.case.id, builders.at(1))
        between = uow.history.as_of(world.case.id, builders.at(4))
        after = uow.history.as_of(world.case.id, builders.at(9))
        too_early = uow.history.as_of(world.case.id, builders.at(0))
    assert before.journal_notes == [] and before.taken_at == builders.at(1)
    assert between == before
    assert [n.title for n in after.journal_notes] == ["Samtale"]
    assert after.case == world.case and after.parties == [world.person]
    assert too_early is None


def test_registration_never_goes_back_in_time(open_uow, world):
    record(open_uow, world.case, "created", taken_at=builders.at(10))
    late = record(open_uow, world.case, "status", taken_at=builders.at(3))
    assert late.registered_at == builders.at(10)
    with open_uow() as uow:
        assert uow.history.as_of(world.case.id, builders.at(10)).taken_at == builders.at(10)


def test_the_feed_pages_and_sees_only_its_municipality(open_uow, uow_factory, world):
    entries = [record(open_uow, world.case, "status", taken_at=builders.at(i)) for i in range(5)]
    other = builders.municipality()
    with uow_factory(other.id) as uow:
        uow.municipalities.add(other)
        uow.commit()

    with open_uow() as uow:
        first = uow.history.changes_after(0, 2)
        rest = uow.history.changes_after(first.next_cursor, 10)
    assert [c.cursor for c in first.changes] == [1, 2] and first.more is True
    assert rest.changes == entries[2:] and rest.more is False
    with uow_factory(other.id) as uow:
        assert uow.history.changes_after(0, 10).changes == []
        assert uow.history.as_of(world.case.id, builders.at(9)) is None


def test_a_version_not_committed_is_not_kept(open_uow, world):
    with open_uow() as uow:
        uow.history.record(case_head(uow, uow.cases.get(world.case.id)), CaseDelta(), "created")
    with open_uow() as uow:
        assert uow.history.changes_after(0, 10).changes == []
    assert record(open_uow, world.case, "created").cursor == 1


def test_the_export_ledger_keeps_one_external_id_per_adapter_and_object(open_uow, world):
    with open_uow() as uow:
        assert uow.exports.external_id("sagsindeks", "case", world.case.id) is None
        uow.exports.remember("sagsindeks", "case", world.case.id, "first")
        uow.exports.remember("esdh", "case", world.case.id, "E-1")
        uow.commit()
    with open_uow() as uow:
        uow.exports.remember("sagsindeks", "case", world.case.id, "second")
        uow.commit()
    with open_uow() as uow:
        assert uow.exports.external_id("sagsindeks", "case", world.case.id) == "second"
        assert uow.exports.external_id("esdh", "case", world.case.id) == "E-1"
        assert uow.exports.external_id("esdh", "document", world.case.id) is None


def test_changes_after_the_last_cursor_is_an_empty_page(open_uow, world):
    entry = record(open_uow, world.case, "created")
    with open_uow() as uow:
        page = uow.history.changes_after(entry.cursor, 10)
    assert (page.changes, page.next_cursor, page.more) == ([], entry.cursor, False)

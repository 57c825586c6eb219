"""A unit of work sees and writes only its own municipality's rows."""

from __future__ import annotations

import pytest

from core.errors import NotAllowed, NotFound
from core.models import AuditEntry, DocumentLink, InboxItem, JournalNote, Notice
from ports.persistence import InboxFilter

from . import builders
from .conftest import add_municipality


@pytest.fixture
def neighbour(uow_factory):
    """Another municipality on the same database."""
    return add_municipality(uow_factory)


@pytest.fixture
def filled(open_uow, world, municipality):
    """The world plus one row of each listed kind, all in the test's municipality."""
    mid = municipality.id
    with open_uow() as uow:
        uow.documents.link(DocumentLink(document_id=world.document.id, case_id=world.case.id))
        uow.inbox.add(
            InboxItem(
                municipality_id=mid,
                document_id=world.document.id,
                caseworker_id=world.caseworker.id,
            )
        )
        uow.journal.add(
            JournalNote(municipality_id=mid, case_id=world.case.id, title="t", text="x")
        )
        uow.notices.add(Notice(municipality_id=mid, caseworker_id=world.caseworker.id, message="m"))
        uow.audit.add(
            AuditEntry(
                municipality_id=mid,
                actor="sara",
                action="read",
                object_type="case",
                object_id=world.case.id,
            )
        )
        uow.commit()
    return world


def test_another_municipality_sees_none_of_the_rows(uow_factory, filled, neighbour):
    world = filled
    with uow_factory(neighbour.id) as uow:
        assert uow.cases.get(world.case.id) is None
        assert uow.cases.get_many([world.case.id]) == []
        assert uow.cases.get_by_number(world.case.number) is None
        assert uow.cases.open_cases_for_party(world.person.id) == []
        assert uow.cases.cases_for_party(world.person.id) == []
        assert uow.cases.list().total == 0
        assert uow.activities.get(world.activity.id) is None
        assert uow.activities.list_for_case(world.case.id) == []
        assert uow.parties.get(world.person.id) is None
        assert uow.parties.get_by_cpr(world.person.cpr) is None
        assert uow.parties.get_by_cvr(world.company.cvr) is None
        assert uow.parties.get_many([world.person.id, world.company.id]) == []
        assert uow.caseworkers.get(world.caseworker.id) is None
        assert uow.caseworkers.get_by_username(world.caseworker.username) is None
        assert uow.caseworkers.list() == []
        assert uow.documents.get(world.document.id) is None
        assert uow.documents.links_for_case(world.case.id) == []
        assert uow.documents.links_for_document(world.document.id) == []
        assert uow.placements.list_for_document(world.document.id) == []
        assert uow.inbox.get_for_document(world.document.id) is None
        assert uow.inbox.list(InboxFilter(status=None)).total == 0
        assert uow.journal.list_for_case(world.case.id) == []
        assert uow.notices.list_for_caseworker(world.caseworker.id) == []
        assert uow.audit.list().total == 0
        assert uow.cases.next_sequence("27.24.00", "G01", 2024) == 1


def test_the_owner_sees_what_the_neighbour_does_not(open_uow, filled):
    with open_uow() as uow:
        assert uow.inbox.list(InboxFilter(status=None)).total == 1
        assert uow.audit.list().total == 1
        assert len(uow.notices.list_for_caseworker(filled.caseworker.id)) == 1


def test_another_municipalitys_rows_cannot_be_changed(uow_factory, world, neighbour):
    notice = Notice(
        municipality_id=world.caseworker.municipality_id,
        caseworker_id=world.caseworker.id,
        message="m",
    )
    with uow_factory(world.case.municipality_id) as uow:
        uow.notices.add(notice)
        uow.commit()
    with uow_factory(neighbour.id) as uow:
        with pytest.raises(NotFound):
            uow.cases.update(world.case.model_copy(update={"municipality_id": neighbour.id}))
        with pytest.raises(NotFound):
            uow.notices.mark_read(notice.id, builders.at(1))


def test_entities_of_another_municipality_cannot_be_added(uow_factory, municipality, neighbour):
    with uow_factory(neighbour.id) as uow:
        with pytest.raises(NotAllowed):
            uow.parties.add(builders.person(municipality.id))
        with pytest.raises(NotAllowed):
            uow.cases.add(builders.case(municipality.id))


def test_the_same_cpr_and_username_may_exist_in_two_municipalities(uow_factory, world, neighbour):
    twin = builders.person(neighbour.id, cpr=world.person.cpr)
    namesake = builders.caseworker(neighbour.id, username=world.caseworker.username)
    with uow_factory(neighbour.id) as uow:
        uow.parties.add(twin)
        uow.caseworkers.add(namesake)
        uow.commit()
    with uow_factory(neighbour.id) as uow:
        assert uow.parties.get_by_cpr(world.person.cpr) == twin
        assert uow.caseworkers.get_by_username(world.caseworker.username) == namesake

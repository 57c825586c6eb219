"""The contract every :class:`ports.integrations.CaseExporter` keeps.

Subclass :class:`CaseExporterContract` in a test module and supply two fixtures::

    class TestMyExporter(CaseExporterContract):
        @pytest.fixture
        def case_exporter(self, my_fake):
            return MyExporter(endpoint=my_fake.url)

        @pytest.fixture
        def case_remote(self, my_fake):
            return MyFakeObserver(my_fake)  # a plugins.contract_kit.remote.CaseRemote

Each test starts from an empty remote system.
"""

from __future__ import annotations

from typing import ClassVar

import pytest

from core.models import CaseStatus
from plugins.contract_kit import samples
from plugins.contract_kit.remote import CaseRemote, RemoteCase
from ports.integrations import CaseExporter


def _only(remote: CaseRemote) -> RemoteCase:
    cases = remote.cases()
    assert len(cases) == 1, f"expected one case copy, the remote holds {len(cases)}"
    return cases[0]


class CaseExporterContract:
    """Create, then update in place; never a second copy of the same case."""

    finds_copy_without_external_id: ClassVar[bool] = True
    """Whether the adapter finds its earlier copy when the hub lost the external id.
    Set it to False only when the remote system cannot be searched."""

    def test_first_export_creates_one_copy(self, case_exporter: CaseExporter, case_remote):
        snapshot = samples.case_snapshot()

        result = case_exporter.export_case(snapshot, external_id=None)

        assert result.created is True
        assert result.external_id
        assert _only(case_remote).external_id == result.external_id

    def test_the_copy_carries_title_classification_and_primary_party(
        self, case_exporter: CaseExporter, case_remote
    ):
        snapshot = samples.case_snapshot(title="Underretning om Ida")

        case_exporter.export_case(snapshot, external_id=None)

        copy = _only(case_remote)
        assert copy.title == "Underretning om Ida"
        assert copy.kle_subject == "27.24.00"
        assert copy.primary_party == samples.CHILD_CPR

    def test_re_export_with_the_external_id_updates_the_same_copy(
        self, case_exporter: CaseExporter, case_remote
    ):
        snapshot = samples.case_snapshot(title="Underretning om Ida")
        first = case_exporter.export_case(snapshot, external_id=None)
        changed = snapshot.model_copy(
            update={"case": snapshot.case.model_copy(update={"title": "Ida: handleplan"})}
        )

        second = case_exporter.export_case(changed, external_id=first.external_id)

        assert second.created is False
        assert second.external_id == first.external_id
        assert _only(case_remote).title == "Ida: handleplan"

    def test_repeating_an_export_changes_nothing(self, case_exporter: CaseExporter, case_remote):
        snapshot = samples.case_snapshot()
        first = case_exporter.export_case(snapshot, external_id=None)
        before = _only(case_remote)

        again = case_exporter.export_case(snapshot, external_id=first.external_id)

        assert (again.external_id, again.created) == (first.external_id, False)
        assert _only(case_remote) == before

    def test_a_closed_case_is_exported_too(self, case_exporter: CaseExporter, case_remote):
        snapshot = samples.case_snapshot(status=CaseStatus.CLOSED)

        result = case_exporter.export_case(snapshot, external_id=None)

        assert _only(case_remote).external_id == result.external_id

    def test_cases_are_kept_apart(self, case_exporter: CaseExporter, case_remote):
        ida = samples.case_snapshot(title="Ida", cpr=samples.CHILD_CPR)
        bo = samples.case_snapshot(title="Bo", cpr=samples.MOTHER_CPR)
        ida_id = case_exporter.export_case(ida, external_id=None).external_id
        bo_id = case_exporter.export_case(bo, external_id=None).external_id
        renamed = bo.model_copy(update={"case": bo.case.model_copy(update={"title": "Bo 2"})})

        case_exporter.export_case(renamed, external_id=bo_id)

        assert ida_id != bo_id
        titles = {c.external_id: c.title for c in case_remote.cases()}
        assert titles == {ida_id: "Ida", bo_id: "Bo 2"}

    def test_documents_and_every_party_come_along(self, case_exporter: CaseExporter, case_remote):
        snapshot = samples.case_snapshot(other_parties=True, documents=2)

        case_exporter.export_case(snapshot, external_id=None)

        copy = _only(case_remote)
        assert copy.primary_party == samples.CHILD_CPR
        assert set(copy.parties) == {samples.CHILD_CPR, samples.MOTHER_CPR, samples.SCHOOL_CVR}

    def test_a_lost_external_id_does_not_duplicate(self, case_exporter: CaseExporter, case_remote):
        if not self.finds_copy_without_external_id:
            pytest.skip("the adapter declares that it cannot find a copy without its id")
        snapshot = samples.case_snapshot()
        first = case_exporter.export_case(snapshot, external_id=None)

        again = case_exporter.export_case(snapshot, external_id=None)

        assert (again.external_id, again.created) == (first.external_id, False)
        assert _only(case_remote).external_id == first.external_id

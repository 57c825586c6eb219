from __future__ import annotations

import json
from uuid import uuid4

import pytest

from core.errors import NotFound
from core.intake import CaseReference
from core.models import CasePartyRole, CaseStatus, PlacementTarget
from core.placement import (
    CaseReferenceRule,
    CaseworkerRule,
    CommonInboxRule,
    PartyCprRule,
    PlacementEngine,
    seed_chain,
)
from core.rules import PlacementContext, PlacementDecision, PlacementPolicy
from core.services.lookup import UowPlacementLookup
from tests.unit.builders import KOEGE_CVR, World, incoming

CPR = "0101901234"
OTHER_CPR = "0202024321"


@pytest.fixture
def decide(uow_factory, world, blobs):
    """Run one rule (or the engine) on a delivery built from ``fields``."""

    def run(rule, policy: PlacementPolicy | None = None, **fields) -> PlacementDecision | None:
        with uow_factory(world.id) as uow:
            context = PlacementContext(
                document=incoming(blobs, **fields),
                lookup=UowPlacementLookup(uow),
                policy=policy or PlacementPolicy(),
            )
            return rule.decide(context)

    return run


def _no_full_cpr(decision: PlacementDecision, *cprs: str) -> None:
    shown = json.dumps(decision.evidence) + decision.reason
    for cpr in cprs:
        assert cpr not in shown


# --- CaseReferenceRule ------------------------------------------------------------------


def test_case_reference_passes_without_a_reference(decide, world):
    assert decide(CaseReferenceRule()) is None
    assert decide(CaseReferenceRule(), case=CaseReference()) is None


def test_case_reference_by_id_places_on_the_case(decide, world):
    case = world.case()
    decision = decide(CaseReferenceRule(), case=CaseReference(case_id=case.id))
    assert decision.target is PlacementTarget.CASE
    assert decision.case_id == case.id and decision.activity_id is None
    assert decision.rule == "case_reference"
    assert decision.evidence["case_number"] == case.number
    assert "closed" not in decision.reason


def test_case_reference_by_number(decide, world):
    world.case()
    case = world.case()
    decision = decide(CaseReferenceRule(), case=CaseReference(case_number=case.number))
    assert (decision.target, decision.case_id) == (PlacementTarget.CASE, case.id)


def test_case_reference_with_id_and_matching_number(decide, world):
    case = world.case()
    ref = CaseReference(case_id=case.id, case_number=case.number)
    assert decide(CaseReferenceRule(), case=ref).case_id == case.id


def test_case_reference_with_id_and_other_number_is_not_found(decide, world):
    case, other = world.case(), world.case()
    ref = CaseReference(case_id=case.id, case_number=other.number)
    with pytest.raises(NotFound) as raised:
        decide(CaseReferenceRule(), case=ref)
    assert raised.value.field == "case"


def test_case_reference_with_activity_on_the_case(decide, world):
    case = world.case()
    activity = world.activity(case)
    ref = CaseReference(case_number=case.number, activity_id=activity.id)
    decision = decide(CaseReferenceRule(), case=ref)
    assert decision.target is PlacementTarget.ACTIVITY
    assert (decision.case_id, decision.activity_id) == (case.id, activity.id)
    assert activity.title in decision.reason


def test_case_reference_with_only_an_activity_uses_its_case(decide, world):
    case = world.case()
    activity = world.activity(case)
    decision = decide(CaseReferenceRule(), case=CaseReference(activity_id=activity.id))
    assert (decision.target, decision.case_id) == (PlacementTarget.ACTIVITY, case.id)


def test_case_reference_to_an_activity_of_another_case_is_not_found(decide, world):
    case, other = world.case(), world.case()
    activity = world.activity(other)
    with pytest.raises(NotFound) as raised:
        decide(CaseReferenceRule(), case=CaseReference(case_id=case.id, activity_id=activity.id))
    assert raised.value.field == "activity"


@pytest.mark.parametrize(
    ("ref", "field"),
    [
        (lambda case: CaseReference(case_id=uuid4()), "case"),
        (lambda case: CaseReference(case_number="27.24.00-G01-1-99"), "case"),
        (lambda case: CaseReference(case_id=case.id, activity_id=uuid4()), "activity"),
        (lambda case: CaseReference(activity_id=uuid4()), "activity"),
    ],
)
def test_unknown_references_are_not_found(decide, world, ref, field):
    case = world.case()
    with pytest.raises(NotFound) as raised:
        decide(CaseReferenceRule(), case=ref(case))
    assert raised.value.field == field


def test_case_reference_to_a_closed_case_still_places_and_says_so(decide, world):
    case = world.case(status=CaseStatus.CLOSED)
    decision = decide(CaseReferenceRule(), case=CaseReference(case_id=case.id))
    assert (decision.target, decision.case_id) == (PlacementTarget.CASE, case.id)
    assert "closed" in decision.reason
    assert decision.evidence["case_status"] == "closed"


def test_case_reference_from_another_municipality_is_not_found(decide, world, uow_factory):
    elsewhere = World(uow_factory, name="Køge Kommune", cvr=KOEGE_CVR).case()
    with pytest.raises(NotFound):
        decide(CaseReferenceRule(), case=CaseReference(case_id=elsewhere.id))


# --- PartyCprRule -----------------------------------------------------------------------


def test_cpr_rule_passes_without_cprs(decide, world):
    assert decide(PartyCprRule(), PlacementPolicy(create_case_for_unknown_party=True)) is None


def test_cpr_rule_places_on_the_one_open_case(decide, world):
    party = world.person(CPR)
    world.case(party, status=CaseStatus.CLOSED)
    case = world.case(party)
    decision = decide(PartyCprRule(), cprs=[CPR])
    assert (decision.target, decision.case_id) == (PlacementTarget.CASE, case.id)
    assert decision.rule == "party_cpr"
    assert decision.evidence["cpr"] == "010190-XXXX"
    _no_full_cpr(decision, CPR)


def test_cpr_rule_uses_the_first_cpr_that_has_a_party(decide, world):
    party = world.person(CPR)
    case = world.case(party)
    decision = decide(PartyCprRule(), cprs=[OTHER_CPR, CPR])
    assert decision.case_id == case.id
    _no_full_cpr(decision, CPR, OTHER_CPR)


def test_cpr_rule_counts_only_cases_where_the_party_is_primary(decide, world):
    party = world.person(CPR)
    world.case(party, role=CasePartyRole.OTHER)
    case = world.case(party)
    assert decide(PartyCprRule(), cprs=[CPR]).case_id == case.id


def test_several_open_cases_go_to_the_named_caseworker_with_candidates(decide, world):
    party = world.person(CPR)
    first, second = world.case(party), world.case(party)
    worker = world.caseworker("hanne")
    decision = decide(PartyCprRule(), cprs=[CPR], caseworker="hanne")
    assert decision.target is PlacementTarget.CASEWORKER_INBOX
    assert decision.caseworker_id == worker.id
    assert decision.candidate_case_ids == [first.id, second.id]
    _no_full_cpr(decision, CPR)


@pytest.mark.parametrize("named", [None, "nobody", "retired"])
def test_several_open_cases_without_a_usable_caseworker_go_to_the_common_inbox(
    decide, world, named
):
    party = world.person(CPR)
    first, second = world.case(party), world.case(party)
    world.caseworker("retired", active=False)
    decision = decide(PartyCprRule(), cprs=[CPR], caseworker=named)
    assert decision.target is PlacementTarget.COMMON_INBOX
    assert decision.caseworker_id is None
    assert decision.candidate_case_ids == [first.id, second.id]


def test_no_open_case_and_policy_makes_a_new_case_for_the_party(decide, world):
    party = world.person(CPR)
    world.case(party, status=CaseStatus.CLOSED)
    policy = PlacementPolicy(create_case_for_unknown_party=True)
    decision = decide(PartyCprRule(), policy, cprs=[CPR])
    assert decision.target is PlacementTarget.NEW_CASE
    assert decision.new_case_party_cpr == CPR
    assert decision.caseworker_id is None
    _no_full_cpr(decision, CPR)


def test_unknown_party_with_create_case_flag_makes_a_new_case(decide, world):
    worker = world.caseworker("hanne")
    decision = decide(PartyCprRule(), cprs=[OTHER_CPR], create_case=True, caseworker="hanne")
    assert decision.target is PlacementTarget.NEW_CASE
    assert decision.new_case_party_cpr == OTHER_CPR
    assert decision.caseworker_id == worker.id
    assert "sender asked" in decision.reason


@pytest.mark.parametrize("known_party", [True, False])
def test_no_open_case_without_policy_passes(decide, world, known_party):
    if known_party:
        world.person(CPR)
    assert decide(PartyCprRule(), cprs=[CPR]) is None


# --- CaseworkerRule and CommonInboxRule ------------------------------------------------


def test_caseworker_rule_places_in_the_active_caseworkers_inbox(decide, world):
    worker = world.caseworker("hanne")
    decision = decide(CaseworkerRule(), caseworker="hanne")
    assert decision.target is PlacementTarget.CASEWORKER_INBOX
    assert decision.caseworker_id == worker.id
    assert decision.rule == "caseworker"


@pytest.mark.parametrize("named", [None, "nobody", "retired"])
def test_caseworker_rule_passes_without_an_active_caseworker(decide, world, named):
    world.caseworker("retired", active=False)
    assert decide(CaseworkerRule(), caseworker=named) is None


def test_common_inbox_always_decides(decide, world):
    decision = decide(CommonInboxRule(), cprs=[CPR], caseworker="nobody")
    assert decision.target is PlacementTarget.COMMON_INBOX
    assert decision.rule == "common_inbox"


# --- the chain --------------------------------------------------------------------------


class _Fixed:
    """A contributed rule that decides as told and remembers that it was asked."""

    def __init__(self, name: str, target: PlacementTarget | None) -> None:
        self.name = name
        self.target = target
        self.asked = 0

    def decide(self, context: PlacementContext) -> PlacementDecision | None:
        self.asked += 1
        if self.target is None:
            return None
        return PlacementDecision(target=self.target, rule=self.name, reason="fixed")


def test_seed_chain_order_with_contributed_rules():
    a, b = _Fixed("a", None), _Fixed("b", None)
    names = [rule.name for rule in seed_chain([a, b])]
    assert names == ["case_reference", "a", "b", "party_cpr", "caseworker", "common_inbox"]
    assert [r.name for r in seed_chain()] == [
        "case_reference",
        "party_cpr",
        "caseworker",
        "common_inbox",
    ]


def test_a_contributed_rule_wins_over_the_cpr_rule(decide, world):
    party = world.person(CPR)
    world.case(party)
    contributed = _Fixed("reply", PlacementTarget.COMMON_INBOX)
    decision = decide(PlacementEngine(seed_chain([contributed])), cprs=[CPR])
    assert decision.rule == "reply"


def test_the_case_reference_wins_over_a_contributed_rule(decide, world):
    case = world.case()
    contributed = _Fixed("reply", PlacementTarget.COMMON_INBOX)
    engine = PlacementEngine(seed_chain([contributed]))
    decision = decide(engine, case=CaseReference(case_id=case.id))
    assert decision.rule == "case_reference"
    assert contributed.asked == 0


def test_the_first_decision_wins_and_later_rules_are_not_asked(decide, world):
    first, later = _Fixed("first", PlacementTarget.COMMON_INBOX), _Fixed("later", None)
    engine = PlacementEngine([first, later, CommonInboxRule()])
    assert decide(engine).rule == "first"
    assert later.asked == 0


def test_the_chain_falls_through_to_the_common_inbox(decide, world):
    passing = _Fixed("passing", None)
    decision = decide(PlacementEngine(seed_chain([passing])), cprs=[CPR], caseworker="nobody")
    assert decision.rule == "common_inbox"
    assert passing.asked == 1


def test_a_wrong_reference_stops_the_chain(decide, world):
    with pytest.raises(NotFound):
        decide(PlacementEngine(seed_chain()), case=CaseReference(case_id=uuid4()))


@pytest.mark.parametrize(
    "rules",
    [[], [CaseReferenceRule()], [CommonInboxRule(), CaseworkerRule()]],
)
def test_a_chain_must_end_with_the_common_inbox(rules):
    with pytest.raises(ValueError, match="CommonInboxRule"):
        PlacementEngine(rules)

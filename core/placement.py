"""The placement engine: an ordered chain of rules, the first decision wins.

The seed chain (see DESIGN.md, flow 1) is: an explicit case reference, then the
rules plugins contribute (correlations that beat a guess from the party), then
the party's CPR number, then a known caseworker, and last the common inbox,
which always decides, so every document lands somewhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.errors import NotFound
from core.intake import CaseReference
from core.models import Activity, Case, CaseStatus, Caseworker, PlacementTarget
from core.rules import PlacementContext, PlacementDecision, PlacementLookup, PlacementRule
from core.values import mask_cpr


def _case_evidence(case: Case) -> dict[str, str]:
    return {"case_id": str(case.id), "case_number": case.number, "case_status": case.status.value}


def _closed_note(case: Case) -> str:
    return " (the case is closed)" if case.status is CaseStatus.CLOSED else ""


def _active_caseworker(context: PlacementContext) -> Caseworker | None:
    """The caseworker the sender named, if that username exists and is active.

    An inactive caseworker's inbox is read by nobody, so such a name counts as unknown.
    """
    username = context.document.caseworker
    if not username:
        return None
    caseworker = context.lookup.caseworker(username)
    return caseworker if caseworker is not None and caseworker.active else None


class CaseReferenceRule:
    """The sender named the case (by uuid or number) and maybe the activity.

    An explicit reference that does not resolve raises :class:`NotFound`: the sender
    told us where the document belongs, so guessing elsewhere would hide their mistake.
    A closed case still receives the document; the reason says it is closed.
    """

    name = "case_reference"

    def decide(self, context: PlacementContext) -> PlacementDecision | None:
        ref = context.document.case
        if ref is None or (ref.case_id, ref.case_number, ref.activity_id) == (None, None, None):
            return None
        lookup: PlacementLookup = context.lookup
        activity = self._activity(ref, lookup)
        case = self._case(ref, lookup, activity)
        if activity is not None and activity.case_id != case.id:
            raise NotFound(
                f"activity {ref.activity_id} is not on case {case.number}", field="activity"
            )
        evidence = _case_evidence(case)
        if activity is None:
            return PlacementDecision(
                target=PlacementTarget.CASE,
                rule=self.name,
                reason=f"the sender named case {case.number}{_closed_note(case)}",
                case_id=case.id,
                evidence=evidence,
            )
        return PlacementDecision(
            target=PlacementTarget.ACTIVITY,
            rule=self.name,
            reason=(
                f"the sender named activity '{activity.title}' on case {case.number}"
                f"{_closed_note(case)}"
            ),
            case_id=case.id,
            activity_id=activity.id,
            evidence={**evidence, "activity_id": str(activity.id)},
        )

    @staticmethod
    def _activity(ref: CaseReference, lookup: PlacementLookup) -> Activity | None:
        if ref.activity_id is None:
            return None
        activity = lookup.activity(ref.activity_id)
        if activity is None:
            raise NotFound(f"no activity has id {ref.activity_id}", field="activity")
        return activity

    @staticmethod
    def _case(ref: CaseReference, lookup: PlacementLookup, activity: Activity | None) -> Case:
        """The referenced case. With only an activity named, that activity's case."""
        if ref.case_id is not None:
            case = lookup.case_by_id(ref.case_id)
        elif ref.case_number is not None:
            case = lookup.case_by_number(ref.case_number)
        else:
            case = lookup.case_by_id(activity.case_id) if activity else None
        named = " and ".join(str(v) for v in (ref.case_id, ref.case_number) if v is not None)
        if case is None:
            raise NotFound(f"no case {named or 'for that activity'}", field="case")
        if ref.case_number is not None and case.number != ref.case_number:
            raise NotFound(f"no case matches both {named}", field="case")
        return case


class PartyCprRule:
    """The document names a person we know: their one open case, or a choice for a person."""

    name = "party_cpr"

    def decide(self, context: PlacementContext) -> PlacementDecision | None:
        document = context.document
        if not document.cprs:
            return None
        lookup: PlacementLookup = context.lookup
        party = next((p for p in map(lookup.party_by_cpr, document.cprs) if p is not None), None)
        cpr = party.cpr if party is not None else document.cprs[0]
        evidence: dict = {"cpr": mask_cpr(cpr)}
        open_cases = lookup.open_cases_for_party(party.id) if party is not None else []
        if party is not None:
            evidence |= {
                "party_id": str(party.id),
                "open_case_ids": [str(c.id) for c in open_cases],
            }
        if len(open_cases) == 1:
            case = open_cases[0]
            return PlacementDecision(
                target=PlacementTarget.CASE,
                rule=self.name,
                reason=f"the party {mask_cpr(cpr)} has one open case, {case.number}",
                case_id=case.id,
                evidence=evidence | _case_evidence(case),
            )
        if open_cases:
            return self._choose(context, cpr, open_cases, evidence)
        if context.policy.create_case_for_unknown_party or document.create_case:
            return self._new_case(context, cpr, evidence)
        return None

    def _choose(
        self, context: PlacementContext, cpr: str, cases: list[Case], evidence: dict
    ) -> PlacementDecision:
        """Several open cases: a person must choose, the named caseworker if there is one."""
        candidates = [c.id for c in cases]
        caseworker = _active_caseworker(context)
        counted = f"the party {mask_cpr(cpr)} has {len(cases)} open cases"
        if caseworker is not None:
            return PlacementDecision(
                target=PlacementTarget.CASEWORKER_INBOX,
                rule=self.name,
                reason=f"{counted}; caseworker {caseworker.username} chooses",
                caseworker_id=caseworker.id,
                candidate_case_ids=candidates,
                evidence=evidence | {"caseworker": caseworker.username},
            )
        return PlacementDecision(
            target=PlacementTarget.COMMON_INBOX,
            rule=self.name,
            reason=f"{counted} and no known caseworker was named",
            candidate_case_ids=candidates,
            evidence=evidence,
        )

    def _new_case(self, context: PlacementContext, cpr: str, evidence: dict) -> PlacementDecision:
        caseworker = _active_caseworker(context)
        why = "the sender asked" if context.document.create_case else "the municipality's policy"
        return PlacementDecision(
            target=PlacementTarget.NEW_CASE,
            rule=self.name,
            reason=f"the party {mask_cpr(cpr)} has no open case; a new case ({why})",
            caseworker_id=caseworker.id if caseworker is not None else None,
            new_case_party_cpr=cpr,
            evidence=evidence | {"new_case_because": why},
        )


class CaseworkerRule:
    """Only a caseworker is known: their inbox (the intake also sends them a notice)."""

    name = "caseworker"

    def decide(self, context: PlacementContext) -> PlacementDecision | None:
        caseworker = _active_caseworker(context)
        if caseworker is None:
            return None
        return PlacementDecision(
            target=PlacementTarget.CASEWORKER_INBOX,
            rule=self.name,
            reason=f"the sender named caseworker {caseworker.username}",
            caseworker_id=caseworker.id,
            evidence={"caseworker": caseworker.username},
        )


class CommonInboxRule:
    """Nothing identified a case or a caseworker: the common inbox. Always decides."""

    name = "common_inbox"

    def decide(self, context: PlacementContext) -> PlacementDecision:
        return PlacementDecision(
            target=PlacementTarget.COMMON_INBOX,
            rule=self.name,
            reason="nothing in the document identified a case or a caseworker",
        )


def seed_chain(contributed: Sequence[PlacementRule] = ()) -> list[PlacementRule]:
    """The seed rules with plugin-contributed rules after the case reference."""
    return [CaseReferenceRule(), *contributed, PartyCprRule(), CaseworkerRule(), CommonInboxRule()]


class PlacementEngine:
    """Asks the rules in order; the first decision wins."""

    def __init__(self, rules: Sequence[PlacementRule]) -> None:
        if not rules or not isinstance(rules[-1], CommonInboxRule):
            raise ValueError(
                "a placement chain must end with CommonInboxRule, the rule that always decides; "
                "build it with core.placement.seed_chain()"
            )
        self.rules = list(rules)
        self._last: CommonInboxRule = rules[-1]

    def decide(self, context: PlacementContext) -> PlacementDecision:
        for rule in self.rules[:-1]:
            decision = rule.decide(context)
            if decision is not None:
                return decision
        return self._last.decide(context)

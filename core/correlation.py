"""Correlation rules: a document that names its case in words people keep, not in metadata.

:class:`CaseTagRule` places an e-mail whose subject carries a case tag
(``[sag 27.24.00-G01-5-24]``, as the hub's ``mailto:`` links write it) on that case.
It is contributed through the ``sagshub_placement_rules`` hook by the hub's built-in
plugin, so it runs where the hookspec puts correlations: after an explicit case
reference, before the guess from the party's CPR number.
"""

from __future__ import annotations

from core.letters import case_numbers_tagged
from core.models import CaseStatus, PlacementTarget
from core.rules import PlacementContext, PlacementDecision


class CaseTagRule:
    """The subject names a case by its tag: that case, if the municipality has it.

    A tag naming no known case passes the document on (a citizen may mistype it); a
    subject with tags of several known cases is left to the next rules, since choosing
    one would be a guess.
    """

    name = "case_tag"

    def decide(self, context: PlacementContext) -> PlacementDecision | None:
        subject = context.document.subject_hint
        if not subject:
            return None
        cases = [context.lookup.case_by_number(number) for number in case_numbers_tagged(subject)]
        known = [case for case in cases if case is not None]
        if len(known) != 1:
            return None
        case = known[0]
        closed = " (the case is closed)" if case.status is CaseStatus.CLOSED else ""
        return PlacementDecision(
            target=PlacementTarget.CASE,
            rule=self.name,
            reason=f"the subject carries the tag of case {case.number}{closed}",
            case_id=case.id,
            evidence={"case_id": str(case.id), "case_number": case.number, "tag_in": "subject"},
        )

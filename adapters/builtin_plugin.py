"""The hub's own plugin (entry point ``builtin``, always enabled).

It is registered through the same entry-point group as any vendor's plugin, so
nothing about the built-in adapters is special-cased. It offers only what every
deployment can use without configuration: the ``none`` notifier, and the case-tag
placement rule (:class:`core.correlation.CaseTagRule`), which puts e-mails whose subject
carries a case tag on that case. The rule is contributed here rather than written into
the seed chain because it is a correlation, and the hook is where correlations go: after
an explicit reference, before the CPR guess, in pluggy's order with the plugins' rules
(the Digital Post reply rule among them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from core.correlation import CaseTagRule
from core.models import Caseworker, Notice
from core.rules import PlacementRule
from ports.hookspecs import RegisterAdapter, hookimpl


class NoNotifier:
    """Tells nobody anything: the notice the core already stored is all the caseworker gets."""

    def notify(self, caseworker: Caseworker, notice: Notice) -> None:
        return None


def _no_notifier(settings: BaseModel | None, services: Any) -> NoNotifier:
    return NoNotifier()


@hookimpl
def sagshub_register_adapters(register: RegisterAdapter) -> None:
    register("notifier", "none", _no_notifier)


@hookimpl
def sagshub_placement_rules() -> Sequence[PlacementRule]:
    return [CaseTagRule()]

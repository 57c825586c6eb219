"""The hub's own plugin (entry point ``builtin``, always enabled).

It is registered through the same entry-point group as any vendor's plugin, so
nothing about the built-in adapters is special-cased. It offers only what every
deployment can use without configuration: the ``none`` notifier.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from core.models import Caseworker, Notice
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

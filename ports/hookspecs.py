"""The sagshub plugin hooks (pluggy project ``sagshub``).

A plugin is a module or object with functions marked ``@hookimpl`` whose names
are the hooks below. Installed plugins announce themselves through the
``sagshub`` entry-point group; only those named in the municipality's
``[plugins] enabled`` list are loaded (the rest are blocked). Vendors import
``hookimpl`` from here and nothing else from the hub.

Example::

    from ports.hookspecs import hookimpl

    @hookimpl
    def sagshub_register_adapters(register):
        register("case_export", "myesdh", MyExporter, MySettings)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import pluggy
from pydantic import BaseModel

from core.events import CaseChanged, DocumentPlaced, DocumentReceived
from core.rules import PlacementRule
from ports.services import HubServices

PROJECT_NAME = "sagshub"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


class AdapterFactory(Protocol):
    """Builds an adapter from its validated settings and the hub's shared services.

    ``services`` is the hub's :class:`ports.services.HubServices`.
    """

    def __call__(self, settings: BaseModel, services: Any) -> Any: ...


class RegisterAdapter(Protocol):
    def __call__(
        self,
        port: str,
        name: str,
        factory: AdapterFactory,
        settings_model: type[BaseModel] | None = None,
    ) -> None: ...


@hookspec
def sagshub_register_adapters(register: RegisterAdapter) -> None:
    """Register the adapters this plugin offers, one ``register`` call each.

    :param register: ``register(port, name, factory, settings_model)``.

        - ``port``: a port name the hub knows (``case_export``, ``document_export``,
          ``document_source``, ``letters``, ``archive``, ``notifier``); an unknown
          port stops start-up.
        - ``name``: how the municipality's ``[ports]`` table refers to the adapter.
        - ``factory``: called once at start-up as ``factory(settings, services)``.
        - ``settings_model``: a pydantic model for the plugin's ``[plugins.<plugin>]``
          block; the block is validated before the factory runs. ``None`` when the
          adapter takes no settings.

    The hub checks each registration as it is made (port known, name unique).

    .. versionadded:: 0.1
    """


@hookspec
def sagshub_placement_rules() -> Sequence[PlacementRule]:
    """Contribute placement rules.

    Contributed rules run after the explicit case-reference rule and before the
    CPR rule, so a correlation (a reply to our letter, an e-mail with a case tag)
    wins over a guess from the party. Among plugins, order follows pluggy's call
    order (``tryfirst``/``trylast`` on the implementation).

    :return: rules implementing :class:`core.rules.PlacementRule`.

    .. versionadded:: 0.1
    """
    return ()


@hookspec
def sagshub_document_received(event: DocumentReceived) -> None:
    """Called after a document was accepted and committed.

    Runs after the transaction; an exception here is logged and does not undo
    the intake.

    .. versionadded:: 0.1
    """


@hookspec
def sagshub_document_placed(event: DocumentPlaced) -> None:
    """Called after a document's placement was committed (by a rule or by hand).

    .. versionadded:: 0.1
    """


@hookspec
def sagshub_case_changed(event: CaseChanged) -> None:
    """Called after a change to a case was committed.

    .. versionadded:: 0.1
    """


@hookspec
def sagshub_startup(services: Any) -> None:
    """Called once when the hub has been built and bound, before it serves.

    :param services: the hub's shared services (see :class:`AdapterFactory`).

    .. versionadded:: 0.1
    """


@hookspec
def sagshub_route_handlers() -> Sequence[Callable[..., Any]]:
    """Contribute HTTP route handlers (Litestar handlers or routers) mounted by the hub.

    Used by plugins that receive callbacks (e.g. Digital Post receipts).

    .. versionadded:: 0.1
    """
    return ()


@hookspec
def sagshub_register_commands(cli: Any, services: Callable[[], HubServices]) -> None:
    """Add sub-commands to the ``sagshub`` command line.

    :param cli: the root ``typer.Typer`` application; add commands or sub-apps to it
        (``cli.add_typer(archive_app, name="archive")``).
    :param services: builds the hub from the configuration when called, and returns
        its :class:`ports.services.HubServices`. Call it inside the command, not at
        registration: the configuration is read only when a command runs.

    .. versionadded:: 0.1
    """

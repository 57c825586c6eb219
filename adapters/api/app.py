"""The Litestar application factory.

The composition root (``hub.create_app``) hands in what the app serves; this
module knows nothing of the container. Every error leaves as RFC 9457 problem
JSON (see :mod:`adapters.api.problems`); the OpenAPI document is at ``/schema``.
Logging is left to whoever runs the app (``sagshub serve`` masks CPR numbers).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from litestar import Litestar, Response, get
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from pydantic import BaseModel, Field

from adapters.api.problems import EXCEPTION_HANDLERS

log = logging.getLogger(__name__)


class HealthReport(BaseModel):
    """Whether the hub can serve: the database answers and carries the schema."""

    status: str = Field(default="ok", description="ok | unavailable")
    version: str
    database_revision: str | None = Field(description="the alembic revision of the database")
    migrated: bool


def health_handler(health: Callable[[], HealthReport], version: str) -> Any:
    @get("/health", sync_to_thread=True, summary="Is the hub up and its database migrated?")
    def health_check() -> Response[HealthReport]:
        try:
            report = health()
        except Exception as exc:
            log.warning("health check: the database did not answer (%s)", type(exc).__name__)
            report = HealthReport(version=version, database_revision=None, migrated=False)
        if not report.migrated:
            report = report.model_copy(update={"status": "unavailable"})
        return Response(report, status_code=200 if report.migrated else 503)

    return health_check


def build_app(
    *,
    title: str,
    version: str,
    health: Callable[[], HealthReport],
    route_handlers: Sequence[Any] = (),
    dependencies: Mapping[str, Provide] | None = None,
    on_startup: Sequence[Callable[[], Any]] = (),
    on_shutdown: Sequence[Callable[[], Any]] = (),
) -> Litestar:
    """The HTTP app: ``/health``, the OpenAPI page at ``/schema`` and the given handlers.

    ``dependencies`` are app-level (``caller``, which authentication provides)."""
    return Litestar(
        route_handlers=[health_handler(health, version), *route_handlers],
        openapi_config=OpenAPIConfig(title=title, version=version, path="/schema"),
        exception_handlers=EXCEPTION_HANDLERS,
        dependencies=dict(dependencies or {}),
        on_startup=list(on_startup),
        on_shutdown=list(on_shutdown),
        logging_config=None,
    )

"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error response of the API has the members ``type``, ``title``, ``status``
and ``detail``; a domain error about one field adds ``field``, a request that
failed validation adds ``errors`` (one ``{"field", "message"}`` per failure).
Unexpected errors become a 500 problem that reveals nothing of the internals;
they are logged with anything like a CPR number masked.
"""

from __future__ import annotations

import logging
import re
import traceback
from http import HTTPStatus
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from adapters.redaction import redact_cpr
from core.errors import Conflict, DomainError, InvalidValue, NotAllowed, NotFound, PayloadRejected

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "urn:sagshub:problem:"

STATUS_OF: dict[type[DomainError], int] = {
    InvalidValue: 422,
    NotFound: 404,
    Conflict: 409,
    NotAllowed: 403,
    PayloadRejected: 413,
    DomainError: 400,
}
"""The status of each domain error; a subclass takes the status of its nearest listed base."""


def problem(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    title: str | None = None,
    **extensions: Any,
) -> Response[dict[str, Any]]:
    """A problem+json response. ``kind`` names the problem type (default: from the status)."""
    phrase = HTTPStatus(status).phrase
    slug = kind or phrase.lower().replace(" ", "-").replace("'", "")
    body = {
        "type": TYPE_BASE + slug,
        "title": title or phrase,
        "status": status,
        "detail": detail,
        **{key: value for key, value in extensions.items() if value is not None},
    }
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def status_of(error: DomainError) -> int:
    return next(STATUS_OF[cls] for cls in type(error).__mro__ if cls in STATUS_OF)


def _kind(error: DomainError) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", type(error).__name__).lower()


def domain_error(_: Request, exc: DomainError) -> Response[dict[str, Any]]:
    return problem(status_of(exc), exc.message, kind=_kind(exc), title=exc.title, field=exc.field)


def validation_error(_: Request, exc: ValidationException) -> Response[dict[str, Any]]:
    errors = [
        {
            "field": ".".join(str(part) for part in (_source(item), item.get("key")) if part),
            "message": item.get("message", ""),
        }
        for item in exc.extra or []
        if isinstance(item, dict)
    ]
    return problem(400, "the request is not valid", kind="validation-error", errors=errors)


def _source(item: dict[str, Any]) -> str:
    source = item.get("source")
    return str(getattr(source, "value", source) or "body")


def http_error(_: Request, exc: HTTPException) -> Response[dict[str, Any]]:
    return problem(exc.status_code, exc.detail)


def unexpected_error(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    text = "".join(traceback.format_exception(exc))
    log.error(redact_cpr(f"unexpected error on {request.method} {request.url.path}\n{text}"))
    return problem(500, "the server could not complete the request; it has been logged")


EXCEPTION_HANDLERS = {
    DomainError: domain_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    Exception: unexpected_error,
}

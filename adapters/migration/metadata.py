"""The metadata a migrated document may carry, and its validation.

Sources hand over raw values (strings from a CSV row, JSON values from a
JSON-lines manifest or a folder's metadata file); :func:`parse_metadata`
turns them into a :class:`DocumentMetadata` or raises :class:`InvalidMetadata`
naming the field. The field names are the manifest's columns (``docs/migration.md``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import DomainError
from core.values import CaseNumber, Cpr, Cvr

METADATA_FIELDS = frozenset(
    {
        "source_id",
        "title",
        "cpr",
        "cvr",
        "case_number",
        "caseworker",
        "letter_date",
        "document_type",
        "document_number",
        "sensitivity",
    }
)
"""Columns that describe the document (a manifest adds ``path``, ``variant``, ``mime_type``)."""

_LIST_SEPARATOR = re.compile(r"[;,\s]+")
_DANISH_DATE = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")


class InvalidMetadata(ValueError):
    """A document's metadata cannot be used; ``str()`` names the field and the problem."""


class DocumentMetadata(BaseModel):
    """Validated metadata of one migrated document. Absent values are ``None``/empty."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source_id: str | None = Field(default=None, max_length=1000)
    title: str | None = Field(default=None, min_length=1, max_length=500)
    cpr: list[Cpr] = Field(default_factory=list)
    cvr: list[Cvr] = Field(default_factory=list)
    case_number: CaseNumber | None = None
    caseworker: str | None = Field(default=None, min_length=1, max_length=64)
    letter_date: date | None = None
    document_type: str | None = Field(default=None, min_length=1, max_length=100)
    document_number: str | None = Field(default=None, max_length=100)
    sensitivity: str | None = Field(default=None, max_length=50)

    @field_validator("cpr", "cvr", mode="before")
    @classmethod
    def _split_list(cls, value: Any) -> Any:
        """``"0101901234;0202902345"`` (or one value) becomes a list."""
        if isinstance(value, str):
            return [v for v in _LIST_SEPARATOR.split(value) if v]
        return value

    @field_validator("letter_date", mode="before")
    @classmethod
    def _danish_date(cls, value: Any) -> Any:
        """Accept ``DD-MM-YYYY``/``DD.MM.YYYY`` as old Danish exports write it, besides ISO."""
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, str) and (match := _DANISH_DATE.match(value.strip())):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return value


def parse_metadata(raw: Mapping[str, Any]) -> DocumentMetadata:
    """Validate raw metadata; empty strings count as absent.

    :raises InvalidMetadata: with the first failing field and the reason.
    """
    cleaned = {
        key: value.strip() if isinstance(value, str) else value
        for key, value in raw.items()
        if value is not None and not (isinstance(value, str) and not value.strip())
    }
    try:
        return DocumentMetadata.model_validate(cleaned)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "metadata"
        cause = error.get("ctx", {}).get("error")
        message = cause.message if isinstance(cause, DomainError) else error["msg"]
        raise InvalidMetadata(f"{field}: {message.removeprefix('Value error, ')}") from None

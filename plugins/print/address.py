"""Postal addresses for remote print: structured, or up to six lines of at most 34 characters."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from core.errors import InvalidValue
from core.models import Party

MAX_LINE = 34
MAX_LINES = 6
MAX_NAME = 130
_POSTCODE = re.compile(r"^(\d{4})\b")
_BUILDING = re.compile(r"^[1-9]\d{0,2}[A-Z]?$")


class StructuredAddress(BaseModel):
    """A Danish address in its parts (the ``dkcc`` elements of ForsendelseI)."""

    street: str = Field(min_length=1, max_length=40)
    building: str = Field(description="house number with an optional capital letter, e.g. 7A")
    floor: str | None = None
    suite: str | None = Field(default=None, max_length=4)
    postcode: str = Field(pattern=r"^\d{4}$")
    co_name: str | None = Field(default=None, max_length=MAX_NAME)


class PostalAddress(BaseModel):
    """Who and where: a name and either a structured address or address lines."""

    name: str
    structured: StructuredAddress | None = None
    lines: list[str] = Field(default_factory=list)
    postcode: str | None = None
    country: str = Field(default="DK", pattern=r"^[A-Z]{2}$")


def checked_address(address: PostalAddress, *, field: str) -> PostalAddress:
    """``address`` if it can be printed on an envelope; a clear error naming the field if not."""
    name = address.name.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidValue(f"a name of 1 to {MAX_NAME} characters is needed", field=f"{field}.name")
    if address.structured is not None:
        if not _BUILDING.match(address.structured.building):
            raise InvalidValue(
                "a house number is 1-999 with an optional capital letter",
                field=f"{field}.building",
            )
        return address
    lines = [line.strip() for line in address.lines]
    if not lines or not any(lines):
        raise InvalidValue("the recipient has no postal address", field=f"{field}.address_lines")
    if len(lines) > MAX_LINES:
        raise InvalidValue(f"at most {MAX_LINES} address lines", field=f"{field}.address_lines")
    for i, line in enumerate(lines):
        if not line:
            raise InvalidValue("an address line is empty", field=f"{field}.address_lines[{i}]")
        if len(line) > MAX_LINE:
            raise InvalidValue(
                f"an address line has at most {MAX_LINE} characters (has {len(line)})",
                field=f"{field}.address_lines[{i}]",
            )
    postcode = address.postcode
    if postcode is None and (match := _POSTCODE.match(lines[-1])):
        postcode = match.group(1)
    return address.model_copy(update={"name": name, "lines": lines, "postcode": postcode})


def address_of(party: Party) -> PostalAddress:
    """The party's postal address from its name and address lines, checked."""
    return checked_address(
        PostalAddress(name=party.name, lines=list(party.address_lines)), field="recipient"
    )

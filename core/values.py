"""Validated value types of Danish public administration.

Each type is a ``str`` annotated with a validator, so it works as a pydantic
field and as a plain function (``parse_cpr("0101901234")``). A bad value raises
:class:`core.errors.InvalidValue` with a message a caseworker understands.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator

from core.errors import InvalidValue

_CPR = re.compile(r"^(\d{2})(\d{2})(\d{2})-?(\d{4})$")
_CVR = re.compile(r"^\d{8}$")
_KLE_SUBJECT = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
_HANDLINGSFACET = re.compile(r"^[A-Z]\d{2}$")
_CASE_NUMBER = re.compile(r"^(\d{2}\.\d{2}\.\d{2})-([A-Z]\d{2})-(\d{1,6})-(\d{2})$")
_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def cpr_birth_date(cpr: str) -> date:
    """The birth date a CPR number encodes, with the century from the 7th digit.

    The rules (CPR office, "Personnummeret i CPR"): 7th digit 0-3 → 1900s;
    4 or 9 → 2000s for years 00-36, else 1900s; 5-8 → 2000s for years 00-57,
    else 1800s.
    """
    match = _CPR.match(cpr)
    if not match:
        raise InvalidValue("a CPR number is 10 digits, DDMMYYSSSS", field="cpr")
    day, month, year2 = (int(g) for g in match.groups()[:3])
    seventh = int(match.group(4)[0])
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if year2 <= 36 else 1900
    else:
        century = 2000 if year2 <= 57 else 1800
    try:
        return date(century + year2, month, day)
    except ValueError:
        raise InvalidValue(
            "the first six digits of a CPR number must be a real date (DDMMYY)", field="cpr"
        ) from None


def parse_cpr(value: str) -> str:
    """A CPR number in its 10-digit form. No modulus-11 check: numbers without it
    have been issued since 2007."""
    value = value.strip()
    cpr_birth_date(value)
    return value.replace("-", "")


def parse_cvr(value: str) -> str:
    """A CVR number: 8 digits whose weighted sum (2 7 6 5 4 3 2 1) is divisible by 11."""
    value = value.strip()
    if not _CVR.match(value):
        raise InvalidValue("a CVR number is 8 digits", field="cvr")
    if sum(int(d) * w for d, w in zip(value, _CVR_WEIGHTS, strict=True)) % 11:
        raise InvalidValue("the CVR number's check digit is wrong", field="cvr")
    return value


def parse_kle_subject(value: str) -> str:
    """A KLE subject number, ``xx.xx.xx`` (e.g. ``27.24.00``)."""
    value = value.strip()
    if not _KLE_SUBJECT.match(value):
        raise InvalidValue("a KLE subject number looks like 27.24.00", field="kle_subject")
    return value


def parse_handlingsfacet(value: str) -> str:
    """A KLE handlingsfacet: a capital letter and two digits (e.g. ``G01``)."""
    value = value.strip().upper()
    if not _HANDLINGSFACET.match(value):
        raise InvalidValue(
            "a handlingsfacet is a letter and two digits, like G01", field="handlingsfacet"
        )
    return value


def parse_case_number(value: str) -> str:
    """A case number: KLE subject, handlingsfacet, sequence and two-digit year,
    e.g. ``27.24.00-G01-5-24``."""
    value = value.strip()
    if not _CASE_NUMBER.match(value):
        raise InvalidValue("a case number looks like 27.24.00-G01-5-24", field="case_number")
    return value


def format_case_number(kle_subject: str, handlingsfacet: str, sequence: int, year: int) -> str:
    """Compose a case number from its parts (year may be given in full)."""
    return parse_case_number(
        f"{parse_kle_subject(kle_subject)}-{parse_handlingsfacet(handlingsfacet)}"
        f"-{sequence}-{year % 100:02d}"
    )


def mask_cpr(cpr: str) -> str:
    """The form of a CPR number that may appear in logs and messages: birth date only."""
    return f"{cpr[:6]}-XXXX" if len(cpr) >= 6 else "XXXXXX-XXXX"


def to_utc(moment: datetime) -> datetime:
    """A moment in UTC. A naive datetime is refused: its zone would be a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidValue("a time must carry its timezone (e.g. 2024-06-01T10:00:00Z)")
    return moment.astimezone(UTC)


Cpr = Annotated[str, AfterValidator(parse_cpr)]
Cvr = Annotated[str, AfterValidator(parse_cvr)]
KleSubject = Annotated[str, AfterValidator(parse_kle_subject)]
Handlingsfacet = Annotated[str, AfterValidator(parse_handlingsfacet)]
CaseNumber = Annotated[str, AfterValidator(parse_case_number)]
UtcDateTime = Annotated[datetime, AfterValidator(to_utc)]

from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel, ValidationError

from core.errors import InvalidValue
from core.values import (
    CaseNumber,
    Cpr,
    Cvr,
    cpr_birth_date,
    format_case_number,
    mask_cpr,
    parse_case_number,
    parse_cpr,
    parse_cvr,
    parse_handlingsfacet,
    parse_kle_subject,
)


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("0101050123", date(1905, 1, 1)),  # 7th digit 0-3: always 1900s
        ("3112993999", date(1999, 12, 31)),
        ("0101364123", date(2036, 1, 1)),  # 4: 2000s up to year 36 ...
        ("0101374123", date(1937, 1, 1)),  # ... 1900s from 37
        ("0101369123", date(2036, 1, 1)),  # 9 follows the same rule as 4
        ("0101379123", date(1937, 1, 1)),
        ("0101575123", date(2057, 1, 1)),  # 5-8: 2000s up to year 57 ...
        ("0101585123", date(1858, 1, 1)),  # ... 1800s from 58
        ("0101578123", date(2057, 1, 1)),
        ("0101588123", date(1858, 1, 1)),
        ("0101006123", date(2000, 1, 1)),
        ("0101997123", date(1899, 1, 1)),
    ],
)
def test_cpr_century_follows_the_seventh_digit(cpr, born):
    assert cpr_birth_date(cpr) == born


def test_leap_day_depends_on_the_century():
    assert cpr_birth_date("2902004123") == date(2000, 2, 29)
    with pytest.raises(InvalidValue) as raised:
        cpr_birth_date("2902001123")  # 1900 was no leap year
    assert raised.value.field == "cpr"


@pytest.mark.parametrize("bad", ["3102901234", "0013901234", "0000901234", "3204901234"])
def test_cpr_must_start_with_a_real_date(bad):
    with pytest.raises(InvalidValue, match="real date") as raised:
        parse_cpr(bad)
    assert raised.value.field == "cpr"


@pytest.mark.parametrize("bad", ["010190123", "01019012345", "01019o1234", "", "0101-901234"])
def test_cpr_must_be_ten_digits(bad):
    with pytest.raises(InvalidValue, match="10 digits"):
        parse_cpr(bad)


def test_cpr_accepts_a_hyphen_and_spaces_and_has_no_modulus_check():
    assert parse_cpr(" 010190-1234 ") == "0101901234"
    assert parse_cpr("0101901235") == "0101901235"  # fails modulus 11; issued since 2007


@pytest.mark.parametrize("cvr", ["29188386", "55133018", " 29188386 "])
def test_valid_cvr_numbers(cvr):
    assert parse_cvr(cvr) == cvr.strip()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("29188387", "check digit"),
        ("55133019", "check digit"),
        ("2918838", "8 digits"),
        ("291883866", "8 digits"),
        ("2918838a", "8 digits"),
    ],
)
def test_invalid_cvr_numbers(bad, message):
    with pytest.raises(InvalidValue, match=message) as raised:
        parse_cvr(bad)
    assert raised.value.field == "cvr"


@pytest.mark.parametrize(
    ("parse", "good", "parsed"),
    [
        (parse_kle_subject, "27.24.00", "27.24.00"),
        (parse_handlingsfacet, "g01", "G01"),
        (parse_case_number, "27.24.00-G01-5-24", "27.24.00-G01-5-24"),
    ],
)
def test_kle_parts_and_case_numbers_parse(parse, good, parsed):
    assert parse(good) == parsed


@pytest.mark.parametrize(
    ("parse", "bad", "field"),
    [
        *[(parse_kle_subject, b, "kle_subject") for b in ("27.24", "27-24-00", "ab.cd.ef")],
        *[(parse_handlingsfacet, b, "handlingsfacet") for b in ("G1", "01G", "GG1", "G012")],
        *[
            (parse_case_number, b, "case_number")
            for b in ("27.24.00-G01-5-2024", "27.24.00-G1-5-24", "27.24.00-G01--24", "x")
        ],
    ],
)
def test_malformed_kle_parts_and_case_numbers_name_their_field(parse, bad, field):
    with pytest.raises(InvalidValue) as raised:
        parse(bad)
    assert raised.value.field == field


def test_format_case_number():
    assert format_case_number("27.24.00", "g01", 5, 2024) == "27.24.00-G01-5-24"
    assert format_case_number("27.24.00", "G01", 123, 2005) == "27.24.00-G01-123-05"
    with pytest.raises(InvalidValue) as raised:
        format_case_number("27.24", "G01", 1, 2024)
    assert raised.value.field == "kle_subject"


def test_mask_cpr_keeps_only_the_birth_date():
    assert mask_cpr("0101901234") == "010190-XXXX"
    assert "1234" not in mask_cpr("0101901234")
    assert mask_cpr("123") == "XXXXXX-XXXX"


class _Form(BaseModel):
    cpr: Cpr
    cvr: Cvr
    number: CaseNumber


def test_value_types_work_as_pydantic_fields():
    form = _Form(cpr="010190-1234", cvr="29188386", number="27.24.00-G01-5-24")
    assert form.cpr == "0101901234"
    with pytest.raises(ValidationError, match="check digit"):
        _Form(cpr="0101901234", cvr="29188387", number="27.24.00-G01-5-24")

"""No CPR number reaches a log line through the hub's log formatter."""

from __future__ import annotations

import logging
import sys

from adapters.redaction import RedactingFormatter, redact_cpr


def test_cpr_shaped_numbers_are_masked_to_the_birth_date():
    text = "parties 0101151234 and 311299-9999; case 27.24.00-G01-5-24, phone 12345678"
    assert redact_cpr(text) == (
        "parties 010115-XXXX and 311299-XXXX; case 27.24.00-G01-5-24, phone 12345678"
    )


def test_longer_digit_runs_and_uuids_are_left_alone():
    text = "id 5b0e8d3c-1234-4c1e-9f00-012345678901 and order 123456789012"
    assert redact_cpr(text) == text


def test_the_formatter_masks_message_and_traceback():
    try:
        raise ValueError("no party 0101151234")
    except ValueError:
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "lookup of %s failed",
            ("0202161234",),
            sys.exc_info(),
        )
    line = RedactingFormatter("%(message)s").format(record)
    assert "lookup of 020216-XXXX failed" in line
    assert "ValueError: no party 010115-XXXX" in line
    assert "0101151234" not in line and "0202161234" not in line

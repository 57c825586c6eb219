"""Keeping CPR numbers out of log lines.

The hub logs ids, never CPR numbers; this is the safety net for text it does not
control (exception messages, tracebacks, request paths): anything shaped like a
CPR number is masked to its birth date with :func:`core.values.mask_cpr`.
"""

from __future__ import annotations

import logging
import re

from core.values import mask_cpr

_CPR_LIKE = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")


def redact_cpr(text: str) -> str:
    """Mask everything that looks like a CPR number (10 digits, or 6 and 4 with a hyphen)."""
    return _CPR_LIKE.sub(lambda match: mask_cpr(match.group()), text)


class RedactingFormatter(logging.Formatter):
    """A log formatter whose output (message and traceback) never shows a CPR number."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_cpr(super().format(record))

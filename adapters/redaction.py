"""Keeping CPR numbers out of log lines.

The hub logs ids, never CPR numbers; this is the safety net for text it does not
control (exception messages, tracebacks, request paths): anything shaped like a
CPR number is masked to its birth date with :func:`core.values.mask_cpr`.
"""

from __future__ import annotations

import logging

from core.values import redact_cpr


class RedactingFormatter(logging.Formatter):
    """A log formatter whose output (message and traceback) never shows a CPR number."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_cpr(super().format(record))

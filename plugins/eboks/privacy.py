"""Keeping CPR numbers out of log lines and stored error texts."""

from __future__ import annotations

import logging

from core.values import redact_cpr


class CprScrubbingFilter(logging.Filter):
    """Masks CPR-like numbers in a record (httpx logs request URLs, query string and all)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_cpr(record.getMessage())
        record.args = None
        return True


def scrub_logger(name: str) -> None:
    """Install the filter on logger ``name`` once."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, CprScrubbingFilter) for f in logger.filters):
        logger.addFilter(CprScrubbingFilter())

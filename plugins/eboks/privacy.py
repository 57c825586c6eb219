"""Keeping CPR numbers out of log lines and stored error texts."""

from __future__ import annotations

import logging
import re

from core.values import mask_cpr

_CPR_LIKE = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


def scrub_cpr(text: str) -> str:
    """``text`` with every ten-digit CPR-like number masked to its birth date."""
    return _CPR_LIKE.sub(lambda m: mask_cpr(m.group(1) + m.group(2)), text)


class CprScrubbingFilter(logging.Filter):
    """Masks CPR-like numbers in a record (httpx logs request URLs, query string and all)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub_cpr(record.getMessage())
        record.args = None
        return True


def scrub_logger(name: str) -> None:
    """Install the filter on logger ``name`` once."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, CprScrubbingFilter) for f in logger.filters):
        logger.addFilter(CprScrubbingFilter())

"""Text hygiene for what the extract writes and reports."""

from __future__ import annotations

import re

from core.values import mask_cpr

_CPR_LIKE = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def redact(message: str) -> str:
    """A message with anything shaped like a CPR number masked, fit for logs and screens."""
    return _CPR_LIKE.sub(lambda m: mask_cpr(m.group(1) + m.group(2)), message)


def xml_text(value: str) -> str:
    """The value with characters XML 1.0 cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value)

"""Limits of one delivery: sizes, and the shape an XML envelope may have."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MiB = 1024 * 1024


class IntakeLimits(BaseModel):
    """What one delivery may be. The HTTP layer may narrow these per client system."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_envelope_bytes: int = Field(
        default=64 * MiB, gt=0, description="the XML envelope, inline base64 included"
    )
    max_inline_chars: int = Field(
        default=10 * MiB,
        gt=0,
        description="base64 text of one inline part (the bound of a text node in a hardened "
        "XML parser); larger files go as cid: parts",
    )
    max_part_bytes: int = Field(default=1024 * MiB, gt=0, description="one file")
    max_document_bytes: int = Field(default=2048 * MiB, gt=0, description="all files together")
    max_depth: int = Field(default=32, gt=0, description="element nesting of the envelope")
    max_elements: int = Field(default=5000, gt=0, description="elements in the envelope")
    max_text_chars: int = Field(
        default=256 * 1024,
        gt=0,
        description="text of the envelope outside inline content, attributes included",
    )
    allowed_unknown_types: frozenset[str] = Field(
        default=frozenset(),
        description="mime types accepted although their leading bytes cannot be checked",
    )

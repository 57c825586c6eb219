"""The plugin's settings: the ``[plugins.archive]`` block of a municipality's config.

Environment variables with the prefix ``SAGSHUB_ARCHIVE_`` fill what the block does
not give (``SAGSHUB_ARCHIVE_LIBREOFFICE=/opt/libreoffice/program/soffice``), so the
command line finds the same values.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ports.integrations import ArchiveProfile


class ArchiveSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAGSHUB_ARCHIVE_", extra="forbid")

    default_profile: ArchiveProfile = Field(
        default=ArchiveProfile.BEK128, description="the edition used when none is given"
    )
    libreoffice: Path | None = Field(
        default=None,
        description="the LibreOffice program (soffice); found on PATH when not given. "
        "Without it, Office documents are reported as not convertible.",
    )
    office_timeout_seconds: int = Field(default=180, ge=10, le=3600)
    dpi: int = Field(default=200, ge=100, le=600, description="resolution of rendered pages")
    compression: Literal["lossless", "group4"] = Field(
        default="lossless",
        description="lossless: each page as rendered, black-and-white pages with CCITT "
        "Group 4, grey and colour pages with LZW; group4: every page made black and white",
    )
    font: Path | None = Field(
        default=None, description="a TrueType font for text, e-mail and context pages"
    )
    variant_preference: list[str] = Field(
        default_factory=lambda: ["arkiv", "PDF", "produktion"],
        description="which of a document's variants is archived, first match wins",
    )
    context_documents: list[Path] = Field(
        default_factory=list,
        description="the municipality's own context documentation (PDF, images, text)",
    )
    final_transfer: bool = Field(default=False, description="archiveIndex: slutaflevering")
    personal_data: bool = Field(
        default=True, description="archiveIndex: sensitive personal data (child welfare: yes)"
    )
    other_access_restrictions: bool = False
    form_version: str | None = Field(
        default=None, description="archiveIndex: the FORM version the classes below come from"
    )
    form_classes: dict[str, str] = Field(
        default_factory=dict,
        description="archiveIndex: FORM class → its text; written when form_version is set",
    )

    def libreoffice_program(self) -> Path | None:
        """The configured LibreOffice, else ``soffice``/``libreoffice`` on PATH, else None."""
        if self.libreoffice is not None:
            return self.libreoffice if self.libreoffice.is_file() else None
        found = shutil.which("soffice") or shutil.which("libreoffice")
        return Path(found) if found else None

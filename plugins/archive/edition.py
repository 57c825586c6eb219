"""The two editions of the archival-version rules and what sets them apart.

BEK 128 (2020) and BEK 1007 (2010) share the namespace and most of the indices.
BEK 128 adds ``researchIndex`` and, in ``archiveIndex``, the document period,
``archiveTypeClosedFiles``, ``containsGeodata``, ``containsResearchData``,
``researchSIP`` and ``documentsDisposal``; its fileIndex accepts ``researchIndex``
files. Everything edition-specific the writer and the validator need is here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ports.integrations import ArchiveProfile

COMMON_INDICES = (
    "archiveIndex",
    "contextDocumentationIndex",
    "docIndex",
    "fileIndex",
    "tableIndex",
)


@dataclass(frozen=True)
class Edition:
    profile: ArchiveProfile
    label: str
    standards_folder: str
    indices: tuple[str, ...]
    """The index names whose schemas the edition ships (``<name>.xsd``)."""
    archive_index_2019_fields: bool
    """Whether archiveIndex has the fields BEK 128 added (document period and the rest)."""

    @property
    def schema_files(self) -> tuple[str, ...]:
        """The files of ``Schemas/standard``: each index schema and XMLSchema.xsd."""
        return (*(f"{name}.xsd" for name in self.indices), "XMLSchema.xsd")


EDITIONS: dict[ArchiveProfile, Edition] = {
    ArchiveProfile.BEK128: Edition(
        profile=ArchiveProfile.BEK128,
        label="BEK nr. 128 af 12. februar 2020",
        standards_folder="archive-bek128",
        indices=(*COMMON_INDICES, "researchIndex"),
        archive_index_2019_fields=True,
    ),
    ArchiveProfile.BEK1007: Edition(
        profile=ArchiveProfile.BEK1007,
        label="BEK nr. 1007 af 20. august 2010",
        standards_folder="archive-bek1007",
        indices=COMMON_INDICES,
        archive_index_2019_fields=False,
    ),
}

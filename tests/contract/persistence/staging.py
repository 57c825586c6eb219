"""Staged files for the suite: written through the real filesystem store."""

from __future__ import annotations

from adapters.blobs.filesystem import FilesystemBlobStore
from core.intake import StagedPart
from core.models import Variant

from . import builders


def stage(blobs, content: bytes) -> StagedPart:
    writer = blobs.writer()
    writer.write(content)
    staged = writer.finish()
    return StagedPart(
        name="brev.pdf",
        mime_type="application/pdf",
        size=staged.size,
        sha256=staged.sha256,
        staging_token=staged.token,
    )


def document_with(municipality_id, *staged: StagedPart):
    parts = [builders.part(sha256=s.sha256) for s in staged]
    return builders.document(municipality_id, variants=[Variant(name="arkiv", parts=parts)])


def staging_area(blobs: FilesystemBlobStore) -> list:
    return list(blobs.staging.iterdir())


class FailingPromotion(FilesystemBlobStore):
    """A real store whose disk fills up when one particular file is promoted;
    ``meanwhile`` runs just before, standing in for whatever else happens then."""

    def __init__(self, root, failing_sha256: str, meanwhile=lambda: None) -> None:
        super().__init__(root)
        self.failing_sha256 = failing_sha256
        self.meanwhile = meanwhile

    def promote(self, token: str, sha256: str, *, durable: bool = True) -> bool:
        if sha256 == self.failing_sha256:
            self.meanwhile()
            raise OSError(28, "No space left on device")
        return super().promote(token, sha256, durable=durable)

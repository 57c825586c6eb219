"""Staging a migrated document's files with the intake's own staging and type checks.

The bytes are streamed in chunks into the blob store's staging area (hashed on
the way, never whole in memory) by :class:`adapters.intake.staging.DeliveryStaging`,
which also enforces the size limits; each file's first bytes are then checked
against its type by :func:`adapters.intake.sniff.check_declared_type`, exactly as
for a document delivered over HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from pydantic import ValidationError

from adapters.intake.limits import IntakeLimits
from adapters.intake.sniff import check_declared_type, normalize_mime_type
from adapters.intake.staging import DeliveryStaging
from adapters.migration.filetypes import extension, type_from_name
from adapters.migration.items import ItemFile
from adapters.migration.prepare import FileSkipped
from adapters.migration.report import SkipReason
from core.errors import InvalidValue, PayloadRejected
from core.intake import StagedPart
from ports.blobs import BlobStore

CHUNK_BYTES = 256 * 1024


def _declared_type(file: ItemFile) -> str:
    mime_type = normalize_mime_type(file.mime_type) if file.mime_type else None
    mime_type = mime_type or type_from_name(file.name)
    if mime_type is None:
        suffix = extension(file.name) or "without an extension"
        raise FileSkipped(
            SkipReason.REFUSED_TYPE, f"{file.name}: files {suffix} are of no known type"
        )
    return mime_type


class MigrationStager:
    """Stages a document's files, all or nothing: a file that cannot be taken raises
    :class:`FileSkipped` and leaves none of the document's files staged."""

    def __init__(self, blobs: BlobStore, limits: IntakeLimits | None = None) -> None:
        self.blobs = blobs
        self.limits = limits or IntakeLimits()

    def stage(self, files: Sequence[ItemFile]) -> list[StagedPart]:
        staging = DeliveryStaging(self.blobs, self.limits)
        current = files[0].name if files else ""
        try:
            with staging.all_or_nothing():
                parts = []
                for file in files:
                    current = file.name
                    parts.append(self._stage_one(staging, file))
                return parts
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            raise FileSkipped(SkipReason.UNREADABLE, f"{current}: {reason}") from None
        except PayloadRejected as exc:
            raise FileSkipped(SkipReason.TOO_LARGE, f"{current}: {exc.message}") from None
        except InvalidValue as exc:
            raise FileSkipped(SkipReason.REFUSED_TYPE, f"{current}: {exc.message}") from None
        except ValidationError as exc:
            message = exc.errors()[0]["msg"]
            raise FileSkipped(SkipReason.INVALID_METADATA, f"file name: {message}") from None

    def _stage_one(self, staging: DeliveryStaging, file: ItemFile) -> StagedPart:
        mime_type = _declared_type(file)
        with file.open() as handle:
            blob = staging.stage(iter(partial(handle.read, CHUNK_BYTES), b""), field="file")
        check_declared_type(
            mime_type,
            blob.head,
            field="mime_type",
            allowed_unknown=self.limits.allowed_unknown_types,
        )
        return blob.as_part(file.name, mime_type)

    def discard(self, token: str) -> None:
        self.blobs.discard(token)

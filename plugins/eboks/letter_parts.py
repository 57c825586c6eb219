"""The files of an outgoing letter: found on the case snapshot by sha256, read from the blobs.

An :class:`~ports.integrations.OutgoingLetter` names its main document and
attachments by the sha256 of a part; the snapshot says which document and part
that is (title, file name, mime type, size), and ``open_part`` gives the bytes.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from core.errors import InvalidValue, PayloadRejected
from core.models import Document, Part
from ports.integrations import OpenPart, OutgoingLetter
from ports.snapshots import CaseSnapshot


class LetterFile(BaseModel):
    """One file of a letter with its bytes, ready to be put in a message."""

    model_config = ConfigDict(frozen=True)

    title: str
    part: Part
    content: bytes = Field(repr=False)
    field: str = Field(description="where it came from, for error messages")


def find_part(snapshot: CaseSnapshot, sha256: str, *, field: str) -> tuple[Document, Part]:
    """The document on the case and its part with this sha256."""
    for document in snapshot.documents:
        for variant in document.variants:
            for part in variant.parts:
                if part.sha256 == sha256:
                    return document, part
    raise InvalidValue(f"no file with sha256 {sha256} on case {snapshot.case.number}", field=field)


def read_part(
    open_part: OpenPart, part: Part, *, field: str, max_bytes: int, too_large: str | None = None
) -> bytes:
    """The part's bytes, refusing more than ``max_bytes`` or a size other than recorded."""
    with open_part(part.sha256) as stream:
        content = stream.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise PayloadRejected(
            too_large or f"the file is larger than {max_bytes} bytes", field=field
        )
    if len(content) != part.size:
        raise PayloadRejected(
            f"the stored file has {len(content)} bytes, not the recorded {part.size}", field=field
        )
    return content


def letter_files(
    letter: OutgoingLetter, open_part: OpenPart, *, max_bytes: int
) -> tuple[LetterFile, list[LetterFile]]:
    """The main document and the attachments of ``letter``, with their bytes."""
    wanted = [("main_document", letter.main_document_sha256)] + [
        (f"attachments[{i}]", sha) for i, sha in enumerate(letter.attachment_sha256s)
    ]
    files: list[LetterFile] = []
    budget = max_bytes
    for field, sha256 in wanted:
        document, part = find_part(letter.case, sha256, field=field)
        content = read_part(
            open_part,
            part,
            field=field,
            max_bytes=budget,
            too_large=f"the letter's files together are larger than {max_bytes} bytes",
        )
        budget -= len(content)
        files.append(LetterFile(title=document.title, part=part, content=content, field=field))
    return files[0], files[1:]

"""Envelopes and files for the intake tests."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(13)
CPR = "0101901234"
CVR = "29188386"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class PartSpec:
    file_name: str = "brev.pdf"
    mime_type: str = "application/pdf"
    data: bytes = PDF
    cid: str | None = None
    """Send as a cid: reference instead of inline."""
    sha256: str | None = "auto"
    """The sender's sha256: "auto" = the data's, None = left out."""
    inline_text: str | None = None
    """Inline base64 text to send instead of encoding ``data``."""

    def xml(self) -> str:
        digest = sha(self.data) if self.sha256 == "auto" else self.sha256
        sha_xml = f"<Sha256>{digest}</Sha256>" if digest else ""
        if self.cid is not None:
            content = f"<ContentRef>cid:{self.cid}</ContentRef>"
        else:
            text = self.inline_text
            if text is None:
                text = base64.encodebytes(self.data).decode()
            content = f"<Inline>{text}</Inline>"
        return (
            f"<Part><FileName>{self.file_name}</FileName><MimeType>{self.mime_type}</MimeType>"
            f"{sha_xml}{content}</Part>"
        )


@dataclass
class VariantSpec:
    name: str = "arkiv"
    parts: list[PartSpec] = field(default_factory=lambda: [PartSpec()])

    def xml(self) -> str:
        return f"<Variant><Name>{self.name}</Name>{''.join(p.xml() for p in self.parts)}</Variant>"


def envelope(
    *,
    variants: list[VariantSpec] | None = None,
    channel: str = "scanning",
    parties: tuple[str, ...] = (f"urn:oio:cpr-nr:{CPR}",),
    case: str = "",
    after_document: str = "",
    titel: str = "Underretning fra skolen",
    message_id: str = "msg-1",
) -> bytes:
    """An envelope with the given pieces; ``case`` and ``after_document`` are raw XML."""
    variants = variants if variants is not None else [VariantSpec()]
    parties_xml = (
        "<Parties>" + "".join(f"<Party>{p}</Party>" for p in parties) + "</Parties>"
        if parties
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Envelope xmlns="urn:sagshub:intake:1">'
        f"<Sender><System>scanner-01</System><MessageId>{message_id}</MessageId></Sender>"
        f"<Channel>{channel}</Channel>"
        f"<Document><Titel>{titel}</Titel><BrevDato>2024-05-01</BrevDato>"
        "<Type>Brev, indgaaende</Type></Document>"
        f"{parties_xml}{case}{after_document}"
        f"<Variants>{''.join(v.xml() for v in variants)}</Variants>"
        "</Envelope>"
    ).encode()

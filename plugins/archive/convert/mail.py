"""E-mails (RFC 5322 ``.eml``) and HTML as text for the page renderer.

An e-mail becomes a page block with its header fields, the list of attachments and
the body (plain text preferred, else the HTML's text). Attachments and inline images
are returned for conversion as further pages; signature parts are named but carry no
content a reader could see, so they are not rendered.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import BinaryIO

import lxml.html

from plugins.archive.convert.source import SourceFile

SIGNATURE_TYPES = {
    "application/pkcs7-signature",
    "application/x-pkcs7-signature",
    "application/pgp-signature",
}
_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr"}
_HEADERS = (("From", "Fra"), ("To", "Til"), ("Cc", "Cc"), ("Date", "Dato"), ("Subject", "Emne"))


def html_text(markup: str) -> str:
    """The visible text of an HTML fragment, with a line break after each block."""
    if not markup.strip():
        return ""
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True)
    root = lxml.html.fromstring(markup, parser=parser)
    for hidden in root.xpath("//script|//style|//head"):
        hidden.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return root.text_content()


@dataclass
class RenderedMail:
    lines: list[str]
    attachments: list[SourceFile] = field(default_factory=list)


def _body_text(message: EmailMessage) -> tuple[str, EmailMessage | None]:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return "", None
    content = body.get_content()
    if body.get_content_type() == "text/html":
        content = html_text(content)
    return content, body


def _attachment_bytes(part: EmailMessage) -> bytes:
    if part.get_content_maintype() == "message":
        inner = part.get_payload(0) if part.is_multipart() else part.get_content()
        return inner.as_bytes(policy=policy.SMTP)
    return part.get_payload(decode=True) or b""


def _leaves(part: EmailMessage) -> Iterator[EmailMessage]:
    """The non-container parts; an attached e-mail is one leaf, not opened here."""
    if part.get_content_maintype() == "multipart":
        for child in part.iter_parts():
            yield from _leaves(child)
    else:
        yield part


def _attachments(message: EmailMessage, body: EmailMessage | None) -> Iterator[EmailMessage]:
    """Leaves that are not the body: attachments and inline images. Text alternatives
    of the body (the HTML twin of a plain-text body) are not attachments."""
    for part in _leaves(message):
        if part is body:
            continue
        attached = part.get_content_disposition() == "attachment"
        if part.get_content_maintype() == "text" and not attached:
            continue
        yield part


def render_mail(stream: BinaryIO) -> RenderedMail:
    """Header lines, body lines and the attachments of an e-mail."""
    message = BytesParser(policy=policy.default).parse(stream)
    assert isinstance(message, EmailMessage)
    text, body = _body_text(message)
    lines = [f"{label}: {message[name]}" for name, label in _HEADERS if message[name]]
    attachments: list[SourceFile] = []
    names: list[str] = []
    for number, part in enumerate(_attachments(message, body), start=1):
        name = part.get_filename() or f"del-{number}"
        mime = part.get_content_type()
        if mime in SIGNATURE_TYPES:
            names.append(f"{name} (digital signatur, ikke gengivet)")
            continue
        names.append(name)
        data = _attachment_bytes(part)
        attachments.append(SourceFile(name, mime, lambda data=data: io.BytesIO(data)))
    if names:
        lines.append("Vedhæftede filer: " + ", ".join(names))
    lines.append("")
    lines.extend(text.splitlines())
    return RenderedMail(lines, attachments)

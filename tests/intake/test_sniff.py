"""Declared mime types against the files' leading bytes."""

from __future__ import annotations

import pytest

from adapters.intake.sniff import check_declared_type, normalize_mime_type
from core.errors import InvalidValue

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8)
ZIP = b"PK\x03\x04\x14\x00\x06\x00"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

MATCHING = [
    ("application/pdf", b"%PDF-1.7\n"),
    ("application/pdf", b"\r\n junk from a scanner %PDF-1.4"),
    ("image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
    ("image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
    ("image/gif", b"GIF89a\x01\x00"),
    ("image/gif", b"GIF87a\x01\x00"),
    ("image/tiff", b"II*\x00\x08\x00\x00\x00"),
    ("image/tiff", b"MM\x00*\x00\x00\x00\x08"),
    (DOCX, ZIP),
    (XLSX, ZIP),
    (PPTX, ZIP),
    ("application/zip", ZIP),
    ("application/msword", OLE2),
    ("application/vnd.ms-excel", OLE2),
    ("application/vnd.ms-outlook", OLE2),
    ("application/rtf", b"{\\rtf1\\ansi"),
    ("text/rtf", b"{\\rtf1\\ansi"),
    ("text/plain", "Kære sagsbehandler\n".encode()),
    ("text/plain; charset=iso-8859-1", "Kære".encode("latin-1")),
    ("text/plain", b""),
    ("text/csv", b"a;b\n1;2\n"),
    ("message/rfc822", b"From: a@example.org\r\nSubject: hej\r\n\r\nbody"),
    ("application/xml", b'<?xml version="1.0"?><a/>'),
    ("text/xml", b"\xef\xbb\xbf\n  <a/>"),
    ("application/xml", "\ufeff<a/>".encode("utf-16-le")),
    ("application/xml", "\ufeff <a/>".encode("utf-16-be")),
    ("application/atom+xml", b"<feed/>"),
    ("APPLICATION/PDF", b"%PDF-1.7"),
]

CONTRADICTED = [
    ("application/pdf", b"\x89PNG\r\n\x1a\n"),
    ("application/pdf", b""),
    ("image/png", b"%PDF-1.7"),
    ("image/jpeg", b"GIF89a"),
    ("image/gif", b"GIF90a"),
    ("image/tiff", b"II\x00*"),
    (DOCX, OLE2),
    ("application/msword", ZIP),
    ("application/rtf", b"%PDF-"),
    ("text/plain", b"%PDF-1.7\n\x00\x00binary"),
    ("message/rfc822", b"MZ\x90\x00"),
    ("application/xml", b"not xml"),
    ("application/xml", b"<a>\x00</a>"),
]


@pytest.mark.parametrize(("mime_type", "head"), MATCHING)
def test_matching_heads_pass(mime_type, head):
    check_declared_type(mime_type, head, field="f")


@pytest.mark.parametrize(("mime_type", "head"), CONTRADICTED)
def test_contradicted_types_name_the_field(mime_type, head):
    with pytest.raises(InvalidValue) as caught:
        check_declared_type(mime_type, head, field="variants[0].parts[0].mime_type")
    assert caught.value.field == "variants[0].parts[0].mime_type"
    assert mime_type in caught.value.message


def test_unknown_types_need_the_allow_list():
    with pytest.raises(InvalidValue) as caught:
        check_declared_type("application/x-dwg", b"AC1027", field="f")
    assert "not accepted" in caught.value.message
    check_declared_type(
        "application/x-dwg", b"AC1027", field="f", allowed_unknown={"application/x-dwg"}
    )
    check_declared_type(
        "Application/X-DWG; v=1", b"AC1027", field="f", allowed_unknown={"application/x-dwg"}
    )


def test_the_allow_list_does_not_override_a_known_signature():
    with pytest.raises(InvalidValue):
        check_declared_type(
            "application/pdf", b"GIF89a", field="f", allowed_unknown={"application/pdf"}
        )


@pytest.mark.parametrize(
    ("declared", "normalized"),
    [
        ("Application/PDF", "application/pdf"),
        (" text/plain ;charset=UTF-8 ", "text/plain; charset=UTF-8"),
        ("image/png;", "image/png"),
    ],
)
def test_normalize_mime_type(declared, normalized):
    assert normalize_mime_type(declared) == normalized

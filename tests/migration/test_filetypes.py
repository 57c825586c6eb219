"""A file's type from its name: the extension is read as ``pathlib`` reads a suffix."""

from __future__ import annotations

from pathlib import PurePath

import pytest

from adapters.migration.filetypes import extension, type_from_name

NAMES = ["brev.pdf", "SCAN.PDF", ".pdf", "brev.", "brev", "..pdf", "a.tar.gz", "x/y.docx", "."]


@pytest.mark.parametrize("name", NAMES)
def test_the_extension_is_the_suffix_pathlib_gives(name):
    assert extension(name) == PurePath(name).suffix


def test_the_type_ignores_case_and_unknown_extensions_have_none():
    assert type_from_name("SCAN.PDF") == "application/pdf"
    assert type_from_name("x/y.docx").endswith("wordprocessingml.document")
    assert type_from_name(".pdf") is None
    assert type_from_name("brev.exe") is None

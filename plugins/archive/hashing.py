"""Streamed MD5, the checksum the archival indices use.

Files are read in large chunks into one reused buffer, so hashing a multi-gigabyte
extract costs no memory and little more time than ``hashlib`` itself.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK_SIZE = 1 << 20


def md5_file(path: Path) -> str:
    """The MD5 of a file's bytes as 32 upper-case hex digits (the fileIndex form)."""
    digest = hashlib.md5(usedforsecurity=False)
    buffer = bytearray(CHUNK_SIZE)
    view = memoryview(buffer)
    with path.open("rb", buffering=0) as stream:
        while size := stream.readinto(buffer):
            digest.update(view[:size])
    return digest.hexdigest().upper()

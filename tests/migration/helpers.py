"""Small helpers shared by the migration tests."""

from __future__ import annotations

from pathlib import Path

PDF = b"%PDF-1.7\n" + b"x" * 200
"""Bytes that pass the intake's check for application/pdf."""


def write(path: Path, content: bytes | str) -> Path:
    """Write a file, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path

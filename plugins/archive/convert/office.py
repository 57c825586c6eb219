"""Office documents through LibreOffice, headless, when it is installed.

Each conversion gets its own LibreOffice profile folder, so conversions never wait
on (or corrupt) a profile that another LibreOffice holds.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import BinaryIO

from plugins.archive.errors import Unconvertible

_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


def office_to_pdf(
    program: Path | None, stream: BinaryIO, suffix: str, workdir: Path, timeout: int
) -> Path:
    """Convert an Office file to PDF in ``workdir``; returns the PDF's path."""
    if program is None:
        raise Unconvertible(
            "LibreOffice is not installed (or [plugins.archive] libreoffice does not point "
            "at it), so this Office document cannot be converted"
        )
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / ("source" + (suffix if _SAFE_SUFFIX.match(suffix) else ""))
    with source.open("wb") as target:
        shutil.copyfileobj(stream, target, 1 << 20)
    command = [
        str(program),
        f"-env:UserInstallation={(workdir / 'profile').resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(workdir),
        str(source),
    ]
    try:
        finished = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
            command, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise Unconvertible(f"LibreOffice did not finish within {timeout} s") from None
    except OSError as exc:
        raise Unconvertible(f"LibreOffice could not be started: {exc}") from None
    pdf = source.with_suffix(".pdf")
    if not pdf.is_file():
        detail = finished.stderr.decode(errors="replace").strip()[-300:]
        raise Unconvertible(
            f"LibreOffice could not convert it (exit code {finished.returncode})"
            + (f": {detail}" if detail else "")
        )
    return pdf

"""The mime type of a migrated file that declares none, from its name's extension.

Old exports rarely say what their files are. The extension gives the type the
file claims to be; the intake's sniffing then checks its first bytes against it,
as for any delivery. The table is fixed (not the host's ``/etc/mime.types``), so
the same export is judged the same way on every machine.
"""

from __future__ import annotations

_BY_EXTENSION = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".msg": "application/vnd.ms-outlook",
    ".rtf": "application/rtf",
    ".xml": "application/xml",
    ".eml": "message/rfc822",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".htm": "text/html",
    ".html": "text/html",
}


def extension(name: str) -> str:
    """The file name's extension with its dot, as ``PurePath(name).suffix`` gives it
    (``""`` for none, and for ``.hidden`` or ``name.``), without building a path."""
    base = name.rpartition("/")[2]
    dot = base.rfind(".")
    return base[dot:] if 0 < dot < len(base) - 1 else ""


def type_from_name(name: str) -> str | None:
    """The mime type a file name's extension stands for, or None if it is not known."""
    return _BY_EXTENSION.get(extension(name).lower())

"""Stable identities of migrated documents, so that a rerun stores nothing twice."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

CHANNEL_NAME = "migration"
_SENDER_MAX = 100


def sender_system(source_name: str) -> str:
    """The sender system of a migration source's documents: ``migration:<source-name>``."""
    return f"{CHANNEL_NAME}:{source_name}"[:_SENDER_MAX]


def message_id(key: str, sha256s: Iterable[str]) -> str:
    """The document's message id: a hash of its key in the source and its files' hashes.

    The same file at the same place gives the same id on every run (the intake
    ledger then answers "already received"); a file whose content changed is a new
    document. Hashing the key keeps paths (which may hold CPR numbers) out of the id.
    """
    digest = hashlib.sha256(key.encode())
    for sha256 in sha256s:
        digest.update(b"\0" + sha256.encode())
    return f"mig-{digest.hexdigest()}"

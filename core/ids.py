"""New ids: time-ordered random UUIDs (version 7, RFC 9562).

The first 48 bits are the Unix time in milliseconds, the other 74 free bits random
(from ``os.urandom``). Ids made one after another sort one after another, so a table's
key index and its children's foreign-key indexes grow at their end: with random
(version 4) ids every insert touched a page of its own, and at 100,000 migrated
documents SQLite spent a third of its time reading and rewriting index pages
(``bench/README.md``, migration: 985 → 1,477 documents/s). An id therefore tells when
it was made, to the millisecond — which the records it names say anyway, to whoever may
read them.

The random bytes are fetched 4 KiB at a time per thread (a system call per id was a
fifth of the Python work of placing a document); a forked child starts with none, so
it never repeats its parent's ids.
"""

from __future__ import annotations

import os
import threading
import time
from uuid import UUID

_BLOCK = 4096
_RANDOM_BYTES = 10
_VERSION_7 = 0x7 << 76
_VARIANT_RFC = 0b10 << 62


class _Pool(threading.local):
    def __init__(self) -> None:
        self.block = b""
        self.offset = _BLOCK


_pool = _Pool()


def _forget_pool() -> None:
    global _pool
    _pool = _Pool()


os.register_at_fork(after_in_child=_forget_pool)


def new_id() -> UUID:
    """A new id: the time in milliseconds, then 74 random bits (UUID version 7)."""
    pool = _pool
    if pool.offset + _RANDOM_BYTES > _BLOCK:
        pool.block, pool.offset = os.urandom(_BLOCK), 0
    start = pool.offset
    pool.offset = start + _RANDOM_BYTES
    random = int.from_bytes(pool.block[start : start + _RANDOM_BYTES])
    milliseconds = time.time_ns() // 1_000_000
    rand_a = (random >> 62) & 0xFFF
    rand_b = random & ((1 << 62) - 1)
    return UUID(int=(milliseconds << 80) | _VERSION_7 | (rand_a << 64) | _VARIANT_RFC | rand_b)

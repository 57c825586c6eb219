"""Random (version 4) ids, from the operating system's randomness fetched in blocks.

``uuid.uuid4`` asks the kernel for 16 bytes per id. A batch of intakes makes about ten
ids per document, and those system calls were a fifth of the Python work of placing
one. These are the same ``os.urandom`` bytes, fetched 4 KiB at a time per thread; a
forked child starts with none, so it never repeats its parent's ids.
"""

from __future__ import annotations

import os
import threading
from uuid import UUID

_BLOCK = 4096


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
    """A new random UUID (version 4), as :func:`uuid.uuid4` makes them."""
    pool = _pool
    if pool.offset >= _BLOCK:
        pool.block, pool.offset = os.urandom(_BLOCK), 0
    start = pool.offset
    pool.offset = start + 16
    return UUID(bytes=pool.block[start : start + 16], version=4)

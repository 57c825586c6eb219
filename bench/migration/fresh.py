"""A new directory for each bench run, away from the files the last run deleted.

On an ext4 filesystem without a journal (this machine's), creating a file skips
every inode of its block group that was freed in the last minute — five minutes
while the inode table is not yet written back — and it finds them by checking
each free inode in turn (``recently_deleted()`` in ``fs/ext4/ialloc.c``). After a
bulk delete, such as removing the previous run's hub, every file created nearby
costs up to ~0.7 ms of kernel time instead of ~0.03 ms, and the bench would
measure the clean-up rather than the migration.

New files go to their directory's block group, and a new directory to its
parent's, unless the parent is marked as the top of a directory tree (ext4's
``T`` attribute, ``chattr +T``): then ext4 places each new subdirectory in a
little-used group. So the runs live in subdirectories of a ``+T`` directory.
Elsewhere (other filesystems, no ``chattr``) this is a plain new directory.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from pathlib import Path


def fresh_directory(parent: Path) -> Path:
    """Remove the earlier runs' directories under ``parent``, then make a new one."""
    parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # no chattr: a plain directory will do
        subprocess.run(["chattr", "+T", str(parent)], capture_output=True, check=False)
    for earlier in parent.iterdir():
        shutil.rmtree(earlier, ignore_errors=True)
    fresh = parent / str(time.time_ns())
    fresh.mkdir()
    return fresh

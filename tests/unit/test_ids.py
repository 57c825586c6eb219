"""New ids: version 7 UUIDs, time-ordered, all different, also across threads and forks."""

from __future__ import annotations

import os
import threading
import time
import uuid

from core.ids import new_id


def test_ids_are_version_7_uuids_with_the_time_of_their_making():
    before = time.time_ns() // 1_000_000
    ids = [new_id() for _ in range(2000)]
    after = time.time_ns() // 1_000_000
    assert len(set(ids)) == len(ids)
    assert {i.version for i in ids} == {7}
    assert {i.variant for i in ids} == {uuid.RFC_4122}
    assert all(before <= i.int >> 80 <= after for i in ids)


def test_ids_made_later_sort_later():
    first = new_id()
    time.sleep(0.002)
    second = new_id()
    assert first < second
    assert first.hex < second.hex  # as SQLite stores them


def test_threads_draw_different_ids():
    found: list[list[uuid.UUID]] = [[], []]

    def draw(slot: int) -> None:
        found[slot] = [new_id() for _ in range(500)]

    threads = [threading.Thread(target=draw, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not set(found[0]) & set(found[1])


def test_a_forked_child_does_not_repeat_its_parents_next_ids():
    new_id()  # the pool holds a block the child would otherwise share
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read)
        os.write(write, b"".join(new_id().bytes for _ in range(4)))
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(child, 0)
    from_child = {uuid.UUID(bytes=data[n : n + 16]).int & ((1 << 62) - 1) for n in range(0, 64, 16)}
    from_parent = {new_id().int & ((1 << 62) - 1) for _ in range(4)}
    assert not from_child & from_parent

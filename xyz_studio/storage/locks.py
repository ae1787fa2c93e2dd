"""One lock per experiment, for the steps that must not overlap within the server process.

Drawing the grids (the final prompt in the worker thread, or a cancel in a route
thread) and re-queueing cells (resume / retry from a route, maybe twice on a double
click) each read and rewrite the experiment's records and files; this serialises them.
A lock lives only while someone holds or waits for it, so the table stays as small as
the number of experiments being changed at this moment.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_locks: dict[str, tuple[threading.RLock, int]] = {}  # experiment id -> (lock, holders and waiters)
_guard = threading.Lock()


@contextmanager
def experiment_lock(experiment_id: str) -> Iterator[None]:
    with _guard:
        lock, users = _locks.get(experiment_id, (None, 0))
        if lock is None:
            lock = threading.RLock()
        _locks[experiment_id] = (lock, users + 1)
    try:
        with lock:
            yield
    finally:
        with _guard:
            _, users = _locks[experiment_id]
            if users == 1:
                del _locks[experiment_id]
            else:
                _locks[experiment_id] = (lock, users - 1)


def held_locks() -> int:
    """How many experiment locks exist now (for tests: the table must not grow)."""
    with _guard:
        return len(_locks)

"""One lock per experiment, for the steps that must not overlap within the server process.

Drawing the grids (the final prompt in the worker thread, or a cancel in a route
thread) and re-queueing cells (resume / retry from a route, maybe twice on a double
click) each read and rewrite the experiment's records and files; this serialises them.
"""
from __future__ import annotations

import threading

_locks: dict[str, threading.RLock] = {}
_guard = threading.Lock()


def experiment_lock(experiment_id: str) -> threading.RLock:
    with _guard:
        lock = _locks.get(experiment_id)
        if lock is None:
            lock = _locks[experiment_id] = threading.RLock()
        return lock

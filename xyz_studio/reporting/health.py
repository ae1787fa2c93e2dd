"""What this process knows of each worker server, for GET /xyz_studio/health.

The dispatch's lanes write here as they go (a few fields under one lock); the route
reads a copy. Figures add up over the experiments this process ran since it started.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace

from ..protocol import JsonRecord, TextEnum


class WorkerState(TextEnum):
    UP = "up"
    DOWN = "down"            # stopped answering, or a cell ran past its timeout: its cells went elsewhere
    LEFT_OUT = "left_out"    # lacks a node or a model the experiment needs


@dataclass(frozen=True)
class WorkerHealth(JsonRecord):
    """A worker server as this process knows it (each entry of the health answer's `workers`)."""

    url: str
    state: WorkerState = WorkerState.UP
    in_flight: int = 0       # cells queued or running on it now
    done: int = 0
    failed: int = 0
    last_error: str | None = None
    since: float = 0.0       # when it took its present state (seconds since the epoch)


class HealthBoard:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._workers: dict[str, WorkerHealth] = {}

    def update(self, url: str, *, state: WorkerState | None = None, in_flight: int | None = None,
               done: int = 0, failed: int = 0, error: str | None = None) -> None:
        """Change what is known of `url`: counts add, a state or error replaces the old one."""
        with self._lock:
            old = self._workers.get(url) or WorkerHealth(url, since=time.time())
            new = replace(old, done=old.done + done, failed=old.failed + failed)
            if state is not None and state != old.state:
                new = replace(new, state=state, since=time.time())
            if in_flight is not None:
                new = replace(new, in_flight=in_flight)
            if error is not None:
                new = replace(new, last_error=error)
            self._workers[url] = new

    def workers(self) -> list[WorkerHealth]:
        with self._lock:
            return sorted(self._workers.values(), key=lambda w: w.url)

    def of(self, url: str) -> WorkerHealth | None:
        with self._lock:
            return self._workers.get(url)


HEALTH = HealthBoard()  # one per process

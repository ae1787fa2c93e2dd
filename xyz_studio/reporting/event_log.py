"""Experiment events as structured log lines: one JSON object per line, with the experiment id.

Logged under the "xyz_studio.events" logger, so a log tool can pick them out by name
and parse them. Experiment-level events (planned, a worker left out, down or up,
finished, cancelled) are INFO; a cell's events (queued, done, failed, sent again) are
DEBUG, so a 500-cell run does not flood ComfyUI's console.
"""
from __future__ import annotations

import logging
import time

from ..protocol import TextEnum, strict_json

log = logging.getLogger("xyz_studio.events")


class Event(TextEnum):
    PLANNED = "planned"
    WORKER_LEFT_OUT = "worker_left_out"
    WORKER_DOWN = "worker_down"
    WORKER_UP = "worker_up"
    CELL_QUEUED = "cell_queued"
    CELL_DONE = "cell_done"
    CELL_FAILED = "cell_failed"
    CELL_SENT_AGAIN = "cell_sent_again"
    CELL_PROPOSED = "cell_proposed"  # a search picked the cell to run next
    FINISHED = "finished"
    CANCELLED = "cancelled"
    STALLED = "stalled"
    DELETED = "deleted"

    @property
    def level(self) -> int:
        if self in (Event.CELL_QUEUED, Event.CELL_DONE, Event.CELL_FAILED, Event.CELL_SENT_AGAIN,
                    Event.CELL_PROPOSED):
            return logging.DEBUG
        if self in (Event.WORKER_DOWN, Event.WORKER_LEFT_OUT, Event.STALLED):
            return logging.WARNING
        return logging.INFO


def log_event(event: Event, experiment: str, **fields: object) -> None:
    """Log one event line: {"event": ..., "experiment": ..., "time": ..., **fields}."""
    if not log.isEnabledFor(event.level):
        return  # the JSON is not even built for a level nobody reads
    line = {"event": event.value, "experiment": experiment, "time": round(time.time(), 3), **fields}
    log.log(event.level, "%s", strict_json(line))

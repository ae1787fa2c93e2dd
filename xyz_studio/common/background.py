"""One daemon thread that handles queued items in order, so that whoever hands them over never waits.

The cell writer (cells.py), the tracker link (tracking/link.py) and the tracker
(tracking/tracker.py) each keep one. The thread starts with the first item, not when
the pack loads (most ComfyUI sessions never need a tracker); an item that raises is
logged and the thread goes on with the next, so one bad item never stops the rest.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

log = logging.getLogger("xyz_studio")
T = TypeVar("T")


class _Stop:
    """Put by stop(): the thread ends when it reaches it, after every item before it."""


class BackgroundWorker(Generic[T]):
    """A queue of items and the one thread that hands each to `handle`, in the order submitted.

    `capacity` bounds the queue (0: unbounded). `when_empty` runs on the thread each time
    the queue runs empty after an item; `when_quiet` runs every `quiet_seconds` while no
    item comes (a periodic flush, say).
    """

    def __init__(self, name: str, handle: Callable[[T], object], capacity: int = 0,
                 when_empty: Callable[[], None] | None = None,
                 quiet_seconds: float | None = None, when_quiet: Callable[[], None] | None = None) -> None:
        if (quiet_seconds is None) != (when_quiet is None):
            raise ValueError("quiet_seconds and when_quiet go together")
        if quiet_seconds is not None and not quiet_seconds > 0:
            # a wait of no time returns at once: the thread would call when_quiet in a loop, a core for ever
            raise ValueError(f"quiet_seconds must be more than 0, not {quiet_seconds!r}")
        self.name = name
        self._handle = handle
        self._when_empty = when_empty
        self._quiet_seconds = quiet_seconds
        self._when_quiet = when_quiet
        self._queue: queue.Queue[T | _Stop] = queue.Queue(maxsize=capacity)
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        self._unfinished = 0  # submitted and not handled yet (when_empty included)
        self._changed = threading.Condition()

    def submit(self, item: T, block: bool = True, timeout: float | None = None) -> bool:
        """Queue `item` and start the thread if none runs. With a full queue, wait for room
        (`block`, at most `timeout` seconds) or give up: False, the item is not queued."""
        with self._changed:
            self._unfinished += 1
        try:
            self._queue.put(item, block, timeout)
        except queue.Full:
            self._finished()
            return False
        self._ensure_thread()  # after the put: a stop() under way has ended its thread by then
        return True

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every item submitted so far is handled; False if `timeout` seconds passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: self._unfinished == 0, timeout)

    def stop(self, timeout: float | None = None) -> bool:
        """Handle what is queued, then end the thread; False if it has not ended within `timeout`
        seconds. A later submit starts a new thread."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._start:
            thread = self._thread
            if thread is None or not thread.is_alive():
                return True
            try:
                self._queue.put(_Stop(), timeout=timeout)
            except queue.Full:  # still that far behind
                return False
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
            return not thread.is_alive()

    def _ensure_thread(self) -> None:
        with self._start:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=f"xyz_studio {self.name}", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                item = self._queue.get(timeout=self._quiet_seconds)
            except queue.Empty:  # only with quiet_seconds: nothing came for that long
                self._guarded(self._when_quiet)
                continue
            if isinstance(item, _Stop):
                return
            try:
                self._guarded(self._handle, item)
                if self._when_empty is not None and self._queue.empty():
                    self._guarded(self._when_empty)
            finally:
                self._finished()

    def _guarded(self, work: Callable[..., object] | None, *args: Any) -> None:
        if work is None:
            return
        try:
            work(*args)
        except Exception:  # the thread is the last guard: log it and go on with the next item
            log.exception("xyz_studio: %s error", self.name)

    def _finished(self) -> None:
        with self._changed:
            self._unfinished -= 1
            self._changed.notify_all()

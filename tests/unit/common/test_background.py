"""The background worker: one lazily started thread that handles queued items in order."""
from __future__ import annotations

import logging
import threading
import time

import pytest

from xyz_studio.common.background import BackgroundWorker


def _threads(name: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == f"xyz_studio {name}"]


def test_items_are_handled_in_order_on_one_thread_started_by_the_first():
    seen: list[tuple[int, str]] = []
    worker: BackgroundWorker[int] = BackgroundWorker(
        "order test", lambda i: seen.append((i, threading.current_thread().name)))
    assert _threads("order test") == []  # nothing runs before there is work
    for i in range(50):
        assert worker.submit(i)
    assert worker.flush(10)
    assert [i for i, _ in seen] == list(range(50))
    assert {name for _, name in seen} == {"xyz_studio order test"} and len(_threads("order test")) == 1
    assert worker.stop(10)


def test_flush_waits_for_the_item_being_handled_and_gives_up_after_its_timeout():
    release = threading.Event()
    done: list[int] = []
    worker: BackgroundWorker[int] = BackgroundWorker("flush test", lambda i: (release.wait(10), done.append(i)))
    worker.submit(1)
    assert not worker.flush(0.2) and done == []
    release.set()
    assert worker.flush(10) and done == [1]
    worker.stop(10)


def test_an_item_that_raises_is_logged_and_the_next_one_is_handled(caplog):
    done: list[int] = []

    def handle(i: int) -> None:
        if i == 2:
            raise RuntimeError("bad item")
        done.append(i)

    worker: BackgroundWorker[int] = BackgroundWorker("error test", handle)
    with caplog.at_level(logging.ERROR, logger="xyz_studio"):
        for i in range(1, 4):
            worker.submit(i)
        assert worker.flush(10)
    assert done == [1, 3]
    assert [r.getMessage() for r in caplog.records] == ["xyz_studio: error test error"]
    assert "bad item" in caplog.text  # with its traceback
    worker.stop(10)


def test_a_full_queue_refuses_an_item_without_waiting_or_after_a_timeout():
    release = threading.Event()
    done: list[int] = []
    worker: BackgroundWorker[int] = BackgroundWorker("capacity test", lambda i: (release.wait(10), done.append(i)),
                                                     capacity=1)
    worker.submit(1)
    deadline = time.monotonic() + 10
    while worker.submit(2, block=False) is False:  # 1 is taken off the queue once the thread has it
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert worker.submit(3, block=False) is False                # 2 fills the queue
    started = time.monotonic()
    assert worker.submit(4, timeout=0.2) is False and time.monotonic() - started >= 0.2
    release.set()
    assert worker.flush(10) and done == [1, 2]                   # the refused items are not handled, nor counted
    worker.stop(10)


def test_when_empty_runs_once_the_queue_has_run_empty_and_before_flush_returns():
    events: list[str] = []
    gate = threading.Event()
    worker: BackgroundWorker[int] = BackgroundWorker(
        "empty test", lambda i: (gate.wait(10), events.append(f"item {i}")), when_empty=lambda: events.append("empty"))
    for i in range(3):
        worker.submit(i)
    gate.set()
    assert worker.flush(10)
    assert events == ["item 0", "item 1", "item 2", "empty"]
    worker.submit(3)
    assert worker.flush(10) and events[-2:] == ["item 3", "empty"]
    worker.stop(10)


def test_when_quiet_runs_while_no_item_comes():
    ticks = threading.Semaphore(0)
    worker: BackgroundWorker[int] = BackgroundWorker("quiet test", lambda i: None, quiet_seconds=0.05,
                                                     when_quiet=ticks.release)
    worker.submit(1)
    assert all(ticks.acquire(timeout=10) for _ in range(3))
    worker.stop(10)
    with pytest.raises(ValueError):
        BackgroundWorker("half", lambda i: None, quiet_seconds=1.0)


def test_stop_handles_what_is_queued_then_ends_the_thread_and_a_later_item_starts_another():
    done: list[int] = []
    worker: BackgroundWorker[int] = BackgroundWorker("stop test", lambda i: (time.sleep(0.01), done.append(i)))
    assert worker.stop(1)  # no thread yet: nothing to stop
    for i in range(5):
        worker.submit(i)
    assert worker.stop(10)
    assert done == [0, 1, 2, 3, 4] and _threads("stop test") == []
    worker.submit(5)
    assert worker.flush(10) and done[-1] == 5 and len(_threads("stop test")) == 1
    assert worker.stop(10) and _threads("stop test") == []


@pytest.mark.parametrize("seconds", [0.0, -1.0])
def test_a_quiet_time_of_no_time_is_refused_rather_than_a_thread_that_spins(seconds):
    # a wait of 0 s returns at once: when_quiet would run in a loop for ever, a core gone (it was: W&B
    # trackers made with a flush interval of 0 slowed a whole test run down fourfold)
    with pytest.raises(ValueError, match=f"quiet_seconds must be more than 0, not {seconds}"):
        BackgroundWorker("spinner", lambda i: None, quiet_seconds=seconds, when_quiet=lambda: None)

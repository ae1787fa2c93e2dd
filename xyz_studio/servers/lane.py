"""One worker server as the dispatch sees it: its cells in flight, its state, and cleaning up after it."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from ..comfyui.client import ComfyClient, ComfyError
from ..reporting.health import WorkerState
from ..storage.records import Cell
from .readiness import Needs
from .remote_cell import RemoteCell

WORKER_TIMEOUT = 10.0   # seconds a worker may take to answer one request


@dataclass
class Task:
    """A cell waiting to go out (again)."""

    index: int
    run_order: int
    affinity: int          # its value of the slowest-changing axis
    tries: int = 0         # times it was sent and did not come back (a worker went down, lost it)
    rejected_by: dict[str, str] = field(default_factory=dict)  # server -> why it refused the cell's prompt


@dataclass
class Sent:
    """A cell on a worker: queued or running there."""

    task: Task
    prompt_id: str                # "" while it is being posted
    remote: RemoteCell | None     # None on this server (its Grid Assembler saves it)
    running_since: float | None = None
    claimed: bool = False         # its result is read back and being saved: it is done, whatever happens


def placeholder(task: Task) -> str:
    """The in-flight key of a cell while it is being posted (it counts towards the load)."""
    return f"sending-{task.index}"


@dataclass
class Lane:
    """One worker server."""

    url: str
    client: ComfyClient
    local: bool
    needs: Needs                   # what it must have (checked again when it rejoins)
    listed_at: int                 # its place in the user's list: breaks ties
    state: WorkerState = WorkerState.UP
    in_flight: dict[str, Sent] = field(default_factory=dict)
    outbox: list[Task] = field(default_factory=list)
    to_forget: list[Sent] = field(default_factory=list)  # ours, still on it when it went down: deleted on return
    last_affinity: int | None = None
    last_check: float = 0.0
    thread: threading.Thread | None = None

    @property
    def load(self) -> int:
        return len(self.in_flight) + len(self.outbox)


def forget(lane: Lane, sent: list[Sent]) -> bool:
    """Best effort: take the cells off the worker's queue and interrupt the one running.
    False when the worker did not answer (nothing could be cleaned)."""
    ids = [s.prompt_id for s in sent if s.prompt_id]
    if not ids:
        return True
    try:
        lane.client.cancel_prompts(ids)
    except (ComfyError, OSError):
        return False
    return True


def reason_of(error: Exception) -> str:
    if isinstance(error, ComfyError):
        return f"it answered {error.status}"
    return str(getattr(error, "reason", None) or error)


def new_lane(url: str, local: bool, needs: Needs, listed_at: int, headers: dict[str, str] | None = None,
             client: ComfyClient | None = None) -> Lane:
    return Lane(url=url, client=client or ComfyClient(url, timeout=WORKER_TIMEOUT, headers=headers), local=local,
                needs=needs, listed_at=listed_at)


def forget_on_workers(cells: list[Cell]) -> None:
    """Best effort, without a running dispatch (after a restart): take these cells off the
    workers their records name."""
    by_worker: dict[str, list[Sent]] = {}
    for cell in cells:
        if cell.worker and cell.prompt_id:
            on_worker = Sent(Task(cell.index, cell.run_order, 0), cell.prompt_id, None)
            by_worker.setdefault(cell.worker, []).append(on_worker)
    for url, sent in by_worker.items():
        forget(new_lane(url, False, {}, 0), sent)

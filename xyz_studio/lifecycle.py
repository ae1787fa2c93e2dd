"""Cancel, resume and retry: changing the course of an experiment after it started.

All three work from the store alone, so they also work after ComfyUI restarted (even
after kill -9): the plan in the store rebuilds any cell's prompt, and cells already
saved are never queued again.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass

from PIL import Image

from .assembly import HistoryLookup, assemble
from .comfyui.client import ComfyClient
from .experiment import queue_cells, queue_final
from .storage.folder import ExperimentFolder, remove_stale_temp_files
from .storage.locks import experiment_lock
from .planning.plan import Plan
from .storage.store import ExperimentStore

RUNNING_WAIT = 30.0  # seconds to wait for an interrupted cell to stop before drawing partial grids


class LifecycleError(Exception):
    """The request does not fit the experiment's state; `status` is the HTTP status to answer."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


@dataclass
class QueueState:
    """Which of our prompts ComfyUI still holds."""

    pending: set[str]
    running: set[str]

    @classmethod
    def read(cls, client: ComfyClient) -> "QueueState":
        queue = client.queue()
        return cls(pending={str(item[1]) for item in queue.get("queue_pending", [])},
                   running={str(item[1]) for item in queue.get("queue_running", [])})

    def holds(self, prompt_ids: set[str]) -> bool:
        return bool(prompt_ids & (self.pending | self.running))


def _experiment(store: ExperimentStore, experiment_id: str) -> dict:
    experiment = store.experiment(experiment_id)
    if experiment is None:
        raise LifecycleError(404, f"no experiment {experiment_id!r}")
    return experiment


def _own_prompts(store: ExperimentStore, experiment: dict) -> set[str]:
    ids = {c["prompt_id"] for c in store.cells(experiment["id"]) if c["prompt_id"]}
    if experiment["final_prompt_id"]:
        ids.add(experiment["final_prompt_id"])
    return ids


def cancel(store: ExperimentStore, client: ComfyClient, experiment_id: str,
           lookup: HistoryLookup | None) -> dict:
    """Take the experiment's pending cells off the queue, interrupt its running cell,
    write the partial grids and mark it cancelled. Other prompts are not touched."""
    experiment = _experiment(store, experiment_id)
    if experiment["status"] not in ("running", "interrupted"):
        raise LifecycleError(409, f"experiment {experiment_id} is {experiment['status']}; nothing to cancel")
    store.update_experiment(experiment_id, status="cancelled")
    cancelled = store.cancel_queued_cells(experiment_id)
    ours = {c["prompt_id"] for c in cancelled if c["prompt_id"]}
    if experiment["final_prompt_id"]:
        ours.add(experiment["final_prompt_id"])
    client.delete_queued(sorted(ours))
    state = QueueState.read(client)
    for prompt_id in sorted(ours & state.running):
        client.interrupt(prompt_id)
    deadline = time.monotonic() + RUNNING_WAIT
    while ours & state.running and time.monotonic() < deadline:
        time.sleep(0.05)
        state = QueueState.read(client)
    _, manifest = assemble(store, experiment_id, lookup)
    return {"id": experiment_id, "status": manifest["status"], "cancelled": len(cancelled),
            "counts": manifest["counts"], "grids": manifest["grids"]}


def _adopt_saved(store: ExperimentStore, folder: ExperimentFolder, cell: dict) -> bool:
    """A cell whose PNGs all reached the disk but whose record did not (killed in between).

    Adopted only when every image of its batch is there and readable, and the files
    say they belong to this experiment and cell.
    """
    x, y, z = cell["x"], cell["y"], cell["z"]
    first = folder.cell_path(x, y, z)
    meta = _cell_meta(first)
    if not meta or meta.get("experiment") != folder.id or meta.get("index") != cell["idx"]:
        return False
    size = int(meta.get("batch_size") or 1)
    paths = [folder.cell_path(x, y, z, b) for b in range(size)]
    if any(_cell_meta(p) is None for p in paths[1:]):
        return False  # a batch cut short by the kill: render the cell again
    store.finish_cell(folder.id, cell["idx"], [folder.relative(p) for p in paths])
    return True


def _cell_meta(path) -> dict | None:
    """The xyz_studio metadata of a complete, readable cell PNG (None otherwise)."""
    if not path.is_file() or path.is_symlink():
        return None
    try:
        with Image.open(path) as im:
            meta = json.loads(im.text.get("xyz_studio", "null"))
            im.verify()
        return meta if isinstance(meta, dict) else None
    except Exception:  # truncated or foreign file: not a saved cell
        return None


def requeue(store: ExperimentStore, client: ComfyClient, experiment_id: str, statuses: tuple[str, ...],
            client_id: str | None = None) -> dict:
    """Queue again the cells in `statuses` (never a saved one), then a new assembling prompt."""
    with experiment_lock(experiment_id):  # a second resume waits, then finds the cells queued (409)
        return _requeue(store, client, experiment_id, statuses, client_id)


def _requeue(store: ExperimentStore, client: ComfyClient, experiment_id: str, statuses: tuple[str, ...],
             client_id: str | None) -> dict:
    experiment = _experiment(store, experiment_id)
    if experiment["dry_run"]:
        raise LifecycleError(409, f"experiment {experiment_id} is a dry run; queue the workflow again instead")
    if QueueState.read(client).holds(_own_prompts(store, experiment)):
        raise LifecycleError(409, f"experiment {experiment_id} is still in the ComfyUI queue; "
                                  "cancel it first or wait for it to finish")
    plan = Plan.from_dict(experiment["plan"])
    folder = ExperimentFolder(store.root, experiment_id)
    folder.create()
    remove_stale_temp_files(folder.cells_dir)  # left by a kill in the middle of a save
    remove_stale_temp_files(folder.grids_dir)
    todo = []
    adopted = 0
    for cell in store.cells(experiment_id):
        if cell["status"] not in statuses:
            continue
        if _adopt_saved(store, folder, cell):
            adopted += 1
            continue
        todo.append(cell)
    fresh = {c["idx"]: str(uuid.uuid4()) for c in todo}
    store.requeue_cells(experiment_id, fresh)
    # no assembling prompt until the cells are queued: until then the run counts as starting, not stalled
    store.update_experiment(experiment_id, status="running", finished=None, final_prompt_id=None)
    cells = [{"index": c["idx"], "run_order": c["run_order"], "prompt_id": fresh[c["idx"]]} for c in todo]
    taken = queue_cells(store, client, plan, experiment_id, cells, client_id)
    queue_final(store, client, plan, experiment_id, client_id)
    return {"id": experiment_id, "status": "running", "queued": taken, "adopted": adopted,
            "total": experiment["total"]}


def resume(store: ExperimentStore, client: ComfyClient, experiment_id: str, client_id: str | None = None) -> dict:
    """Queue only the cells that never finished (after a restart, a crash or a cancel)."""
    return requeue(store, client, experiment_id, ("queued", "cancelled"), client_id)


def retry_failed(store: ExperimentStore, client: ComfyClient, experiment_id: str,
                 client_id: str | None = None) -> dict:
    """Queue the failed cells again; every other cell stays as it is."""
    experiment = _experiment(store, experiment_id)
    if not any(c["status"] == "failed" for c in store.cells(experiment["id"])):
        raise LifecycleError(409, f"experiment {experiment_id} has no failed cells")
    return requeue(store, client, experiment_id, ("failed",), client_id)

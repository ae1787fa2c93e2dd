"""Cancel, resume and retry: changing the course of an experiment after it started.

All three work from the store alone, so they also work after ComfyUI restarted (even
after kill -9): the plan in the store rebuilds any cell's prompt, and cells already
saved are never queued again. A request that does not fit the experiment's state
raises Conflict; an unknown experiment NotFound.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from PIL import Image

from .assembly import assemble
from .cells import WRITER
from .comfyui.client import ComfyClient
from .comfyui.history import HistoryLookup
from .errors import Conflict, ConflictReason
from .experiment import drawing_step, queue_cells, queue_final
from .grids.live import LIVE_GRIDS
from .planning.plan import Plan
from .protocol import DeletedEvent
from .reporting.event_log import Event, log_event
from .reporting.notifier import SILENT, Notifier, tell_state
from .servers import running
from .servers.lane import forget_on_workers
from .servers.start import CellEvents, check_workers, start_dispatch
from .storage import disk_use
from .storage.folder import ExperimentFolder, remove_experiment_folder, remove_stale_temp_files
from .storage.locks import experiment_lock
from .storage.manifest import write_manifest
from .storage.records import Cell, CellCounts, CellStatus, Experiment, ExperimentStatus, GridFile
from .storage.store import ExperimentStore
from .tracking.link import TRACKER

RUNNING_WAIT = 30.0  # seconds to wait for an interrupted cell to stop before drawing partial grids


@dataclass(frozen=True)
class Cancelled:
    id: str
    status: ExperimentStatus
    cancelled: int                 # cells taken off the queue
    counts: CellCounts
    grids: tuple[GridFile, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status.value, "cancelled": self.cancelled,
                "counts": self.counts.to_json(),
                "grids": [g.to_json() for g in self.grids]}


@dataclass(frozen=True)
class Requeued:
    id: str
    queued: int                    # cells the server took
    adopted: int                   # cells found saved on disk, recorded without rendering
    total: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": ExperimentStatus.RUNNING.value, "queued": self.queued,
                "adopted": self.adopted, "total": self.total}


def _working_prompts(store: ExperimentStore, experiment: Experiment) -> set[str]:
    """The experiment's prompts that may still change it: its cells', and its assembling
    prompt's until that has drawn the grids (it sets the final status under the
    experiment lock as its last change, so afterwards it is only leaving the queue)."""
    ids = {c.prompt_id for c in store.cells(experiment.id) if c.prompt_id}
    if experiment.final_prompt_id and not experiment.status.is_final:
        ids.add(experiment.final_prompt_id)
    return ids


def _refuse_while_running(store: ExperimentStore, client: ComfyClient, experiment: Experiment) -> None:
    if running.live(experiment.id) is not None or client.queue_state().holds(_working_prompts(store, experiment)):
        raise Conflict(f"experiment {experiment.id} is still in the ComfyUI queue; "
                       "cancel it first or wait for it to finish", ConflictReason.STILL_RUNNING)


def cancel(store: ExperimentStore, client: ComfyClient, experiment_id: str,
           lookup: HistoryLookup | None, notifier: Notifier = SILENT) -> Cancelled:
    """Take the experiment's pending cells off the queue, interrupt its running cell,
    write the partial grids and mark it cancelled. Other prompts are not touched."""
    experiment = store.experiment(experiment_id)
    if experiment.status != ExperimentStatus.RUNNING:  # an interrupted run is stored as running
        raise Conflict(f"experiment {experiment_id} is {experiment.status}; nothing to cancel",
                       ConflictReason.NOT_RUNNING)
    store.update_experiment(experiment_id, status=ExperimentStatus.CANCELLED)
    running_dispatch = running.live(experiment_id)
    if running_dispatch is not None:
        running_dispatch.cancel()  # no more cells go out; every worker's queue is cleared of ours
    WRITER.drain(experiment_id)  # cells that finished are saved, not counted as cancelled
    cancelled = store.cancel_queued_cells(experiment_id)
    if running_dispatch is None and experiment.options.servers:  # after a restart: ask the workers the record names
        forget_on_workers([c for c in cancelled if c.worker != client.base_url])
    log_event(Event.CANCELLED, experiment_id, cells_cancelled=len(cancelled))
    ours = {c.prompt_id for c in cancelled if c.prompt_id}
    if experiment.final_prompt_id:
        ours.add(experiment.final_prompt_id)
    client.delete_queued(sorted(ours))
    state = client.queue_state()
    for prompt_id in sorted(ours & state.running):
        client.interrupt(prompt_id)
    deadline = time.monotonic() + RUNNING_WAIT
    while ours & state.running and time.monotonic() < deadline:
        time.sleep(0.05)
        state = client.queue_state()
    finished = assemble(store, experiment_id, lookup, previews=False)
    tell_state(notifier, store, experiment_id, finished.status)
    return Cancelled(id=experiment_id, status=finished.status, cancelled=len(cancelled), counts=finished.counts,
                     grids=finished.grids)


@dataclass(frozen=True)
class Deleted:
    id: str
    name: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "deleted": True}


def delete(store: ExperimentStore, client: ComfyClient, experiment_id: str, server_started: float,
           notifier: Notifier = SILENT) -> Deleted:
    """Remove the experiment's record and its folder, refused (Conflict) while it can still
    change: a prompt of it in ComfyUI's queue, its cells being sent to other servers, or its
    cells still being queued by this server process (`server_started`: when it started)."""
    with experiment_lock(experiment_id):  # no resume or drawing of it meanwhile
        experiment = store.experiment(experiment_id)
        queueing = (experiment.status == ExperimentStatus.RUNNING and experiment.final_prompt_id is None
                    and experiment.updated >= server_started)
        prompts = {c.prompt_id for c in store.cells(experiment_id) if c.prompt_id}
        if experiment.final_prompt_id:
            prompts.add(experiment.final_prompt_id)
        if queueing or running.live(experiment_id) is not None or client.queue_state().holds(prompts):
            raise Conflict(f"experiment {experiment_id} is still running (its prompts are in the ComfyUI queue); "
                           "cancel it first or wait for it to finish, then delete it", ConflictReason.STILL_RUNNING)
        if not WRITER.drain(experiment_id, RUNNING_WAIT):  # a cell that left the queue may still be being saved
            raise Conflict(f"experiment {experiment_id} is still saving its last cells; try again in a moment",
                           ConflictReason.STILL_RUNNING)
        LIVE_GRIDS.discard(experiment_id)
        remove_experiment_folder(store.root, experiment_id)  # first: a kill after it leaves a record to delete again
        store.delete(experiment_id)
        disk_use.forget(store.root / experiment_id)
    log_event(Event.DELETED, experiment_id, name=experiment.name)
    notifier.deleted(DeletedEvent(experiment=experiment_id))  # every tab: panels showing it go empty
    return Deleted(id=experiment_id, name=experiment.name)


def rename(store: ExperimentStore, experiment_id: str, name: str) -> None:
    """Give the experiment another name, in the store and its manifest (grids already drawn
    keep the title they were drawn with until a resume or retry draws them again)."""
    with experiment_lock(experiment_id):  # the manifest is written from the store, not beside a drawing
        store.rename(experiment_id, name)
        folder = ExperimentFolder(store.root, experiment_id)
        if folder.manifest_path.is_file():
            write_manifest(folder, store.experiment(experiment_id), store.cells(experiment_id))


def _adopt_saved(store: ExperimentStore, folder: ExperimentFolder, cell: Cell) -> bool:
    """A cell whose PNGs all reached the disk but whose record did not (killed in between).

    Adopted only when every image of its batch is there and readable, and the files
    say they belong to this experiment and cell.
    """
    first = folder.cell_path(cell.x, cell.y, cell.z)
    meta = _cell_meta(first)
    if not meta or meta.get("experiment") != folder.id or meta.get("index") != cell.index:
        return False
    size = int(meta.get("batch_size") or 1)
    paths = [folder.cell_path(cell.x, cell.y, cell.z, b) for b in range(size)]
    if any(_cell_meta(p) is None for p in paths[1:]):
        return False  # a batch cut short by the kill: render the cell again
    store.finish_cell(folder.id, cell.index, [folder.relative(p) for p in paths])
    return True


def _cell_meta(path: Path) -> dict[str, Any] | None:
    """The xyz_studio metadata of a complete, readable cell PNG (None otherwise)."""
    if not path.is_file() or path.is_symlink():
        return None
    try:
        with Image.open(path) as im:
            meta = json.loads(im.text.get("xyz_studio", "null"))
            im.verify()
        return meta if isinstance(meta, dict) else None
    except Exception:  # noqa: BLE001 - a truncated or foreign file (Pillow raises OSError, SyntaxError,
        # ValueError, DecompressionBombError ...): not a saved cell, whatever it raised
        return None


def requeue(store: ExperimentStore, client: ComfyClient, experiment_id: str, statuses: tuple[CellStatus, ...],
            client_id: str | None = None, on_cell: CellEvents | None = None) -> Requeued:
    """Queue again the cells in `statuses` (never a saved one), then a new assembling prompt."""
    with experiment_lock(experiment_id):  # a second resume waits, then finds the cells queued (409)
        return _requeue(store, client, experiment_id, statuses, client_id, on_cell)


def _requeue(store: ExperimentStore, client: ComfyClient, experiment_id: str, statuses: tuple[CellStatus, ...],
             client_id: str | None, on_cell: CellEvents | None) -> Requeued:
    experiment = store.experiment(experiment_id)
    if experiment.dry_run:
        raise Conflict(f"experiment {experiment_id} is a dry run; queue the workflow again instead",
                       ConflictReason.DRY_RUN)
    _refuse_while_running(store, client, experiment)
    WRITER.drain(experiment_id)  # a finished cell still being written is done, not to be queued again
    plan = experiment.readable_plan
    folder = ExperimentFolder(store.root, experiment_id)
    folder.create()
    LIVE_GRIDS.discard(experiment_id)  # its half-written grids are temporaries too; redrawn at the end
    remove_stale_temp_files(folder.cells_dir)  # left by a kill in the middle of a save
    remove_stale_temp_files(folder.grids_dir)
    servers = experiment.options.servers
    todo = []
    adopted = 0
    for cell in store.cells(experiment_id):
        if cell.status not in statuses:
            continue
        if _adopt_saved(store, folder, cell):
            adopted += 1
            continue
        if servers and cell.status == CellStatus.QUEUED and cell.worker and cell.prompt_id:
            todo.append(cell)  # it went out before the master stopped: its worker is asked what became of it
        else:
            todo.append(replace(cell, prompt_id=str(uuid.uuid4()), worker=None))
    if servers:
        return _dispatch_again(store, client, plan, experiment, todo, adopted, client_id, on_cell)
    store.requeue_cells(experiment_id, _prompt_ids(todo))
    # no assembling prompt until the cells are queued: until then the run counts as starting, not stalled
    store.update_experiment(experiment_id, status=ExperimentStatus.RUNNING, finished=None, final_prompt_id=None)
    TRACKER.start(store, experiment)  # the same W&B run again: its id is the experiment's
    taken = queue_cells(store, client, plan, experiment_id, todo, client_id)
    last = max(todo or store.cells(experiment_id), key=lambda c: c.run_order)
    queue_final(store, client, plan, experiment_id, client_id, last.index)
    return Requeued(id=experiment_id, queued=taken, adopted=adopted, total=experiment.total)


def _prompt_ids(todo: list[Cell]) -> dict[int, str]:
    """The prompt id of each cell to queue again (each has one: kept from its worker or fresh)."""
    return {c.index: c.prompt_id for c in todo if c.prompt_id is not None}


def _dispatch_again(store: ExperimentStore, client: ComfyClient, plan: Plan, experiment: Experiment,
                    todo: list[Cell], adopted: int, client_id: str | None, on_cell: CellEvents | None) -> Requeued:
    """Resume or retry over the experiment's servers: each is checked again (before any cell is
    changed: if none can run them, the experiment stays as it was); a cell recorded as sent is
    looked for on its worker first (finished there: brought home; still queued: followed)."""
    servers = experiment.options.servers
    assert servers is not None
    lanes, _ = check_workers(plan, experiment.id, servers, client, [c.index for c in todo] or [0])
    store.requeue_cells(experiment.id, _prompt_ids(todo), {c.index: c.worker for c in todo})
    store.update_experiment(experiment.id, status=ExperimentStatus.RUNNING, finished=None, final_prompt_id=None)
    TRACKER.start(store, experiment)
    sent = [c for c in todo if c.worker]
    start_dispatch(store, plan, experiment.id, servers, lanes, [c for c in todo if not c.worker], sent, client_id,
                   on_cell, drawing_step(store, client, plan, experiment.id, client_id))
    return Requeued(id=experiment.id, queued=len(todo), adopted=adopted, total=experiment.total)


def resume(store: ExperimentStore, client: ComfyClient, experiment_id: str,
           client_id: str | None = None, on_cell: CellEvents | None = None,
           notifier: Notifier = SILENT) -> Requeued:
    """Queue only the cells that never finished (after a restart, a crash or a cancel)."""
    experiment = store.experiment(experiment_id)
    if experiment.status == ExperimentStatus.COMPLETE:
        failed = store.counts(experiment_id).failed
        hint = f"; {failed} failed: retry them with retry_failed" if failed else ""
        raise Conflict(f"experiment {experiment_id} is already complete: all {experiment.total} cells "
                       f"settled{hint}", ConflictReason.ALREADY_COMPLETE)
    requeued = requeue(store, client, experiment_id, tuple(s for s in CellStatus if s.is_unfinished), client_id,
                       on_cell)
    tell_state(notifier, store, experiment_id, store.experiment(experiment_id).status)
    return requeued


def retry_failed(store: ExperimentStore, client: ComfyClient, experiment_id: str,
                 client_id: str | None = None, on_cell: CellEvents | None = None,
                 notifier: Notifier = SILENT) -> Requeued:
    """Queue the failed cells again; every other cell stays as it is."""
    experiment = store.experiment(experiment_id)
    if not any(c.status == CellStatus.FAILED for c in store.cells(experiment_id)):
        _refuse_while_running(store, client, experiment)  # none failed yet: say it is running, if it is
        raise Conflict(f"experiment {experiment_id} has no failed cells; nothing to retry",
                       ConflictReason.NO_FAILED_CELLS)
    requeued = requeue(store, client, experiment_id, (CellStatus.FAILED,), client_id, on_cell)
    tell_state(notifier, store, experiment_id, store.experiment(experiment_id).status)
    return requeued

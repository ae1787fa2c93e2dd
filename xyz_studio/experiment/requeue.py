"""Resume and retry: queue again the cells that never finished, or that failed.

Both work from the store alone, so they also work after ComfyUI restarted (even after
kill -9): the plan in the store rebuilds any cell's prompt, and cells already saved
are never queued again. A request that does not fit the experiment's state raises
Conflict; an unknown experiment NotFound.
"""
from __future__ import annotations

import uuid
from dataclasses import replace

from ..answers import RequeuedAnswer
from ..comfyui.client import ComfyClient
from ..comfyui.kept_credentials import CREDENTIALS
from ..errors import Conflict, ConflictReason
from ..grids.live import LIVE_GRIDS
from ..planning.plan import Plan
from ..reporting.notifier import SILENT, Notifier, tell_state
from ..search.steering import open_experiment_search
from ..servers import running
from ..servers.lane import forget_on_workers
from ..storage.folder import ExperimentFolder, remove_stale_temp_files
from ..storage.locks import experiment_lock
from ..storage.records import Cell, CellStatus, Experiment, ExperimentStatus
from ..storage.store import ExperimentStore
from ..tracking.link import TRACKER
from .cell_writer import WRITER
from .queueing import queue_cells, queue_final, queue_final_when_settled
from .saved_on_disk import adopt_saved
from .workers import check_workers, start_dispatch


def _working_prompts(store: ExperimentStore, experiment: Experiment) -> set[str]:
    """The experiment's prompts that may still change it: its cells', and its assembling
    prompt's until that has drawn the grids (it sets the final status under the
    experiment lock as its last change, so afterwards it is only leaving the queue)."""
    ids = {c.prompt_id for c in store.cells(experiment.id) if c.prompt_id}
    if experiment.final_prompt_id and not experiment.status.is_final:
        ids.add(experiment.final_prompt_id)
    return ids


def refuse_while_running(store: ExperimentStore, client: ComfyClient, experiment: Experiment) -> None:
    if running.live(experiment.id) is not None or client.queue_state().holds(_working_prompts(store, experiment)):
        raise Conflict(f"experiment {experiment.id} is still in the ComfyUI queue; "
                       "cancel it first or wait for it to finish", ConflictReason.STILL_RUNNING)


def requeue(store: ExperimentStore, client: ComfyClient, experiment_id: str, statuses: tuple[CellStatus, ...],
            client_id: str | None = None, notifier: Notifier = SILENT) -> RequeuedAnswer:
    """Queue again the cells in `statuses` (never a saved one), then a new final prompt. Its
    later calls carry `client`'s credentials (whoever resumed it may have logged in anew)."""
    CREDENTIALS.keep(experiment_id, client.headers)
    with experiment_lock(experiment_id):  # a second resume waits, then finds the cells queued (409)
        return _requeue(store, client, experiment_id, statuses, client_id, notifier)


def _requeue(store: ExperimentStore, client: ComfyClient, experiment_id: str, statuses: tuple[CellStatus, ...],
             client_id: str | None, notifier: Notifier) -> RequeuedAnswer:
    experiment = store.experiment(experiment_id)
    if experiment.dry_run:
        raise Conflict(f"experiment {experiment_id} is a dry run; queue the workflow again instead",
                       ConflictReason.DRY_RUN)
    refuse_while_running(store, client, experiment)
    WRITER.drain(experiment_id)  # a finished cell still being written is done, not to be queued again
    plan = experiment.readable_plan
    folder = ExperimentFolder(store.root, experiment_id)
    folder.create()
    LIVE_GRIDS.discard(experiment_id)  # its half-written grids are temporaries too; redrawn at the end
    remove_stale_temp_files(folder.cells_dir)  # left by a kill in the middle of a save
    remove_stale_temp_files(folder.grids_dir)
    servers = experiment.options.dispatched
    todo = []
    adopted = 0
    for cell in store.cells(experiment_id):
        if cell.status not in statuses:
            continue
        if adopt_saved(store, folder, cell, plan.cell_file_stem(cell.index)):
            adopted += 1
            continue
        if servers and cell.status == CellStatus.QUEUED and cell.worker and cell.prompt_id:
            todo.append(cell)  # it went out before the master stopped: its worker is asked what became of it
        else:
            todo.append(replace(cell, prompt_id=str(uuid.uuid4()), worker=None))
    if experiment.options.search is not None:
        return _search_again(store, client, plan, experiment, todo, adopted, client_id, notifier,
                             retry=CellStatus.FAILED in statuses)
    if servers:
        return _dispatch_again(store, client, plan, experiment, todo, adopted, client_id, notifier)
    store.requeue_cells(experiment_id, _prompt_ids(todo))
    # no final prompt until the cells are queued: until then the run counts as starting, not stalled
    store.update_experiment(experiment_id, status=ExperimentStatus.RUNNING, finished=None, final_prompt_id=None)
    TRACKER.start(store, experiment)  # the same W&B run again: its id is the experiment's
    taken = queue_cells(store, client, plan, experiment_id, todo, client_id)
    last = max(todo or store.cells(experiment_id), key=lambda c: c.run_order)
    queue_final(store, client, plan, experiment_id, client_id, last.index)
    return RequeuedAnswer(id=experiment_id, status=ExperimentStatus.RUNNING, queued=taken, adopted=adopted,
                          total=experiment.total)


def _prompt_ids(todo: list[Cell]) -> dict[int, str]:
    """The prompt id of each cell to queue again (each has one: kept from its worker or fresh)."""
    return {c.index: c.prompt_id for c in todo if c.prompt_id is not None}


def _dispatch_again(store: ExperimentStore, client: ComfyClient, plan: Plan, experiment: Experiment,
                    todo: list[Cell], adopted: int, client_id: str | None, notifier: Notifier) -> RequeuedAnswer:
    """Resume or retry over the experiment's servers: each is checked again (before any cell is
    changed: if none can run them, the experiment stays as it was); a cell recorded as sent is
    looked for on its worker first (finished there: brought home; still queued: followed)."""
    servers = experiment.options.dispatched
    assert servers is not None
    lanes, _ = check_workers(plan, experiment.id, servers, client, [c.index for c in todo] or [0])
    store.requeue_cells(experiment.id, _prompt_ids(todo), {c.index: c.worker for c in todo})
    store.update_experiment(experiment.id, status=ExperimentStatus.RUNNING, finished=None, final_prompt_id=None)
    TRACKER.start(store, experiment)
    sent = [c for c in todo if c.worker]
    start_dispatch(store, plan, experiment.id, servers, lanes, [c for c in todo if not c.worker], sent, client_id,
                   notifier, queue_final_when_settled(store, client, plan, experiment.id, client_id))
    return RequeuedAnswer(id=experiment.id, status=ExperimentStatus.RUNNING, queued=len(todo), adopted=adopted,
                          total=experiment.total)


def _search_again(store: ExperimentStore, client: ComfyClient, plan: Plan, experiment: Experiment,
                  todo: list[Cell], adopted: int, client_id: str | None, notifier: Notifier,
                  retry: bool) -> RequeuedAnswer:
    """Resume or retry a search. Resume: the cells it had in flight go back to planned (taken off
    any worker that still holds them), and the study, reopened from the store, proposes them
    again first, then goes on to its budget. Retry: the failed cells run again and are told to
    the study; it proposes nothing new."""
    servers = experiment.options.dispatched
    settings = experiment.options.search
    assert servers is not None and settings is not None  # a search is always dispatched
    lanes, _ = check_workers(plan, experiment.id, servers, client, [c.index for c in todo] or plan.run_sequence())
    if retry:
        store.requeue_cells(experiment.id, _prompt_ids(todo), {c.index: None for c in todo})
    else:
        forget_on_workers([c for c in todo if c.worker and c.worker != client.base_url])
        store.update_cells(experiment.id, {c.index: {"status": CellStatus.PLANNED, "prompt_id": None, "worker": None,
                                                     "error": None} for c in todo})
    store.update_experiment(experiment.id, status=ExperimentStatus.RUNNING, finished=None, final_prompt_id=None)
    TRACKER.start(store, experiment)
    steering = open_experiment_search(store.root, experiment.id, plan, settings, store.cells(experiment.id))
    if retry:
        steering.stop()
    start_dispatch(store, plan, experiment.id, servers, lanes, todo if retry else [], [], client_id, notifier,
                   queue_final_when_settled(store, client, plan, experiment.id, client_id), steering)
    return RequeuedAnswer(id=experiment.id, status=ExperimentStatus.RUNNING, queued=len(todo), adopted=adopted,
                          total=experiment.total)


def resume(store: ExperimentStore, client: ComfyClient, experiment_id: str,
           client_id: str | None = None, notifier: Notifier = SILENT) -> RequeuedAnswer:
    """Queue only the cells that never finished (after a restart, a crash or a cancel)."""
    experiment = store.experiment(experiment_id)
    if experiment.status == ExperimentStatus.COMPLETE:
        failed = store.counts(experiment_id).failed
        hint = f"; {failed} failed: retry them with retry_failed" if failed else ""
        raise Conflict(f"experiment {experiment_id} is already complete: all {experiment.total} cells "
                       f"settled{hint}", ConflictReason.ALREADY_COMPLETE)
    requeued = requeue(store, client, experiment_id, tuple(s for s in CellStatus if s.is_unfinished), client_id,
                       notifier)
    tell_state(notifier, store, experiment_id, store.experiment(experiment_id).status)
    return requeued


def retry_failed(store: ExperimentStore, client: ComfyClient, experiment_id: str,
                 client_id: str | None = None, notifier: Notifier = SILENT) -> RequeuedAnswer:
    """Queue the failed cells again; every other cell stays as it is."""
    experiment = store.experiment(experiment_id)
    if not any(c.status == CellStatus.FAILED for c in store.cells(experiment_id)):
        refuse_while_running(store, client, experiment)  # none failed yet: say it is running, if it is
        raise Conflict(f"experiment {experiment_id} has no failed cells; nothing to retry",
                       ConflictReason.NO_FAILED_CELLS)
    requeued = requeue(store, client, experiment_id, (CellStatus.FAILED,), client_id, notifier)
    tell_state(notifier, store, experiment_id, store.experiment(experiment_id).status)
    return requeued

"""Putting an experiment's prompts in ComfyUI's queue: its cells, then its final prompt.

Every cell is an ordinary prompt posted to a server's own POST /prompt, carrying its
`protocol.Job`; the final prompt, queued after the cells, is where the Grid Assembler
assembles the experiment (experiment/assemble.py). A prompt the server could not take
(5xx, a dropped connection) is posted again with backoff; one it refuses becomes a
failed cell. Each step checks that the experiment is still this queueing's: a cancel,
or a resume that gave its cells new prompt ids, stops it.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from ..comfyui.client import ComfyClient, ComfyError, PromptRejected
from ..errors import WorkflowRejected
from ..planning.plan import Plan
from ..protocol import Job, JobRole
from ..servers.dispatch import Dispatch
from ..storage.records import NO_FINAL_PROMPT, Cell, CellStatus, ExperimentStatus
from ..storage.store import ExperimentStore

log = logging.getLogger("xyz_studio")
RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0)  # seconds between attempts to queue a cell the server could not take
T = TypeVar("T")


def cell_job(experiment_id: str, plan: Plan, cell: Cell) -> Job:
    x, y, z = plan.place(cell.index)
    at = plan.coords_by_slot(cell.index)
    return Job(experiment=experiment_id, role=JobRole.CELL, index=cell.index, run_order=cell.run_order,
               x=x, y=y, z=z, labels=plan.labels_of(cell.index, at), file_stem=plan.cell_file_stem(cell.index), at=at)


def queue_the_rest(store: ExperimentStore, client: ComfyClient, plan: Plan, experiment_id: str,
                    cells: list[Cell], client_id: str | None) -> None:
    """Queue every cell after the first, then the final prompt (in a background thread).

    If the process dies half way, the cells not yet posted are still "queued" in the
    store with no final prompt: after a restart the experiment shows interrupted, and
    resume queues them.
    """
    try:
        queue_cells(store, client, plan, experiment_id, cells[1:], client_id)
        if _still_ours(store, experiment_id, cells[-1]):  # not cancelled, nor resumed meanwhile
            queue_final(store, client, plan, experiment_id, client_id, cells[-1].index)
    except Exception:
        log.exception("xyz_studio: could not queue the rest of experiment %s; resume it to finish", experiment_id)
        if _still_ours(store, experiment_id, cells[-1]):
            store.update_experiment(experiment_id, final_prompt_id=NO_FINAL_PROMPT)


def queue_cells(store: ExperimentStore, client: ComfyClient, plan: Plan, experiment_id: str,
                cells: list[Cell], client_id: str | None) -> int:
    """Queue cells in run order, stopping if the experiment is cancelled (or resumed) meanwhile;
    returns how many the server took."""
    taken = 0
    for cell in sorted(cells, key=lambda c: c.run_order):
        if not _still_ours(store, experiment_id, cell):
            break
        if queue_cell(store, client, plan, experiment_id, cell, client_id):
            taken += 1
            if not _still_ours(store, experiment_id, cell):  # cancelled or resumed while it was posted
                assert cell.prompt_id is not None  # a cell to queue has its prompt id (set at start or requeue)
                client.delete_queued([cell.prompt_id])
                break
    return taken


def queue_cell(store: ExperimentStore, client: ComfyClient, plan: Plan, experiment_id: str, cell: Cell,
               client_id: str | None) -> bool:
    """Queue one cell; a prompt the server refuses becomes a failed cell, not a failed run."""
    try:
        _post_cell(client, plan, experiment_id, cell, client_id)
        return True
    except PromptRejected as e:
        error = f"rejected by ComfyUI: {e.describe()}"
    except (ComfyError, OSError) as e:
        error = f"could not queue: {e}"
    store.update_cell(experiment_id, cell.index, status=CellStatus.FAILED, error=error)
    return False


def queue_first_cell(client: ComfyClient, plan: Plan, experiment_id: str, cell: Cell,
                      client_id: str | None, run_order: bool = True) -> None:
    try:
        _post_cell(client, plan, experiment_id, cell, client_id, run_order)
    except PromptRejected as e:
        raise WorkflowRejected(f"ComfyUI refuses the workflow (checked with the first cell, before anything "
                               f"ran):\n{e.describe()}") from None


def _post_cell(client: ComfyClient, plan: Plan, experiment_id: str, cell: Cell, client_id: str | None,
               run_order: bool = True) -> None:
    job = cell_job(experiment_id, plan, cell)
    if not run_order:  # dispatched: cells finish out of order across servers (see Dispatch._job)
        job = replace(job, run_order=None)
    _with_retries(lambda: client.queue_prompt(plan.cell_prompt(cell.index), client_id=client_id,
                                              prompt_id=cell.prompt_id, extra_data=job.extra_data()))


def _still_ours(store: ExperimentStore, experiment_id: str, cell: Cell) -> bool:
    """The cell is still to be queued under this prompt id: not cancelled, not given a
    new id by a resume or retry that started while this queueing was under way."""
    return (store.status_of(experiment_id) != ExperimentStatus.CANCELLED
            and store.prompt_id_of(experiment_id, cell.index) == cell.prompt_id)


def queue_final(store: ExperimentStore, client: ComfyClient, plan: Plan, experiment_id: str,
                client_id: str | None, after_cell: int | None) -> str:
    """Queue the prompt that draws the grids (after every cell already queued). It holds
    the graph of `after_cell`, the cell queued last, so ComfyUI's cache keeps its nodes."""
    job = Job(experiment=experiment_id, role=JobRole.ASSEMBLE)

    def post(cell: int | None) -> str:
        return _with_retries(lambda: client.queue_prompt(plan.final_prompt(cell), client_id=client_id,
                                                         extra_data=job.extra_data()))
    try:
        final_id = post(after_cell)
    except PromptRejected:
        if after_cell is None:
            raise
        final_id = post(None)  # that cell's graph was refused (its cell failed): draw without it
    store.update_experiment(experiment_id, final_prompt_id=final_id)
    return final_id


def queue_final_when_settled(store: ExperimentStore, client: ComfyClient, plan: Plan, experiment_id: str,
                 client_id: str | None) -> Callable[[Dispatch], None]:
    """What a dispatch does once every cell is settled: queue the final prompt on this server."""
    def queue_drawing(dispatch: Dispatch) -> None:
        if store.status_of(experiment_id) == ExperimentStatus.CANCELLED:
            return  # the cancel draws the partial grids itself
        try:
            queue_final(store, client, plan, experiment_id, client_id, dispatch.last_local_cell)
        except Exception:
            log.exception("xyz_studio: could not queue the final prompt of experiment %s; resume it to finish",
                          experiment_id)
            store.update_experiment(experiment_id, final_prompt_id=NO_FINAL_PROMPT)
    return queue_drawing


def _with_retries(action: Callable[[], T], delays: tuple[float, ...] = RETRY_DELAYS) -> T:
    """Run `action`, retrying with backoff when the server could not take it (5xx, connection)."""
    for delay in (*delays, None):
        try:
            return action()
        except PromptRejected:
            raise  # the prompt itself is wrong: retrying cannot help
        except (ComfyError, OSError) as e:
            if delay is None or (isinstance(e, ComfyError) and e.status < 500 and e.status != 429):
                raise
            time.sleep(delay)
    raise AssertionError("unreachable")

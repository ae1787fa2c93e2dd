"""Starting an experiment: plan it, record it, queue one ordinary prompt per cell.

Cells go through ComfyUI's own POST /prompt, so they show in the queue, can be
interrupted one by one, use ComfyUI's cache and save as they finish. A last
"assemble" prompt, queued after every cell, draws the grids. The first cell is
queued before the Grid Driver returns (ComfyUI checks the whole graph there); the
others are queued from a background thread, so ComfyUI's worker renders the first
cells while the rest are still being posted instead of waiting for all of them.
"""
from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from .comfyui.client import ComfyClient, ComfyError, PromptRejected
from .comfyui.node_specs import NodeSpec
from .comfyui.prompt_graph import Prompt
from .errors import WorkflowRejected
from .planning.plan import AxisRequest, Plan
from .planning.planner import plan_experiment
from .protocol import Job, JobRole
from .reporting.event_log import Event, log_event
from .reporting.health import WorkerState
from .servers.dispatch import Dispatch
from .servers.lane import Lane
from .servers.remote_cell import remote_cell
from .servers.start import CellEvents, check_workers, start_dispatch
from .storage.folder import ExperimentFolder, new_experiment_id
from .storage.manifest import write_manifest
from .storage.records import NO_DRAWING_PROMPT, Cell, CellStatus, Experiment, ExperimentStatus, Options
from .storage.store import ExperimentStore
from .tracking.run_content import run_id_of
from .tracking.settings import TrackingMode, TrackingSettings, TrackingState, TrackingStatus

log = logging.getLogger("xyz_studio")
RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0)  # seconds between attempts to queue a cell the server could not take
T = TypeVar("T")


def cell_job(experiment_id: str, plan: Plan, cell: Cell) -> Job:
    x, y, z = plan.place(cell.index)
    return Job(experiment=experiment_id, role=JobRole.CELL, index=cell.index, run_order=cell.run_order,
               x=x, y=y, z=z, labels=plan.labels_of(cell.index))


def start_experiment(*, prompt: Prompt, driver_id: str, requests: dict[str, AxisRequest],
                     specs: dict[str, NodeSpec], options: Options, source: dict[str, Any],
                     store: ExperimentStore, client: ComfyClient, client_id: str | None,
                     rng: random.Random | None = None,
                     tracking: TrackingSettings | None = None,
                     on_cell: CellEvents | None = None) -> Started:
    """Plan, validate, record and queue an experiment.

    Raises PlanError before anything is recorded or queued when an axis is wrong, and
    WorkflowRejected when ComfyUI refuses the graph or no server can run it. With
    several servers (`options.servers`), each is checked first and the cells go out
    through a Dispatch instead of all at once into this server's queue; `on_cell` tells
    the browser of the cells that other servers render.
    """
    plan = plan_experiment(prompt, driver_id, requests, specs, options.max_cells, rng, options.order)
    experiment_id = new_experiment_id()
    status = CellStatus.PLANNED if options.dry_run else CellStatus.QUEUED
    cells = []
    for run_order, index in enumerate(plan.run_sequence()):
        x, y, z = plan.place(index)
        cells.append(Cell(experiment_id=experiment_id, index=index, x=x, y=y, z=z, run_order=run_order,
                          status=status, prompt_id=None if options.dry_run else str(uuid.uuid4()),
                          worker=None if options.dry_run or options.servers else client.base_url))
    lanes: list[Lane] = []
    notes: list[str] = []
    first_client = client
    if options.servers and not options.dry_run:
        lanes, notes = check_workers(plan, experiment_id, options.servers, client, plan.run_sequence())
        first = next(lane for lane in lanes if lane.state == WorkerState.UP)
        cells[0] = replace(cells[0], worker=first.url)
        first_client = first.client
        _queue_first_cell_on(first, plan, experiment_id, cells[0], client_id)
    elif not options.dry_run:
        # ComfyUI validates the whole graph when the first cell is posted: a problem outside the
        # axes (a missing model, a bad link) stops the experiment here, before anything is recorded.
        # The cell cannot start before this driver returns (one worker), so the record is in time.
        _queue_first_cell(client, plan, experiment_id, cells[0], client_id)
    folder = ExperimentFolder(store.root, experiment_id)
    now = time.time()
    record = Experiment(id=experiment_id, name=options.name, created=now, updated=now, finished=None,
                        status=ExperimentStatus.PLANNED if options.dry_run else ExperimentStatus.RUNNING,
                        dry_run=options.dry_run, total=len(cells), final_prompt_id=None, plan=plan,
                        options=options, source=source, tracking=_tracking_state(tracking, experiment_id))
    try:
        folder.create()
        store.create(record, cells)
    except OSError as e:
        if not options.dry_run:
            assert cells[0].prompt_id is not None  # only a dry run's cells have no prompt id
            first_client.delete_queued([cells[0].prompt_id])
        raise OSError(e.errno, f"cannot create the experiment folder {folder.dir}: {e.strerror or e}; "
                               "check that ComfyUI's output folder is writable and not full") from e
    write_manifest(folder, record, cells)
    log_event(Event.PLANNED, experiment_id, name=options.name, cells=len(cells), shape=list(plan.shape),
              dry_run=options.dry_run, workers=[lane.url for lane in lanes if lane.state == WorkerState.UP])
    if options.dry_run:
        queue_final(store, client, plan, experiment_id, client_id, None)
    elif options.servers:
        start_dispatch(store, plan, experiment_id, options.servers, lanes, cells[1:], cells[:1], client_id,
                       on_cell, drawing_step(store, client, plan, experiment_id, client_id))
    else:
        threading.Thread(target=_queue_the_rest, args=(store, client, plan, experiment_id, cells, client_id),
                         name=f"xyz_studio queue {experiment_id}", daemon=True).start()
    return Started(experiment_id, plan, tuple(notes))


@dataclass(frozen=True)
class Started:
    """A started experiment: its id, its plan, and what the user should know (servers left out)."""

    experiment_id: str
    plan: Plan
    notes: tuple[str, ...] = ()


def drawing_step(store: ExperimentStore, client: ComfyClient, plan: Plan, experiment_id: str,
                 client_id: str | None) -> Callable[[Dispatch], None]:
    """What a dispatch does once every cell is settled: queue the drawing prompt on this server."""
    def queue_drawing(dispatch: Dispatch) -> None:
        if store.status_of(experiment_id) == ExperimentStatus.CANCELLED:
            return  # the cancel draws the partial grids itself
        try:
            queue_final(store, client, plan, experiment_id, client_id, dispatch.last_local_cell)
        except Exception:
            log.exception("xyz_studio: could not queue the drawing of experiment %s; resume it to finish",
                          experiment_id)
            store.update_experiment(experiment_id, final_prompt_id=NO_DRAWING_PROMPT)
    return queue_drawing


def _queue_first_cell_on(lane: Lane, plan: Plan, experiment_id: str, cell: Cell, client_id: str | None) -> None:
    """The first cell, on the first server that can run it: its answer validates the whole graph."""
    if lane.local:
        _queue_first_cell(lane.client, plan, experiment_id, cell, client_id, run_order=False)
        return
    try:
        lane.client.queue_prompt(remote_cell(plan, experiment_id, cell.index).prompt, prompt_id=cell.prompt_id)
    except PromptRejected as e:
        raise WorkflowRejected(f"{lane.url} refuses the workflow (checked with the first cell, before anything "
                               f"ran):\n{e.describe()}") from None


def _tracking_state(settings: TrackingSettings | None, experiment_id: str) -> TrackingState | None:
    if settings is None:
        return None
    status = TrackingStatus.OFF if settings.mode == TrackingMode.DISABLED else TrackingStatus.STARTING
    return TrackingState(settings=settings, status=status, run_id=run_id_of(experiment_id))


def _queue_the_rest(store: ExperimentStore, client: ComfyClient, plan: Plan, experiment_id: str,
                    cells: list[Cell], client_id: str | None) -> None:
    """Queue every cell after the first, then the drawing prompt (in a background thread).

    If the process dies half way, the cells not yet posted are still "queued" in the
    store with no drawing prompt: after a restart the experiment shows interrupted, and
    resume queues them.
    """
    try:
        queue_cells(store, client, plan, experiment_id, cells[1:], client_id)
        if _still_ours(store, experiment_id, cells[-1]):  # not cancelled, nor resumed meanwhile
            queue_final(store, client, plan, experiment_id, client_id, cells[-1].index)
    except Exception:
        log.exception("xyz_studio: could not queue the rest of experiment %s; resume it to finish", experiment_id)
        if _still_ours(store, experiment_id, cells[-1]):
            store.update_experiment(experiment_id, final_prompt_id=NO_DRAWING_PROMPT)


def _still_ours(store: ExperimentStore, experiment_id: str, cell: Cell) -> bool:
    """The cell is still to be queued under this prompt id: not cancelled, not given a
    new id by a resume or retry that started while this queueing was under way."""
    return (store.status_of(experiment_id) != ExperimentStatus.CANCELLED
            and store.prompt_id_of(experiment_id, cell.index) == cell.prompt_id)


def _queue_first_cell(client: ComfyClient, plan: Plan, experiment_id: str, cell: Cell,
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

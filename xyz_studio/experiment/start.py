"""Starting an experiment: plan it, record it, queue one ordinary prompt per cell.

Cells go through ComfyUI's own POST /prompt, so they show in the queue, can be
interrupted one by one, use ComfyUI's cache and save as they finish. A last prompt,
the final prompt, queued after every cell, assembles the experiment (draws its grids).
The first cell is queued before the Grid Driver returns (ComfyUI checks the whole
graph there); the others are queued from a background thread (experiment/queueing.py),
so ComfyUI's worker renders the first cells while the rest are still being posted
instead of waiting for all of them.
"""
from __future__ import annotations

import random
import threading
import time
import uuid
from dataclasses import dataclass, replace
from typing import Any

from ..comfyui.client import ComfyClient, PromptRejected
from ..comfyui.kept_credentials import CREDENTIALS
from ..comfyui.node_specs import NodeSpec
from ..comfyui.prompt_graph import Prompt
from ..errors import WorkflowRejected
from ..planning.plan import AxisRequest, Plan
from ..planning.planner import plan_experiment
from ..reporting.event_log import Event, log_event
from ..reporting.health import WorkerState
from ..reporting.notifier import SILENT, Notifier, tell_state
from ..servers.lane import Lane
from ..servers.remote_cell import remote_cell
from ..storage.folder import ExperimentFolder, new_experiment_id
from ..storage.manifest import write_manifest
from ..storage.records import Cell, CellStatus, Experiment, ExperimentStatus, Options
from ..storage.store import ExperimentStore
from ..tracking.link import TRACKER, ServerAccess
from ..tracking.run_content import run_id_of
from ..tracking.settings import TrackingMode, TrackingSettings, TrackingState, TrackingStatus
from .queueing import queue_final, queue_final_when_settled, queue_first_cell, queue_the_rest
from .workers import check_workers, start_dispatch


def start_experiment(*, prompt: Prompt, driver_id: str, requests: dict[str, AxisRequest],
                     specs: dict[str, NodeSpec], options: Options, source: dict[str, Any],
                     store: ExperimentStore, client: ComfyClient, client_id: str | None,
                     rng: random.Random | None = None,
                     tracking: TrackingSettings | None = None,
                     notifier: Notifier = SILENT) -> Started:
    """Plan, validate, record and queue an experiment, and tell the editors it started.

    Raises PlanError before anything is recorded or queued when an axis is wrong, and
    WorkflowRejected when ComfyUI refuses the graph or no server can run it. With
    several servers (`options.servers`), each is checked first and the cells go out
    through a Dispatch instead of all at once into this server's queue; `notifier` tells
    the editors of the cells that other servers render. Every later call made for the
    experiment carries `client`'s credentials (kept in this process's memory only), and
    a tracked experiment's W&B run opens here.
    """
    plan = plan_experiment(prompt, driver_id, requests, specs, options.max_cells, rng, options.order,
                           source.get("workflow"))  # names the subgraphs a node sits in
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
        queue_first_cell(client, plan, experiment_id, cells[0], client_id)
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
    CREDENTIALS.keep(experiment_id, client.headers)  # for its cells' history reads, cancel and resume
    TRACKER.start(store, record, ServerAccess(url=client.base_url, headers=dict(client.headers)))
    write_manifest(folder, record, cells)
    log_event(Event.PLANNED, experiment_id, name=options.name, cells=len(cells), shape=list(plan.shape),
              dry_run=options.dry_run, workers=[lane.url for lane in lanes if lane.state == WorkerState.UP])
    if options.dry_run:
        queue_final(store, client, plan, experiment_id, client_id, None)
    elif options.servers:
        start_dispatch(store, plan, experiment_id, options.servers, lanes, cells[1:], cells[:1], client_id,
                       notifier, queue_final_when_settled(store, client, plan, experiment_id, client_id))
    else:
        threading.Thread(target=queue_the_rest, args=(store, client, plan, experiment_id, cells, client_id),
                         name=f"xyz_studio queue {experiment_id}", daemon=True).start()
    tell_state(notifier, store, experiment_id, to_its_panel=True)  # its Grid Assembler's panel shows it
    return Started(experiment_id, plan, options.dry_run, tuple(notes))


@dataclass(frozen=True)
class Started:
    """A started experiment: its id, its plan, and what the user should know (servers left out)."""

    experiment_id: str
    plan: Plan
    dry_run: bool
    notes: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        """The Grid Driver's text in the editor: what was queued, and each server left out."""
        sizes = " x ".join(map(str, self.plan.shape))
        queued = "Dry run" if self.dry_run else "Queued"
        return "\n".join((f"{queued} {self.plan.cell_count} cells ({sizes}), experiment {self.experiment_id}",
                          *self.notes))


def _queue_first_cell_on(lane: Lane, plan: Plan, experiment_id: str, cell: Cell, client_id: str | None) -> None:
    """The first cell, on the first server that can run it: its answer validates the whole graph."""
    if lane.local:
        queue_first_cell(lane.client, plan, experiment_id, cell, client_id, run_order=False)
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

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
from ..search.durable import load_optuna
from ..search.ledger import Search
from ..search.settings import NODE_KEY, SearchSampler, SearchSettings, checked
from ..search.steering import forget_study, open_experiment_search
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
                     search: dict[str, Any] | None = None,
                     notifier: Notifier = SILENT) -> Started:
    """Plan, validate, record and queue an experiment, and tell the editors it started.

    Raises PlanError before anything is recorded or queued when an axis is wrong, and
    WorkflowRejected when ComfyUI refuses the graph or no server can run it. With
    several servers (`options.servers`), each is checked first and the cells go out
    through a Dispatch instead of all at once into this server's queue; `notifier` tells
    the editors of the cells that other servers render. Every later call made for the
    experiment carries `client`'s credentials (kept in this process's memory only), and
    a tracked experiment's W&B run opens here. With a `search` (the Search node's request,
    checked here against the plan), the cells wait as planned and run as it proposes them.
    """
    plan = plan_experiment(prompt, driver_id, requests, specs, options.max_cells, rng, options.order,
                           source.get("workflow"))  # names the subgraphs a node sits in
    if search is not None:
        options = replace(options, search=checked_search(search, plan))
    experiment_id = new_experiment_id()
    unsent = options.dry_run or options.search is not None  # a search's cells run only once proposed
    cells = []
    for run_order, index in enumerate(plan.run_sequence()):
        x, y, z = plan.place(index)
        cells.append(Cell(experiment_id=experiment_id, index=index, x=x, y=y, z=z, run_order=run_order,
                          status=CellStatus.PLANNED if unsent else CellStatus.QUEUED,
                          prompt_id=None if unsent else str(uuid.uuid4()),
                          worker=None if unsent or options.servers else client.base_url))
    lanes: list[Lane] = []
    notes: list[str] = []
    first_client = client
    servers = options.dispatched
    steering: Search | None = None
    sent = cells[:1]  # the cell queued before the driver returns (it validates the graph)
    if servers and not options.dry_run:
        lanes, notes = check_workers(plan, experiment_id, servers, client, plan.run_sequence())
        first = next(lane for lane in lanes if lane.state == WorkerState.UP)
        at = 0
        if options.search is not None:
            steering = open_experiment_search(store.root, experiment_id, plan, options.search, [])
            proposal = steering.propose()
            assert proposal is not None  # a new search has budget (at least 1) and every cell free
            at = next(k for k, c in enumerate(cells) if c.index == proposal.cell)
            cells[at] = replace(cells[at], status=CellStatus.QUEUED, prompt_id=str(uuid.uuid4()), attempts=1)
        cells[at] = replace(cells[at], worker=first.url)
        first_client = first.client
        try:
            _queue_first_cell_on(first, plan, experiment_id, cells[at], client_id)
        except BaseException:
            _drop_search(steering, store, experiment_id, options)
            raise
        sent = [cells[at]]
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
        _drop_search(steering, store, experiment_id, options)
        if not options.dry_run:
            assert sent[0].prompt_id is not None  # only a dry run's cells have no prompt id
            first_client.delete_queued([sent[0].prompt_id])
        raise OSError(e.errno, f"cannot create the experiment folder {folder.dir}: {e.strerror or e}; "
                               "check that ComfyUI's output folder is writable and not full") from e
    CREDENTIALS.keep(experiment_id, client.headers)  # for its cells' history reads, cancel and resume
    TRACKER.start(store, record, ServerAccess(url=client.base_url, headers=dict(client.headers)))
    write_manifest(folder, record, cells)
    log_event(Event.PLANNED, experiment_id, name=options.name, cells=len(cells), shape=list(plan.shape),
              dry_run=options.dry_run, workers=[lane.url for lane in lanes if lane.state == WorkerState.UP])
    if options.dry_run:
        queue_final(store, client, plan, experiment_id, client_id, None)
    elif servers:
        waiting = [] if steering is not None else [c for c in cells if c.index != sent[0].index]
        start_dispatch(store, plan, experiment_id, servers, lanes, waiting, sent, client_id,
                       notifier, queue_final_when_settled(store, client, plan, experiment_id, client_id), steering)
    else:
        threading.Thread(target=queue_the_rest, args=(store, client, plan, experiment_id, cells, client_id),
                         name=f"xyz_studio queue {experiment_id}", daemon=True).start()
    tell_state(notifier, store, experiment_id, to_its_panel=True)  # its Grid Assembler's panel shows it
    return Started(experiment_id, plan, options.dry_run, tuple(notes), options.search)


@dataclass(frozen=True)
class Started:
    """A started experiment: its id, its plan, and what the user should know (servers left out)."""

    experiment_id: str
    plan: Plan
    dry_run: bool
    notes: tuple[str, ...] = ()
    search: SearchSettings | None = None

    @property
    def summary(self) -> str:
        """The Grid Driver's text in the editor: what was queued, and each server left out."""
        sizes = " x ".join(map(str, self.plan.shape))
        what = f"{self.plan.cell_count} cells ({sizes}), experiment {self.experiment_id}"
        if self.dry_run:
            head = f"Dry run {what}"
        elif self.search is not None:
            s = self.search
            head = (f"Searching {min(s.budget, self.plan.cell_count)} of {what}: {s.sampler.value}, "
                    f"{s.objective} ({s.goal.value if s.goal else ''})")
        else:
            head = f"Queued {what}"
        return "\n".join((head, *self.notes))


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


def checked_search(request: dict[str, Any], plan: Plan) -> SearchSettings:
    """The Search node's request checked against the plan (a PlanError naming the Search node before
    anything is recorded or queued), stored with its goal resolved; Optuna is looked for now too."""
    resolved = checked(str(request.get(NODE_KEY) or "Search"), request, plan.metrics, plan.cell_count)
    if resolved.settings.sampler != SearchSampler.GRID:
        load_optuna()  # not installed: say so before the first cell, not after it
    return replace(resolved.settings, goal=resolved.goal)


def _drop_search(steering: Search | None, store: ExperimentStore, experiment_id: str, options: Options) -> None:
    """The experiment did not start: its study goes too."""
    if steering is not None:
        steering.close()
        forget_study(store.root, experiment_id, options.search)


def _tracking_state(settings: TrackingSettings | None, experiment_id: str) -> TrackingState | None:
    if settings is None:
        return None
    status = TrackingStatus.OFF if settings.mode == TrackingMode.DISABLED else TrackingStatus.STARTING
    return TrackingState(settings=settings, status=status, run_id=run_id_of(experiment_id))

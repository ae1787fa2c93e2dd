"""Setting up an experiment's workers: check each one, then start the dispatch.

Used when an experiment starts (the Grid Driver) and when it is resumed or retried
(after a restart too: the workers are stored with the experiment's options).
"""
from __future__ import annotations

from collections.abc import Callable

from ..comfyui.client import ComfyClient
from ..errors import WorkflowRejected
from ..planning.plan import Plan
from ..reporting.event_log import Event, log_event
from ..reporting.health import HEALTH, WorkerState
from ..reporting.notifier import Notifier
from ..search.ledger import Search
from ..servers.dispatch import Dispatch, DispatchHooks
from ..servers.lane import Lane, Sent, Task, new_lane
from ..servers.readiness import check_all, needs_of
from ..servers.remote_cell import needed_classes, remote_cell
from ..servers.server_set import ServerSet, is_this_server
from ..storage.records import Cell
from ..storage.store import ExperimentStore


def check_workers(plan: Plan, experiment_id: str, servers: ServerSet, local: ComfyClient,
                  indices: list[int]) -> tuple[list[Lane], list[str]]:
    """The lanes of the experiment (this server first if it takes part), each checked against
    what the cells `indices` need; and a message per server left out. Raises WorkflowRejected
    when every server lacks something the experiment needs (or does not answer)."""
    indices = covering_cells(plan, indices)
    local_prompts = [plan.cell_prompt(i) for i in indices]
    remote_prompts = [remote_cell(plan, experiment_id, i).prompt for i in indices]
    local_needs = needs_of(local_prompts)
    remote_needs = needs_of(remote_prompts)
    for class_type in needed_classes(plan):
        remote_needs.setdefault(class_type, set())
    lanes: list[Lane] = []
    if servers.include_local:
        lanes.append(new_lane(local.base_url, True, local_needs, 0, client=local))
    for url in servers.urls:
        if not (servers.include_local and is_this_server(url, local.base_url)):  # not this one a second time
            lanes.append(new_lane(url, False, remote_needs, len(lanes)))
    answers = check_all([lane.client for lane in lanes], [lane.needs for lane in lanes])
    notes = []
    for lane, answer in zip(lanes, answers):
        if not answer.ready:
            lane.state = WorkerState.LEFT_OUT if not answer.unreachable else WorkerState.DOWN
            notes.append(answer.describe())
            HEALTH.update(lane.url, state=lane.state, error=answer.describe())
            log_event(Event.WORKER_LEFT_OUT, experiment_id, worker=lane.url, reason=answer.describe())
    if not any(lane.state == WorkerState.UP for lane in lanes):
        raise WorkflowRejected("no server can run this experiment:\n" + "\n".join(notes or ["no servers were given"]))
    return lanes, notes


def covering_cells(plan: Plan, indices: list[int]) -> list[int]:
    """Of `indices`, the first cell with each value of each axis: together they hold every
    value any of the cells gives any input (an input is set by one axis only: the planner
    refuses overlaps), so what the servers must have is read from a few prompts, not from
    each of 10,000."""
    seen: set[tuple[str, int]] = set()
    covering = []
    for index in indices:
        new = {(slot, at) for slot, at in plan.coords_by_slot(index).items()} - seen
        if new:
            seen |= new
            covering.append(index)
    return covering


def start_dispatch(store: ExperimentStore, plan: Plan, experiment_id: str, servers: ServerSet, lanes: list[Lane],
                   waiting: list[Cell], sent: list[Cell], client_id: str | None, notifier: Notifier,
                   finished: Callable[[Dispatch], None], search: Search | None = None) -> Dispatch:
    """Start sending `waiting` cells; `sent` ones are already on the worker their record names;
    then, under a `search`, the cells it proposes. `notifier` tells the editors of each cell
    (SILENT: the cells are recorded; the manifest says the rest)."""
    hooks = DispatchHooks(client_id=client_id, notifier=notifier, finished=finished)
    dispatch = Dispatch(store, plan, experiment_id, lanes, hooks, servers.max_in_flight, servers.cell_timeout,
                        search)
    by_url = {lane.url: lane for lane in lanes}
    by_worker: dict[str, list[tuple[Task, str]]] = {}
    for cell in sent:
        lane = by_url.get(cell.worker or "")
        task = dispatch.task(cell.index, cell.run_order)
        if lane is not None and lane.state == WorkerState.UP and cell.prompt_id:
            by_worker.setdefault(lane.url, []).append((task, cell.prompt_id))
            continue
        waiting = [*waiting, cell]  # its server is not there to ask: render it again
        if lane is not None and cell.prompt_id:  # and take it off that server if it comes back
            lane.to_forget.append(Sent(task, cell.prompt_id, None))
    dispatch.start([dispatch.task(c.index, c.run_order) for c in waiting], by_worker)
    return dispatch

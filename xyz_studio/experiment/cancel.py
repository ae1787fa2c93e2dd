"""Cancel: take an experiment's pending cells off the queue and finish it with what it has.

Works from the store alone (after a restart or kill -9 too). Only the experiment's
own prompts are touched; a running cell is interrupted, the partial grids are drawn.
"""
from __future__ import annotations

import time

from ..answers import CancelledAnswer
from ..comfyui.client import ComfyClient
from ..comfyui.history import HistoryLookup
from ..errors import Conflict, ConflictReason
from ..reporting.event_log import Event, log_event
from ..reporting.notifier import SILENT, Notifier, tell_state
from ..servers import running
from ..servers.lane import forget_on_workers
from ..storage.records import ExperimentStatus
from ..storage.store import ExperimentStore
from .assemble import assemble
from .cell_writer import WRITER

RUNNING_WAIT = 30.0  # seconds to wait for an interrupted cell to stop before drawing partial grids


def cancel(store: ExperimentStore, client: ComfyClient, experiment_id: str,
           lookup: HistoryLookup | None, notifier: Notifier = SILENT) -> CancelledAnswer:
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
    if running_dispatch is None and experiment.options.dispatched:  # after a restart: ask the workers the record names
        forget_on_workers([c for c in cancelled if c.worker != client.base_url])
    log_event(Event.CANCELLED, experiment_id, cells_cancelled=len(cancelled))
    ours = {c.prompt_id for c in cancelled if c.prompt_id}
    if experiment.final_prompt_id:
        ours.add(experiment.final_prompt_id)
    client.cancel_prompts(sorted(ours))  # one atomic request where the host has the job API
    state = client.queue_state()
    deadline = time.monotonic() + RUNNING_WAIT
    while ours & state.running and time.monotonic() < deadline:
        time.sleep(0.05)
        state = client.queue_state()
    finished = assemble(store, experiment_id, lookup, previews=False)
    tell_state(notifier, store, experiment_id, finished.status)
    return CancelledAnswer(id=experiment_id, status=finished.status, cancelled=len(cancelled),
                           counts=finished.counts.to_json(), grids=list(finished.grids))

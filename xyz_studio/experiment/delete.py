"""Deleting an experiment (its record and its folder) and renaming it."""
from __future__ import annotations

from ..answers import DeletedAnswer
from ..comfyui.client import ComfyClient
from ..errors import Conflict, ConflictReason
from ..grids.live import LIVE_GRIDS
from ..protocol import DeletedEvent
from ..reporting.event_log import Event, log_event
from ..reporting.notifier import SILENT, Notifier
from ..search.steering import forget_study
from ..servers import running
from ..storage import disk_use
from ..storage.folder import ExperimentFolder, remove_experiment_folder
from ..storage.locks import experiment_lock
from ..storage.manifest import write_manifest
from ..storage.records import ExperimentStatus
from ..storage.store import ExperimentStore
from .cancel import RUNNING_WAIT
from .cell_writer import WRITER


def delete(store: ExperimentStore, client: ComfyClient, experiment_id: str, server_started: float,
           notifier: Notifier = SILENT) -> DeletedAnswer:
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
        forget_study(store.root, experiment_id, experiment.options.search)
        store.delete(experiment_id)
        disk_use.forget(store.root / experiment_id)
    log_event(Event.DELETED, experiment_id, name=experiment.name)
    notifier.deleted(DeletedEvent(experiment=experiment_id))  # every tab: panels showing it go empty
    return DeletedAnswer(id=experiment_id, name=experiment.name, deleted=True)


def rename(store: ExperimentStore, experiment_id: str, name: str) -> None:
    """Give the experiment another name, in the store and its manifest (grids already drawn
    keep the title they were drawn with until a resume or retry draws them again)."""
    with experiment_lock(experiment_id):  # the manifest is written from the store, not beside a drawing
        store.rename(experiment_id, name)
        folder = ExperimentFolder(store.root, experiment_id)
        if folder.manifest_path.is_file():
            write_manifest(folder, store.experiment(experiment_id), store.cells(experiment_id))

"""Finishing an experiment when all cells are done.

assemble runs in the final prompt (and for a cancel): it waits for the cell writer to
finish the experiment's cells, settles the cells that never reached the assembler
(errors, interrupts) from ComfyUI's history, finishes one grid per Z value (see
grids/: most of each is drawn while the cells come in) and writes the manifest.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from PIL import Image

from ..comfyui.history import HistoryLookup
from ..grids.finish import draw_grids
from ..grids.super_grid import draw_super_grids
from ..reporting.event_log import Event, log_event
from ..reporting.notifier import SILENT, Notifier, tell_state
from ..storage.folder import ExperimentFolder
from ..storage.locks import experiment_lock
from ..storage.manifest import write_manifest
from ..storage.records import CellCounts, ExperimentStatus, GridFile
from ..storage.store import ExperimentStore
from ..tracking.link import TRACKER
from .cell_writer import WRITER
from .settle import settle_cells


@dataclass(frozen=True)
class Assembled:
    """A finished experiment as its manifest records it."""

    status: ExperimentStatus
    counts: CellCounts
    grids: tuple[GridFile, ...]
    previews: list[Image.Image]  # preview copies of the grids for the node's IMAGE output, if asked for


def assemble(store: ExperimentStore, experiment_id: str, lookup: HistoryLookup | None,
             previews: bool = True, notifier: Notifier = SILENT) -> Assembled:
    """Settle cells, draw the grids, mark the experiment finished and write the manifest;
    then `notifier` tells the editors, naming the Grid Assembler it ran through so that
    node's panel shows the grids. (A cancel assembles with SILENT and tells the editors
    itself, without taking over a panel that shows another experiment.)"""
    with experiment_lock(experiment_id):
        assembled = _assemble(store, experiment_id, lookup, previews)
    tell_state(notifier, store, experiment_id, assembled.status, to_its_panel=True)
    return assembled


def _assemble(store: ExperimentStore, experiment_id: str, lookup: HistoryLookup | None,
              previews: bool) -> Assembled:
    experiment = store.experiment(experiment_id)
    WRITER.drain(experiment_id)  # every cell that finished is on disk and recorded before it is settled
    if not experiment.dry_run:
        # over several servers the dispatch settled every cell itself (this server's history
        # does not hold the others' cells: looking them up one by one would cost a request each)
        settle_cells(store, experiment_id, None if experiment.options.dispatched else lookup)
    grids, images = draw_grids(store, experiment_id, previews)
    super_grids = draw_super_grids(store, experiment_id)  # none unless the options ask for them
    status = ExperimentStatus.PLANNED if experiment.dry_run else (
        ExperimentStatus.CANCELLED if experiment.status == ExperimentStatus.CANCELLED else ExperimentStatus.COMPLETE)
    store.update_experiment(experiment_id, status=status, grids=grids, super_grids=super_grids, finished=time.time())
    folder = ExperimentFolder(store.root, experiment_id)
    finished, cells = store.experiment(experiment_id), store.cells(experiment_id)
    write_manifest(folder, finished, cells)
    counts = CellCounts.of(c.status for c in cells)
    log_event(Event.FINISHED, experiment_id, status=status.value, counts=counts.to_json(),
              seconds=round(time.time() - experiment.created, 3))
    TRACKER.finish(store, experiment_id)  # grids, late rows and summary go to W&B off this thread
    return Assembled(status=status, counts=counts, grids=finished.grids, previews=images)

"""Saving each cell as it finishes, and settling the cells that never reached the assembler.

A finished cell's images are handed to one background writer (CellWriter): it
encodes the PNGs, renames each into place, then commits the cell in the store, in
the order the cells finished. ComfyUI's worker goes on to the next cell at once
instead of waiting for zlib and the disk. The writer's queue is bounded, so a fast
producer waits rather than filling memory; whoever needs every cell on disk and
recorded (drawing the grids, cancel, resume, retry) drains the experiment's writes first.
After a cell is recorded, the writer also draws it into its grid (grids.live.LIVE_GRIDS),
so the grids are mostly drawn when the last cell is in. A kill -9 loses at most
the cells still in the writer's queue: their records still say "queued", so resume
re-runs them, or adopts a PNG that reached the disk before its record did.
"""
from __future__ import annotations

import errno
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from .. import protocol as P
from ..comfyui.history import HistoryLookup
from ..comfyui.prompt_graph import Prompt, without_annotations
from ..common.background import BackgroundWorker
from ..grids.live import LIVE_GRIDS
from ..protocol import CellEvent, Job
from ..reporting.notifier import SILENT, Notifier, safely
from ..storage.folder import ExperimentFolder, save_png
from ..storage.records import CellCounts, CellStatus
from ..storage.store import ExperimentStore
from ..tracking.link import TRACKER
from .settle import settle_cells

log = logging.getLogger("xyz_studio")
WRITER_CAPACITY = 8  # finished cells waiting to be written, at most (then the worker waits)
INLINE_PIXELS = 256 * 256  # cells up to this size are written by ComfyUI's worker itself (see submit)


SAVE_RETRY_DELAYS = (0.05, 0.2, 0.5)
# Errors that waiting cannot fix: report them at once, clearly.
_PERMANENT = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EISDIR, errno.ENOTDIR}


class CellSaveError(OSError):
    """A cell's image could not be written; what was saved before is kept."""


def _save_with_retries(path: Path, image: Image.Image, text: dict[str, Any], folder: ExperimentFolder) -> None:
    for delay in (*SAVE_RETRY_DELAYS, None):
        try:
            save_png(path, image, text)
            return
        except FileNotFoundError as e:
            folder.create()  # the folder was removed under us: recreate it and try again
            if delay is None:
                raise CellSaveError(e.errno, f"could not save {path.name} in {folder.dir}: its folder keeps "
                                             "disappearing; the cells saved before are kept") from e
        except OSError as e:
            if delay is None or e.errno in _PERMANENT or isinstance(e, IsADirectoryError):
                reason = e.strerror or str(e)
                raise CellSaveError(e.errno, f"could not save {path.name} in {folder.dir}: {reason}; "
                                             "the cells saved before are kept") from e
        time.sleep(delay)


def standalone_prompt(cell_prompt: Prompt) -> Prompt:
    """The cell's prompt with the Grid Assembler swapped for a Save Image node.

    Stored in each cell PNG: dropped onto ComfyUI, it reproduces that one image on its
    own (a Grid Assembler outside an experiment renders nothing).
    """
    out = without_annotations(cell_prompt or {})
    for node_id, node in out.items():
        if isinstance(node, dict) and node.get("class_type") == P.NODE_ASSEMBLER and "image" in node.get("inputs", {}):
            out[node_id] = {"class_type": "SaveImage", "_meta": {"title": "Save Image (XYZ cell)"},
                            "inputs": {"images": node["inputs"]["image"], "filename_prefix": "xyz_cell"}}
    return out


def save_cell(store: ExperimentStore, job: Job, images: list[Image.Image], cell_prompt: Prompt,
              lookup: HistoryLookup | None = None,
              metrics: dict[str, float | None] | None = None) -> tuple[list[str], CellCounts]:
    """Write a cell's image(s) with coordinates, metrics and the full cell prompt in the PNG text.

    The PNG is renamed into place before the store records the cell, so a record never
    points at a missing file. Returns the files (relative to the experiment folder)
    and the experiment's cell counts.
    """
    experiment_id, index = job.experiment, job.index
    folder = ExperimentFolder(store.root, experiment_id)
    # x and y: the cell's column and row in its grid; z: that grid's number; at: its value on every axis
    meta = {"experiment": experiment_id, "index": index, "x": job.x, "y": job.y, "z": job.z, "at": job.at,
            "labels": job.labels, "batch_size": len(images), "metrics": metrics or {}}
    runnable = standalone_prompt(cell_prompt)
    files = []
    for b, image in enumerate(images):
        path = folder.cell_path(job.file_stem or folder.coordinates_stem(job.x, job.y, job.z), b)
        _save_with_retries(path, image, {"prompt": runnable, "xyz_studio": {**meta, "batch_index": b}}, folder)
        files.append(folder.relative(path))
    counts, earlier = store.finish_cell(experiment_id, index, files, job.run_order, metrics)
    if earlier and lookup is not None:  # cells queued before this one ended without saving: record why, now
        try:
            settle_cells(store, experiment_id, lookup, only=set(earlier))
        except Exception:  # this cell is saved; the earlier ones are settled again when the grids are drawn
            log.warning("xyz_studio: could not read why cells before %s failed; settled at the end", index,
                        exc_info=True)
        counts = store.counts(experiment_id)
    return files, counts


@dataclass(frozen=True)
class FinishedCell:
    """A cell that finished rendering, as handed to the writer."""

    job: Job
    images: list[Image.Image]
    cell_prompt: Prompt                      # stored in its PNG (see standalone_prompt)
    metrics: dict[str, float | None] = field(default_factory=dict)
    prompt_id: str | None = None             # the prompt that rendered it: the editor times the cell by it
    worker: str | None = None                # the URL of the server that rendered it


@dataclass(frozen=True)
class SavedCell:
    """What became of a finished cell: its files, or why it could not be saved."""

    job: Job
    files: list[str]
    counts: CellCounts
    error: str | None = None

    def event(self, prompt_id: str | None = None, metrics: dict[str, float | None] | None = None,
              worker: str | None = None) -> CellEvent:
        """The cell event every open editor gets: the cell, and the experiment's counts from the store."""
        job, counts = self.job, self.counts
        return CellEvent(experiment=job.experiment, index=job.index, x=job.x, y=job.y, z=job.z,
                         status=CellStatus.FAILED if self.error else CellStatus.DONE, files=self.files,
                         done=counts.done, failed=counts.failed, total=counts.total, error=self.error,
                         prompt_id=prompt_id, metrics=dict(metrics or {}), worker=worker)


@dataclass(frozen=True)
class _Write:
    store: ExperimentStore
    cell: FinishedCell
    lookup: HistoryLookup | None
    notifier: Notifier


class CellWriter:
    """One background thread that saves finished cells, in the order they were handed over."""

    def __init__(self, capacity: int = WRITER_CAPACITY):
        self._worker: BackgroundWorker[_Write] = BackgroundWorker("cell writer", self._handle, capacity)
        self._pending: Counter[str] = Counter()   # experiment id -> cells handed over, not yet written
        self._changed = threading.Condition()

    def writes_on_the_spot(self, images: list[Image.Image]) -> bool:
        """Whether `submit` would write these images before it returns (see there). Only
        ComfyUI's worker submits, and the writer only ever catches up, so the answer holds
        until that worker's next submit."""
        with self._changed:
            return not self._pending and sum(im.width * im.height for im in images) <= INLINE_PIXELS

    def submit(self, store: ExperimentStore, cell: FinishedCell, lookup: HistoryLookup | None,
               notifier: Notifier = SILENT) -> SavedCell | None:
        """Hand a finished cell over; blocks while the writer is `capacity` cells behind. Once it
        is saved (or could not be), `notifier` tells the editors.

        `lookup` reads ComfyUI's history to settle the cells queued before this one that never
        reached the writer; None for a cell whose run order says nothing of the others (one
        sent to another server). A small cell with nothing ahead of it is written on the spot
        instead: its PNG costs less than a millisecond, and a second thread running Python
        beside ComfyUI's worker would cost the worker more than that in waiting for the
        interpreter lock. Returns what became of a cell written on the spot; None for one
        handed to the writer's thread.
        """
        write = _Write(store, cell, lookup, notifier)
        with self._changed:
            inline = not self._pending and sum(im.width * im.height for im in cell.images) <= INLINE_PIXELS
            self._pending[cell.job.experiment] += 1
        if inline:
            return self._handle(write)
        self._worker.submit(write)
        return None

    def pending(self, experiment_id: str) -> int:
        """Cells of the experiment handed over and not yet written and recorded."""
        with self._changed:
            return self._pending[experiment_id]

    def drain(self, experiment_id: str, timeout: float | None = None) -> bool:
        """Wait until every cell of the experiment handed over so far is written and recorded."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._pending[experiment_id], timeout)

    def _handle(self, write: _Write) -> SavedCell | None:
        cell, job = write.cell, write.cell.job
        saved = None
        try:
            saved = _write(write)
            if saved is not None:  # None: even the failure could not be recorded (logged)
                safely(write.notifier, saved.event(cell.prompt_id, cell.metrics, cell.worker))
                if not saved.error:  # before the drain ends, so drawing the grids finds it
                    LIVE_GRIDS.add(write.store, job, cell.images, cell.metrics)
                TRACKER.cell(write.store, job.experiment, job.index)  # a message, no waiting
        finally:
            for image in cell.images:
                image.close()
            with self._changed:
                self._pending[job.experiment] -= 1
                if not self._pending[job.experiment]:
                    del self._pending[job.experiment]
                self._changed.notify_all()
        return saved


def _write(write: _Write) -> SavedCell | None:
    cell = write.cell
    try:
        files, counts = save_cell(write.store, cell.job, cell.images, cell.cell_prompt, write.lookup, cell.metrics)
        return SavedCell(cell.job, files, counts)
    except CellSaveError as e:
        return _record_failure(write, str(e))
    except Exception as e:  # not a save error: record the cell as failed, keep the writer alive
        log.exception("xyz_studio: could not record cell %s of experiment %s", cell.job.index, cell.job.experiment)
        return _record_failure(write, f"could not record the cell: {type(e).__name__}: {e}")


def _record_failure(write: _Write, error: str) -> SavedCell | None:
    job = write.cell.job
    try:
        write.store.update_cell(job.experiment, job.index, status=CellStatus.FAILED, error=error,
                                finished_at=time.time())
        return SavedCell(job, [], write.store.counts(job.experiment), error)
    except Exception:
        log.exception("xyz_studio: could not record cell %s of experiment %s as failed", job.index, job.experiment)
        return None


WRITER = CellWriter()  # one per process: cells are written in the order ComfyUI's one worker finished them

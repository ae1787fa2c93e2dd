"""Saving each cell as it finishes, and drawing the grids when all cells are done.

save_cell runs inside each cell's prompt: the image is on disk (atomically) and the
store says "done" before the next cell starts. assemble runs in the final prompt:
it settles the cells that never reached the assembler (errors, interrupts) from
ComfyUI's history, draws one grid per Z value and writes the manifest.
"""
from __future__ import annotations

import errno
import math
import time
from typing import Any, Callable, Iterable

from PIL import Image

from . import protocol as P
from .comfyui.history import PromptOutcome, PromptState, outcome
from .comfyui.prompt_graph import without_annotations
from .planning.plan import Plan
from .protocol import Job
from .render.grid import GridLayout, Tile, TileKind, render_grid
from .storage.folder import GRID_COMPRESS_LEVEL, ExperimentFolder, save_png
from .storage.locks import experiment_lock
from .storage.manifest import write_manifest
from .storage.records import Cell, CellStatus, ExperimentStatus, GridFile
from .storage.store import ExperimentStore

PREVIEW_MEGAPIXELS = 32.0  # all grids' copies in the IMAGE output together (float32: ~400 MB at most)
MIN_DISPLAY_CELL = 128  # px: smaller renders are enlarged on the grid so labels have room
HistoryLookup = Callable[[list[str]], dict[str, dict]]


SAVE_RETRY_DELAYS = (0.05, 0.2, 0.5)
# Errors that waiting cannot fix: report them at once, clearly.
_PERMANENT = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EISDIR, errno.ENOTDIR}


class CellSaveError(OSError):
    """A cell's image could not be written; what was saved before is kept."""


def _save_with_retries(path, image: Image.Image, text: dict, folder: ExperimentFolder) -> None:
    for delay in (*SAVE_RETRY_DELAYS, None):
        try:
            save_png(path, image, text)
            return
        except FileNotFoundError:
            folder.create()  # the folder was removed under us: recreate it and try again
            if delay is None:
                raise
        except OSError as e:
            if delay is None or e.errno in _PERMANENT or isinstance(e, IsADirectoryError):
                reason = e.strerror or str(e)
                raise CellSaveError(e.errno, f"could not save {path.name} in {folder.dir}: {reason}; "
                                             "the cells saved before are kept") from e
        time.sleep(delay)


def standalone_prompt(cell_prompt: dict) -> dict:
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


def save_cell(store: ExperimentStore, job: Job, images: list[Image.Image], cell_prompt: dict,
              lookup: HistoryLookup | None = None) -> tuple[list[str], dict[str, int]]:
    """Write a cell's image(s) with coordinates and the full cell prompt in the PNG text.

    The PNG is renamed into place before the store records the cell, so a record never
    points at a missing file. Returns the files (relative to the experiment folder)
    and the experiment's cell counts.
    """
    experiment_id, index = job.experiment, int(job.cell)
    folder = ExperimentFolder(store.root, experiment_id)
    meta = {"experiment": experiment_id, "index": index, "x": job.x, "y": job.y, "z": job.z, "labels": job.labels,
            "batch_size": len(images)}
    runnable = standalone_prompt(cell_prompt)
    files = []
    for b, image in enumerate(images):
        path = folder.cell_path(job.x, job.y, job.z, b)
        _save_with_retries(path, image, {"prompt": runnable, "xyz_studio": {**meta, "batch_index": b}}, folder)
        files.append(folder.relative(path))
    counts, earlier = store.finish_cell(experiment_id, index, files, job.run_order)
    if earlier and lookup is not None:  # cells queued before this one ended without saving: record why, now
        settle_cells(store, experiment_id, lookup, only=set(earlier))
        counts = store.counts(experiment_id)
    return files, counts


def settle_cells(store: ExperimentStore, experiment_id: str, lookup: HistoryLookup | None,
                 only: set[int] | None = None) -> None:
    """Record outcome and timing of cells (all, or `only` these) from ComfyUI's history."""
    settled = (CellStatus.QUEUED, CellStatus.DONE)
    cells = [c for c in store.cells(experiment_id) if c.status in settled and (only is None or c.index in only)]
    wanted = [c.prompt_id for c in cells if c.prompt_id]
    entries = lookup(wanted) if lookup and wanted else {}
    updates: dict[int, dict[str, Any]] = {}
    for c in cells:
        result: PromptOutcome = outcome(entries.get(c.prompt_id) if c.prompt_id else None)
        fields: dict[str, Any] = {}
        if result.started is not None:
            fields["started_at"] = result.started
        if result.seconds is not None:
            fields["seconds"] = round(result.seconds, 4)
        if c.status == CellStatus.QUEUED:
            fields["status"] = CellStatus.FAILED
            if result.state == PromptState.SUCCESS:
                fields["error"] = "the cell finished but no image reached the Grid Assembler"
            else:
                fields["error"] = result.error or "the cell did not finish"
        if fields:
            updates[c.index] = fields
    store.update_cells(experiment_id, updates)


def footer_text(plan: Plan) -> str:
    groups: dict[str, list[str]] = {}
    for node, name, value in plan.fixed:
        groups.setdefault(node, []).append(f"{name} {value}")
    return "Fixed: " + "; ".join(f"{node}: " + ", ".join(items) for node, items in groups.items()) if groups else ""


def _tile(folder: ExperimentFolder, plan: Plan, cell: Cell | None, dry_run: bool) -> Tile:
    if cell is None:
        return Tile(kind=TileKind.MISSING, text="missing")
    if cell.status == CellStatus.DONE and cell.files:
        paths = tuple(folder.dir / f for f in cell.files)
        return Tile(kind=TileKind.IMAGE, path=paths[0], images=paths if len(paths) > 1 else ())
    if cell.status == CellStatus.PLANNED or dry_run:
        caption = "\n".join(f"{slot}: {label}" for slot, label in plan.labels_of(cell.index).items())
        return Tile(kind=TileKind.PLACEHOLDER, text=caption)
    if cell.status == CellStatus.CANCELLED:
        return Tile(kind=TileKind.CANCELLED, text="not rendered: the experiment was cancelled (resume to fill it in)")
    return Tile(kind=TileKind.ERROR, text=cell.error or cell.status.value)


def display_cell_size(folder: ExperimentFolder, cells: Iterable[Cell]) -> tuple[int, int] | None:
    """Cell size on the grid: the renders' own size, enlarged by a whole factor when tiny.

    Labels need room: a 64 px render would squeeze its column label into a few
    characters per line, so small renders are shown at 2x, 3x ... (pixel-exact).
    """
    for cell in cells:
        if cell.status == CellStatus.DONE and cell.files:
            try:
                with Image.open(folder.dir / cell.files[0]) as im:
                    w, h = im.size
            except (OSError, ValueError, Image.DecompressionBombError):
                continue  # a missing or broken file becomes an error tile; size comes from another cell
            factor = max(1, math.ceil(MIN_DISPLAY_CELL / max(1, min(w, h))))
            return w * factor, h * factor
    return None


def draw_grids(store: ExperimentStore, experiment_id: str,
               preview_megapixels: float = PREVIEW_MEGAPIXELS) -> tuple[list[GridFile], list[Image.Image]]:
    """Render and save one grid per Z value, one at a time.

    Returns the grid records and preview copies (together at most `preview_megapixels`)
    for the node's IMAGE output; the files on disk keep full size.
    """
    experiment = store.experiment(experiment_id)
    plan = Plan.from_dict(experiment.plan)
    folder = ExperimentFolder(store.root, experiment_id)
    folder.create()
    cells = {c.index: c for c in store.cells(experiment_id)}
    nx, ny, nz = plan.shape
    x_axis, y_axis, z_axis = plan.axis("x"), plan.axis("y"), plan.axis("z")
    source = experiment.source or {}
    cell_size = display_cell_size(folder, cells.values())
    grids: list[GridFile] = []
    images: list[Image.Image] = []
    for z in range(nz):
        title = experiment.name
        if z_axis is not None:
            title += f" — {z_axis.title}: {z_axis.labels[z]}"
        layout = GridLayout(
            title=title,
            x_title=x_axis.title,
            x_labels=tuple(x_axis.labels),
            y_title=y_axis.title if y_axis else "",
            y_labels=tuple(y_axis.labels) if y_axis else ("",),
            footer=footer_text(plan),
            cell_size=cell_size,
            max_megapixels=float(experiment.options.max_megapixels),
        )
        image = render_grid(layout, lambda xi, yi: _tile(folder, plan, cells.get(plan.index(xi, yi, z)),
                                                         experiment.dry_run))
        path = folder.grid_path(z)
        text: dict[str, Any] = {"xyz_studio": {"experiment": experiment_id, "z": z}}
        if source.get("workflow"):
            text["workflow"] = source["workflow"]
        if source.get("prompt"):
            text["prompt"] = source["prompt"]
        save_png(path, image, text, GRID_COMPRESS_LEVEL)
        grids.append(GridFile(z=z, file=folder.relative(path), width=image.width, height=image.height))
        images.append(_preview_copy(image, preview_megapixels / nz))
        image.close()  # only the bounded preview copies stay in memory across Z values
    return grids, images


def _preview_copy(image: Image.Image, megapixels: float) -> Image.Image:
    if image.width * image.height <= megapixels * 1e6:
        return image.copy()
    scale = (megapixels * 1e6 / (image.width * image.height)) ** 0.5
    return image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))),
                        Image.Resampling.LANCZOS)


def assemble(store: ExperimentStore, experiment_id: str,
             lookup: HistoryLookup | None) -> tuple[list[Image.Image], dict]:
    """Settle cells, draw the grids, mark the experiment finished and write the manifest.

    Returns preview copies of the grids (for the node's IMAGE output) and the manifest.
    """
    with experiment_lock(experiment_id):
        return _assemble(store, experiment_id, lookup)


def _assemble(store: ExperimentStore, experiment_id: str,
              lookup: HistoryLookup | None) -> tuple[list[Image.Image], dict]:
    experiment = store.experiment(experiment_id)
    if not experiment.dry_run:
        settle_cells(store, experiment_id, lookup)
    grids, images = draw_grids(store, experiment_id)
    status = ExperimentStatus.PLANNED if experiment.dry_run else (
        ExperimentStatus.CANCELLED if experiment.status == ExperimentStatus.CANCELLED else ExperimentStatus.COMPLETE)
    store.update_experiment(experiment_id, status=status, grids=grids, finished=time.time())
    folder = ExperimentFolder(store.root, experiment_id)
    manifest = write_manifest(folder, store.experiment(experiment_id), store.cells(experiment_id))
    return images, manifest

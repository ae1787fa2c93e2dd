"""Drawing the grids when all cells are done.

assemble runs in the final prompt (and for a cancel): it waits for the cell writer to
finish the experiment's cells, settles the cells that never reached the assembler
(errors, interrupts) from ComfyUI's history, draws one grid per Z value and writes
the manifest.
"""
from __future__ import annotations

import math
import time
from typing import Any, Iterable

from PIL import Image

from .cells import WRITER, HistoryLookup, settle_cells
from .planning.plan import Plan
from .render.grid import GridLayout, Tile, TileKind, render_grid
from .storage.folder import GRID_COMPRESS_LEVEL, ExperimentFolder, save_png
from .storage.locks import experiment_lock
from .storage.manifest import write_manifest
from .storage.records import Cell, CellStatus, ExperimentStatus, GridFile
from .storage.store import ExperimentStore

# All grids' copies in the IMAGE output together: 2 MP is a 1448 x 1448 picture, 24 MB as float32.
# The files on disk keep full size; a larger copy would only raise the server's peak memory.
PREVIEW_MEGAPIXELS = 2.0
MIN_DISPLAY_CELL = 128  # px: smaller renders are enlarged on the grid so labels have room


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
    WRITER.drain(experiment_id)  # every cell that finished is on disk and recorded before it is settled
    if not experiment.dry_run:
        settle_cells(store, experiment_id, lookup)
    grids, images = draw_grids(store, experiment_id)
    status = ExperimentStatus.PLANNED if experiment.dry_run else (
        ExperimentStatus.CANCELLED if experiment.status == ExperimentStatus.CANCELLED else ExperimentStatus.COMPLETE)
    store.update_experiment(experiment_id, status=status, grids=grids, finished=time.time())
    folder = ExperimentFolder(store.root, experiment_id)
    manifest = write_manifest(folder, store.experiment(experiment_id), store.cells(experiment_id))
    return images, manifest

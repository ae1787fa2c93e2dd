"""Drawing an experiment's grids band by band, most of it while the cells still come in.

A grid is painted and encoded in horizontal bands (render.painter.GridPainter,
render.png_stream.PngBandWriter): the header, one band per row of tiles, the
footer. Only one band is ever in memory, plus a small preview copy for the node's
IMAGE output.

While an experiment runs with X in its innermost loop (rows fill one after another),
the cell writer hands each saved image here too (LIVE_GRIDS.add). The image is
fitted to its tile at once and kept until its row is complete; a complete row (with
every row above it) is painted and compressed into the grid's file straight away by
the cell writer. When the last cell is in, drawing the grids is only what is left,
often one row and the footer, and no cell PNG is read back. What this cannot vouch for (cells of differing sizes, a cell that
failed, a tile budget reached, a run resumed in another process) is simply left to
the end, where `draw_grids` reads those tiles from disk: the result is the same
pixels either way.
"""
from __future__ import annotations

import logging
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable, Iterable

import numpy as np
from PIL import Image

from .planning.plan import Plan
from .protocol import Job, strict_json
from .render.grid import DEFAULT_CELL, GridLayout, Tile, TileKind, fit_tile, render_tile
from .render.painter import GridPainter
from .render.png_stream import PngBandWriter
from .storage.folder import GRID_COMPRESS_LEVEL, ExperimentFolder
from .storage.records import Cell, CellStatus, Experiment, GridFile
from .storage.store import ExperimentStore

log = logging.getLogger("xyz_studio")
# All grids' copies in the IMAGE output together: 2 MP is a 1448 x 1448 picture, 24 MB as float32.
# The files on disk keep full size; a larger copy would only raise the server's peak memory.
PREVIEW_MEGAPIXELS = 2.0
MIN_DISPLAY_CELL = 128  # px: smaller renders are enlarged on the grid so labels have room
# Fitted tiles kept for rows not yet drawn, all running experiments together. Past it,
# a tile is read back from its file at the end instead (slower, never wrong).
LIVE_TILE_BUDGET = 32 * 2**20
LIVE_EXPERIMENTS = 4  # experiments drawn live at once; an older one is finished from disk


def footer_text(plan: Plan) -> str:
    groups: dict[str, list[str]] = {}
    for node, name, value in plan.fixed:
        groups.setdefault(node, []).append(f"{name} {value}")
    return "Fixed: " + "; ".join(f"{node}: " + ", ".join(items) for node, items in groups.items()) if groups else ""


def display_size(width: int, height: int) -> tuple[int, int]:
    """A render's size on the grid: its own, enlarged by a whole factor when tiny.

    Labels need room: a 64 px render would squeeze its column label into a few
    characters per line, so small renders are shown at 2x, 3x ... (pixel-exact).
    """
    factor = max(1, math.ceil(MIN_DISPLAY_CELL / max(1, min(width, height))))
    return width * factor, height * factor


def display_cell_size(folder: ExperimentFolder, cells: Iterable[Cell]) -> tuple[int, int] | None:
    """Cell size on the grid, from the first readable render in index order."""
    for cell in sorted(cells, key=lambda c: c.index):
        if cell.status == CellStatus.DONE and cell.files:
            try:
                with Image.open(folder.dir / cell.files[0]) as im:
                    return display_size(*im.size)
            except (OSError, ValueError, Image.DecompressionBombError):
                continue  # a missing or broken file becomes an error tile; size comes from another cell
    return None


def grid_layout(experiment: Experiment, plan: Plan, z: int, cell_size: tuple[int, int] | None) -> GridLayout:
    x_axis, y_axis, z_axis = plan.axis("x"), plan.axis("y"), plan.axis("z")
    title = experiment.name
    if z_axis is not None:
        title += f" — {z_axis.title}: {z_axis.labels[z]}"
    return GridLayout(title=title, x_title=x_axis.title, x_labels=tuple(x_axis.labels),
                      y_title=y_axis.title if y_axis else "", y_labels=tuple(y_axis.labels) if y_axis else ("",),
                      footer=footer_text(plan), cell_size=cell_size,
                      max_megapixels=float(experiment.options.max_megapixels))


def grid_text(experiment: Experiment, z: int) -> dict[str, str]:
    """The grid PNG's text: which experiment and Z, and the source workflow (so dropping the
    grid on ComfyUI loads the XYZ workflow that made it)."""
    source = experiment.source or {}
    text = {"xyz_studio": strict_json({"experiment": experiment.id, "z": z})}
    for key in ("workflow", "prompt"):
        if source.get(key):
            text[key] = strict_json(source[key])
    return text


def tile_of(folder: ExperimentFolder, plan: Plan, cell: Cell | None, dry_run: bool) -> Tile:
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


class GridDrawing:
    """One Z value's grid file, painted and written band by band, with its preview copy."""

    def __init__(self, folder: ExperimentFolder, z: int, painter: GridPainter, text: dict[str, str],
                 preview_megapixels: float):
        self.z, self.painter = z, painter
        self.path = folder.grid_path(z)
        self.relative = folder.relative(self.path)
        width, height = painter.width, painter.height
        self.next_band = 0
        self._writer = PngBandWriter(self.path, width, height, text, GRID_COMPRESS_LEVEL)
        self._scale = min(1.0, math.sqrt(preview_megapixels * 1e6 / (width * height)))
        self._preview = Image.new("RGB", (max(1, round(width * self._scale)), max(1, round(height * self._scale))))

    @property
    def complete(self) -> bool:
        return self.next_band == len(self.painter.bands)

    def next_rows(self) -> range:
        """The rows of tiles the next band holds (empty for the header and the footer)."""
        return self.painter.rows_in(*self.painter.bands[self.next_band])

    def draw_next(self, tile_image: Callable[[int, int], Image.Image | None]) -> None:
        top, bottom = self.painter.bands[self.next_band]
        band = self.painter.paint(top, bottom, tile_image)
        self._writer.write(np.asarray(band))
        p_top, p_bottom = round(top * self._scale), round(bottom * self._scale)
        if p_bottom > p_top:
            small = band if self._scale == 1.0 else band.resize(
                (self._preview.width, p_bottom - p_top), Image.Resampling.LANCZOS, reducing_gap=3.0)
            self._preview.paste(small, (0, p_top))
        band.close()
        self.next_band += 1

    def finish(self) -> tuple[GridFile, Image.Image]:
        self._writer.close()
        return (GridFile(z=self.z, file=self.relative, width=self.painter.width, height=self.painter.height),
                self._preview)

    @property
    def intact(self) -> bool:
        return self._writer.intact

    def abort(self) -> None:
        self._writer.abort()
        self._preview.close()


@dataclass
class _LiveExperiment:
    """An experiment's grids as far as its cells so far allow."""

    plan: Plan
    cell_size: tuple[int, int]
    drawings: dict[int, GridDrawing]
    tiles: dict[int, Image.Image] = field(default_factory=dict)  # cell index -> fitted tile, row not drawn
    drawn: set[int] = field(default_factory=set)                  # cells whose row is in the file
    tile_bytes: int = 0                                           # what `tiles` holds

    def keep(self, index: int, tile: Image.Image) -> None:
        self.tiles[index] = tile
        self.tile_bytes += tile.width * tile.height * 3

    def pop(self, index: int) -> Image.Image | None:
        tile = self.tiles.pop(index, None)
        if tile is not None:
            self.tile_bytes -= tile.width * tile.height * 3
        return tile

    def advance(self, drawing: GridDrawing) -> None:
        """Draw every band whose tiles are all here, top down, stopping at the first that is not."""
        plan, columns = self.plan, self.plan.shape[0]
        while not drawing.complete:
            rows = drawing.next_rows()
            if drawing.next_band == len(drawing.painter.bands) - 1:
                return  # the footer waits for the end: nothing after it may change the file
            indexes = [plan.index(xi, yi, drawing.z) for yi in rows for xi in range(columns)]
            if any(i not in self.tiles for i in indexes):
                return
            drawing.draw_next(lambda xi, yi: self.pop(plan.index(xi, yi, drawing.z)))
            self.drawn.update(indexes)

    def close(self) -> None:
        for drawing in self.drawings.values():
            drawing.abort()
        for tile in self.tiles.values():
            tile.close()
        self.tiles.clear()
        self.tile_bytes = 0


class LiveGrids:
    """The grids of the running experiments, drawn as their cells are saved (by the cell writer)."""

    def __init__(self, budget: int = LIVE_TILE_BUDGET, keep: int = LIVE_EXPERIMENTS):
        self.budget, self.keep = budget, keep
        self._live: OrderedDict[str, _LiveExperiment | None] = OrderedDict()  # None: not drawn live
        self._lock = threading.Lock()

    def add(self, store: ExperimentStore, job: Job, images: list[Image.Image]) -> None:
        """Take a saved cell's image (the caller keeps and closes it). Never raises: drawing
        live only saves time at the end, which draws whatever is not done here."""
        try:
            with self._lock:
                self._add(store, job, images)
        except Exception:
            log.warning("xyz_studio: could not draw cell %s into the grid yet; drawn at the end", job.cell,
                        exc_info=True)
            self.discard(job.experiment)

    def _add(self, store: ExperimentStore, job: Job, images: list[Image.Image]) -> None:
        if job.experiment not in self._live:
            self._live[job.experiment] = self._start(store, job, images)
            while len(self._live) > self.keep:
                _, oldest = self._live.popitem(last=False)
                if oldest is not None:
                    oldest.close()
        live = self._live[job.experiment]
        if live is None:
            return
        if len(images) != 1 or display_size(*images[0].size) != live.cell_size:
            return  # a batch or another size: its tile is drawn from its files at the end
        drawing = live.drawings[job.z]
        size = drawing.painter.geometry.cell
        if self._tile_bytes() + size[0] * size[1] * 3 > self.budget:
            return
        live.keep(int(job.cell), fit_tile(images[0], size))
        live.advance(drawing)

    def _tile_bytes(self) -> int:
        return sum(live.tile_bytes for live in self._live.values() if live is not None)

    @staticmethod
    def _start(store: ExperimentStore, job: Job, images: list[Image.Image]) -> _LiveExperiment | None:
        if len(images) != 1:
            return None
        experiment = store.experiment(job.experiment)
        if experiment is None or experiment.dry_run:
            return None
        plan = Plan.from_dict(experiment.plan)
        if plan.loop_order and plan.loop_order[-1] != "x":
            # columns fill first (a costlier X varies slowest): no row is complete before the
            # end, so holding tiles would only cost memory; the end draws from the files
            return None
        cell_size = display_size(*images[0].size)
        folder = ExperimentFolder(store.root, job.experiment)
        drawings = {}
        for z in range(plan.shape[2]):
            painter = GridPainter(grid_layout(experiment, plan, z, cell_size), cell_size)
            drawing = GridDrawing(folder, z, painter, grid_text(experiment, z), PREVIEW_MEGAPIXELS / plan.shape[2])
            drawing.draw_next(lambda xi, yi: None)  # the header: titles and column labels
            drawings[z] = drawing
        return _LiveExperiment(plan, cell_size, drawings)

    def take(self, experiment_id: str) -> _LiveExperiment | None:
        """What was drawn of the experiment so far, for `draw_grids` to finish (or drop)."""
        with self._lock:
            return self._live.pop(experiment_id, None)

    def discard(self, experiment_id: str) -> None:
        live = self.take(experiment_id)
        if live is not None:
            live.close()


LIVE_GRIDS = LiveGrids()


def draw_grids(store: ExperimentStore, experiment_id: str, preview_megapixels: float = PREVIEW_MEGAPIXELS,
               live_grids: LiveGrids = LIVE_GRIDS) -> tuple[list[GridFile], list[Image.Image]]:
    """Finish (or draw) and save one grid per Z value, band by band.

    Rows already drawn while the cells came in are kept when every cell in them is
    still done as drawn; the rest is painted now, from the tiles kept in memory or
    from the cell files. Returns the grid records and preview copies (together at most
    `preview_megapixels`) for the node's IMAGE output; the files on disk keep full size.
    """
    experiment = store.experiment(experiment_id)
    plan = Plan.from_dict(experiment.plan)
    folder = ExperimentFolder(store.root, experiment_id)
    folder.create()
    cells = {c.index: c for c in store.cells(experiment_id)}
    cell_size = display_cell_size(folder, cells.values())
    live = live_grids.take(experiment_id)
    if live is not None and not _still_valid(live, experiment, cells, cell_size, preview_megapixels):
        live.close()
        live = None
    grids: list[GridFile] = []
    previews: list[Image.Image] = []
    try:
        for z in range(plan.shape[2]):
            drawing = live.drawings.pop(z) if live is not None else None
            if drawing is None:
                layout = grid_layout(experiment, plan, z, cell_size)
                painter = GridPainter(layout, layout.cell_size or DEFAULT_CELL)
                drawing = GridDrawing(folder, z, painter, grid_text(experiment, z), preview_megapixels / plan.shape[2])
            size = drawing.painter.geometry.cell

            def tile_image(xi: int, yi: int, z: int = z) -> Image.Image:
                index = plan.index(xi, yi, z)
                kept = live.pop(index) if live is not None else None
                cell = cells.get(index)
                if kept is not None:
                    if cell is not None and cell.status == CellStatus.DONE:
                        return kept
                    kept.close()
                return render_tile(tile_of(folder, plan, cell, experiment.dry_run), size)
            try:
                while not drawing.complete:
                    drawing.draw_next(tile_image)
                grid, preview = drawing.finish()
            except BaseException:
                drawing.abort()
                raise
            grids.append(grid)
            previews.append(preview)
    finally:
        if live is not None:
            live.close()
    return grids, previews


def _still_valid(live: _LiveExperiment, experiment: Experiment, cells: dict[int, Cell],
                 cell_size: tuple[int, int] | None, preview_megapixels: float) -> bool:
    """The rows drawn live are what drawing now would give: same cell size and labels, and
    every cell in them still done."""
    if cell_size != live.cell_size or preview_megapixels != PREVIEW_MEGAPIXELS:
        return False
    if not all(drawing.intact for drawing in live.drawings.values()):
        return False
    if any(drawing.painter.layout != grid_layout(experiment, live.plan, z, cell_size)
           for z, drawing in live.drawings.items()):
        return False
    return all(i in cells and cells[i].status == CellStatus.DONE for i in live.drawn)

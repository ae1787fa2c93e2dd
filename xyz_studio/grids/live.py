"""Drawing grids while the experiment runs.

The cell writer hands each saved image here too (LIVE_GRIDS.add). Its tile is pasted
at once into its row's band: the pixels of the grid block across that row, at the size
the grid shows them, filled in whatever order the cells come (row by row, or column by
column when a costlier X varies slowest). A band whose tiles are all in (with every
band above it) goes to one background thread, which paints the labels around it,
filters and compresses it into the grid's file: neither ComfyUI's worker nor the cell
writer waits for zlib, and when the last cell is in, what is left is at most the last
bands and the footer; no cell PNG is read back. What this cannot vouch for (cells of
differing sizes, a cell that failed, the band budget reached, a run resumed in another
process) is left to the end (grids.finish), which fills those tiles from disk: the
result is the same pixels either way.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from ..comfyui.prompt_graph import consumers_of
from ..metrics.declared import metric_lines
from ..planning.plan import Plan
from ..protocol import Job
from ..render.caption import with_caption
from ..render.grid import GRID_LINE, fit_tile
from ..render.painter import GridPainter
from ..storage.folder import ExperimentFolder
from ..storage.store import ExperimentStore
from .drawing import PREVIEW_MEGAPIXELS, GridDrawing, display_size, grid_layout, grid_text

log = logging.getLogger("xyz_studio")
# Bands being filled, all running experiments together (a band is the grid block's width
# times one row of tiles, 3 bytes a pixel). Past it, a row is drawn from the cell files
# at the end instead (slower, never wrong). Cells that come column by column fill every
# band at once, so a grid drawn live that way holds its whole tile area until the last
# column: 128 MiB is a 40-megapixel grid (the default cap is 64).
LIVE_TILE_BUDGET = 128 * 2**20
LIVE_EXPERIMENTS = 4  # experiments drawn live at once; an older one is finished from disk


class BandDrawing(GridDrawing):
    """A grid drawing that also takes a row band whose tiles were pasted beforehand."""

    @property
    def previewed(self) -> bool:
        """Whether it makes the preview copy for the node's IMAGE output."""
        return self._scale > 0

    def write_next(self, block: np.ndarray | None) -> None:
        """Write the next band: painted without its tiles (labels, titles, gridlines), and the
        grid block's columns taken from `block` (tiles in) when given. The same pixels as
        draw_next with those tiles: the painter fills the grid block after the labels, so
        nothing but gridlines and tiles shows there."""
        top, bottom = self.painter.bands[self.next_band]
        band = self.painter.paint(top, bottom, lambda xi, yi: None)
        if block is None:
            pixels = np.asarray(band)
        else:  # only the strips beside the grid block come from the painted band
            left, right = self.painter.geometry.grid_xy[0], self.painter.geometry.grid_xy[0] + block.shape[1]
            pixels = np.empty((bottom - top, self.painter.width, 3), np.uint8)
            pixels[:, left:right] = block
            for x0, x1 in ((0, left), (right, self.painter.width)):
                if x1 > x0:
                    with band.crop((x0, 0, x1, bottom - top)) as strip:
                        pixels[:, x0:x1] = np.asarray(strip)
        self._writer.write(pixels)
        p_top, p_bottom = round(top * self._scale), round(bottom * self._scale)
        if p_bottom > p_top:  # the preview, as draw_next makes it
            shown = band if block is None else Image.fromarray(pixels)
            small = shown if self._scale == 1.0 else shown.resize(
                (self._preview.width, p_bottom - p_top), Image.Resampling.LANCZOS, reducing_gap=3.0)
            self._preview.paste(small, (0, p_top))
            if shown is not band:
                shown.close()
        band.close()
        self.next_band += 1


@dataclass
class Band:
    """One row of tiles of one grid, filled as its cells come."""

    pixels: np.ndarray                        # the grid block's columns across the row's band
    missing: set[int]                         # columns whose tile is not pasted yet
    cells: dict[int, int] = field(default_factory=dict)  # column -> the cell pasted there

    @property
    def nbytes(self) -> int:
        return int(self.pixels.nbytes)

    def paste(self, painter: GridPainter, xi: int, yi: int, tile: np.ndarray) -> None:
        geo = painter.geometry
        left, top, _, _ = geo.cell_box(xi, yi)
        left, top = left - geo.grid_xy[0], top - painter.row_band(yi)[0]
        if tile.shape[:2] != (geo.cell[1], geo.cell[0]):  # a tile covers its slot: the band has no colour there
            raise ValueError(f"a tile of {tile.shape[1]} x {tile.shape[0]} px for a slot of {geo.cell[0]} x "
                             f"{geo.cell[1]}")
        self.pixels[top:top + tile.shape[0], left:left + tile.shape[1]] = tile
        self.missing.discard(xi)


@dataclass
class _LiveExperiment:
    """An experiment's grids as far as its cells so far allow."""

    plan: Plan
    cell_size: tuple[int, int]
    drawings: dict[int, BandDrawing]
    bands: dict[tuple[int, int], Band] = field(default_factory=dict)  # (grid, row) -> band being filled
    handed: dict[int, int] = field(default_factory=dict)  # grid -> the next band to hand to the band writer
    writes: list[Future[None]] = field(default_factory=list)
    drawn: set[int] = field(default_factory=set)          # cells in bands handed to the band writer
    failed: bool = False                                  # a band write failed: the drawings are not whole

    def band_of(self, z: int, yi: int) -> Band | None:
        return self.bands.get((z, yi))

    def wait(self) -> None:
        """Until every band handed over is written (or failed)."""
        for write in self.writes:
            try:
                write.result()
            except Exception:
                log.warning("xyz_studio: a grid band could not be written yet; drawn at the end", exc_info=True)
                self.failed = True
        self.writes = [w for w in self.writes if not w.done()]

    def close(self) -> None:
        self.wait()
        for drawing in self.drawings.values():
            drawing.abort()
        self.bands.clear()


class LiveGrids:
    """The grids of the running experiments, drawn as their cells are saved (by the cell writer)."""

    def __init__(self, budget: int = LIVE_TILE_BUDGET, keep: int = LIVE_EXPERIMENTS):
        self.budget, self.keep = budget, keep
        self._live: OrderedDict[str, _LiveExperiment | None] = OrderedDict()  # None: not drawn live
        self._lock = threading.Lock()
        self._bytes = 0                     # bands allocated and not yet written, all experiments
        self._bytes_lock = threading.Lock()  # apart: a write that ends must not wait for an add
        self._band_writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xyz-grid-bands")

    def add(self, store: ExperimentStore, job: Job, images: list[Image.Image],
            metrics: dict[str, float | None] | None = None) -> None:
        """Take a saved cell's image (the caller keeps and closes it) and metric values. Never
        raises: drawing live only saves time at the end, which draws whatever is not done here."""
        try:
            with self._lock:
                self._add(store, job, images, metrics or {})
        except Exception:
            log.warning("xyz_studio: could not draw cell %s into the grid yet; drawn at the end", job.index,
                        exc_info=True)
            self.discard(job.experiment)

    def _add(self, store: ExperimentStore, job: Job, images: list[Image.Image],
             metrics: dict[str, float | None]) -> None:
        if job.experiment not in self._live:
            self._live[job.experiment] = self._start(store, job, images)
            while len(self._live) > self.keep:
                _, oldest = self._live.popitem(last=False)
                if oldest is not None:
                    self._close(oldest)
        live = self._live[job.experiment]
        if live is None or live.failed:
            return
        if len(images) != 1 or display_size(*images[0].size) != live.cell_size:
            return  # a batch or another size: its tile is drawn from its files at the end
        drawing = live.drawings[job.z]
        painter, xi, yi = drawing.painter, job.x, job.y
        if 1 + yi < live.handed[job.z]:
            return  # its row is written already (a cell saved twice): the end checks it is still done
        band = live.band_of(job.z, yi)
        if band is None:
            top, bottom = painter.row_band(yi)
            width = painter.geometry.grid_wh[0]
            with self._bytes_lock:
                if self._bytes + (bottom - top) * width * 3 > self.budget:
                    return
                self._bytes += (bottom - top) * width * 3
            band = live.bands[(job.z, yi)] = Band(_new_band(painter, yi), set(range(painter.geometry.ncols)))
        band.paste(painter, xi, yi, _tile_pixels(live.plan, painter, images[0], metrics))
        band.cells[xi] = job.index
        self._advance(live, job.z)

    def _advance(self, live: _LiveExperiment, z: int) -> None:
        """Hand every complete band to the band writer, top down, stopping at the first that is not."""
        drawing = live.drawings[z]
        while 1 <= live.handed[z] < len(drawing.painter.bands) - 1:  # the footer waits for the end
            band = live.bands.get((z, live.handed[z] - 1))
            if band is None or band.missing:
                return
            del live.bands[(z, live.handed[z] - 1)]
            live.drawn.update(band.cells.values())
            live.writes.append(self._write(drawing, band))
            live.handed[z] += 1

    def _write(self, drawing: BandDrawing, band: Band | None) -> Future[None]:
        def write() -> None:
            try:
                drawing.write_next(band.pixels if band is not None else None)
            finally:
                if band is not None:
                    with self._bytes_lock:
                        self._bytes -= band.nbytes
        return self._band_writer.submit(write)

    def _start(self, store: ExperimentStore, job: Job, images: list[Image.Image]) -> _LiveExperiment | None:
        if len(images) != 1:
            return None
        experiment = store.experiment(job.experiment)
        if experiment is None or experiment.dry_run:
            return None
        plan = experiment.readable_plan
        cell_size = display_size(*images[0].size)
        folder = ExperimentFolder(store.root, job.experiment)
        # the preview copies only when the Grid Assembler's grid output feeds a node (as it decides at
        # the end; finish redraws the grids if it asks for them after all): they cost more than zlib
        prompt, assembler = (experiment.source or {}).get("prompt"), experiment.assembler_id
        previews = not prompt or assembler is None or bool(consumers_of(prompt, str(assembler), 0))
        live = _LiveExperiment(plan, cell_size, {})
        for z in range(plan.grid_count):
            layout = grid_layout(experiment, plan, z, cell_size)
            assert layout.cell_size is not None  # grid_layout keeps the cell size it was given
            painter = GridPainter(layout, layout.cell_size)
            drawing = BandDrawing(folder, z, painter, grid_text(experiment, z),
                                  PREVIEW_MEGAPIXELS / plan.grid_count if previews else 0.0)
            live.drawings[z] = drawing
            live.writes.append(self._write(drawing, None))  # the header: titles and column labels
            live.handed[z] = 1
        return live

    def _close(self, live: _LiveExperiment) -> None:
        with self._bytes_lock:
            self._bytes -= sum(band.nbytes for band in live.bands.values())
        live.close()

    def take(self, experiment_id: str) -> _LiveExperiment | None:
        """What was drawn of the experiment so far, every band handed over written, for `draw_grids`
        to finish (or drop). Its bands still being filled no longer count against the budget."""
        with self._lock:
            live = self._live.pop(experiment_id, None)
        if live is not None:
            live.wait()
            with self._bytes_lock:
                self._bytes -= sum(band.nbytes for band in live.bands.values())
        return live

    def discard(self, experiment_id: str) -> None:
        live = self.take(experiment_id)
        if live is not None:
            live.close()


def _new_band(painter: GridPainter, yi: int) -> np.ndarray:
    """Row `yi`'s band of the grid block before its tiles: the gridlines in, the slots left
    unset (every slot gets a tile of its exact size before the band is written; filling all
    of it first would cost ComfyUI's worker ten times as much)."""
    geo = painter.geometry
    top, bottom = painter.row_band(yi)
    band = np.empty((bottom - top, geo.grid_wh[0], 3), np.uint8)
    line = np.array(GRID_LINE, np.uint8)
    band[:geo.gap] = line  # the gridline above the row
    for xi in range(geo.ncols + 1):  # the gridlines left of each tile and right of the last
        left = geo.cell_box(xi, yi)[0] - geo.grid_xy[0]
        band[:, left - geo.gap:left] = line
    return band


def _tile_pixels(plan: Plan, painter: GridPainter, image: Image.Image, metrics: dict[str, float | None]) -> np.ndarray:
    """The tile's pixels as the grid shows them (fit_tile's, without its copy when the image
    already has the slot's size)."""
    size = painter.geometry.cell
    if plan.show_metrics:
        tile = with_caption(lambda body: fit_tile(image, body), size, metric_lines(plan.metrics, metrics))
    elif image.mode == "RGB" and image.size == size:
        return np.asarray(image)
    else:
        tile = fit_tile(image, size)
    pixels = np.asarray(tile)
    tile.close()
    return pixels


LIVE_GRIDS = LiveGrids()

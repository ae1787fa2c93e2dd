"""Drawing grids while the experiment runs.

While an experiment runs with X in its innermost loop (rows fill one after another),
the cell writer hands each saved image here too (LIVE_GRIDS.add). The image is
fitted to its tile at once and kept until its row is complete; a complete row (with
every row above it) is painted and compressed into the grid's file straight away by
the cell writer. When the last cell is in, drawing the grids is only what is left,
often one row and the footer, and no cell PNG is read back. What this cannot vouch
for (cells of differing sizes, a cell that failed, a tile budget reached, a run
resumed in another process) is simply left to the end (grids.finish), which reads
those tiles from disk: the result is the same pixels either way.
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from PIL import Image

from ..metrics.declared import metric_lines
from ..planning.plan import Plan
from ..protocol import Job
from ..render.caption import with_caption
from ..render.grid import fit_tile
from ..render.painter import GridPainter
from ..storage.folder import ExperimentFolder
from ..storage.store import ExperimentStore
from .drawing import PREVIEW_MEGAPIXELS, GridDrawing, display_size, grid_layout, grid_text

log = logging.getLogger("xyz_studio")
# Fitted tiles kept for rows not yet drawn, all running experiments together. Past it,
# a tile is read back from its file at the end instead (slower, never wrong).
LIVE_TILE_BUDGET = 32 * 2**20
LIVE_EXPERIMENTS = 4  # experiments drawn live at once; an older one is finished from disk


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
        plan, columns = self.plan, self.plan.columns
        while not drawing.complete:
            rows = drawing.next_rows()
            if drawing.next_band == len(drawing.painter.bands) - 1:
                return  # the footer waits for the end: nothing after it may change the file
            indexes = [plan.cell_in_grid(xi, yi, drawing.z) for yi in rows for xi in range(columns)]
            if any(i not in self.tiles for i in indexes):
                return
            drawing.draw_next(lambda xi, yi: self.pop(plan.cell_in_grid(xi, yi, drawing.z)))
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
        if live.plan.show_metrics:
            tile = with_caption(lambda body: fit_tile(images[0], body), size, metric_lines(live.plan.metrics, metrics))
        else:
            tile = fit_tile(images[0], size)
        live.keep(job.index, tile)
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
        plan = experiment.readable_plan
        if plan.loop_order and plan.loop_order[-1] != plan.slots[0]:
            # columns fill first (a costlier X varies slowest): no row is complete before the
            # end, so holding tiles would only cost memory; the end draws from the files
            return None
        cell_size = display_size(*images[0].size)
        folder = ExperimentFolder(store.root, job.experiment)
        drawings = {}
        for z in range(plan.grid_count):
            layout = grid_layout(experiment, plan, z, cell_size)
            assert layout.cell_size is not None  # grid_layout keeps the cell size it was given
            painter = GridPainter(layout, layout.cell_size)
            drawing = GridDrawing(folder, z, painter, grid_text(experiment, z), PREVIEW_MEGAPIXELS / plan.grid_count)
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

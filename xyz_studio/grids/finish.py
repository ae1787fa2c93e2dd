"""Drawing what is left of an experiment's grids once its last cell is in."""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

import numpy as np
from PIL import Image

from ..render.grid import DEFAULT_CELL, render_tile
from ..render.painter import GridPainter
from ..storage.folder import ExperimentFolder
from ..storage.records import Cell, CellStatus, Experiment, GridFile
from ..storage.store import ExperimentStore
from .drawing import (
    DRY_RUN_CELL_LARGE,
    DRY_RUN_LARGE,
    PREVIEW_MEGAPIXELS,
    GridDrawing,
    display_cell_size,
    grid_layout,
    grid_text,
    searched_best,
    tile_of,
)
from .live import LIVE_GRIDS, Band, BandDrawing, LiveGrids, _LiveExperiment

PREFETCH_PIXELS = 256 * 256  # cells at least this large are read ahead on a second thread (see _draw_rest)


def draw_grids(store: ExperimentStore, experiment_id: str, previews: bool = True,
               live_grids: LiveGrids = LIVE_GRIDS) -> tuple[list[GridFile], list[Image.Image]]:
    """Finish (or draw) and save one grid per Z value, band by band.

    Rows already drawn while the cells came in are kept when every cell in them is
    still done as drawn; the rest is painted now: a row's band filled while the cells
    came in gets only its missing tiles (and those of cells no longer done) from the
    cell files, any other row all of them. Returns the grid records and, if `previews`, preview copies
    (together at most PREVIEW_MEGAPIXELS) for the node's IMAGE output; the files on disk
    keep full size.
    """
    experiment = store.experiment(experiment_id)
    plan = experiment.readable_plan
    folder = ExperimentFolder(store.root, experiment_id)
    folder.create()
    cells = {c.index: c for c in store.cells(experiment_id)}
    cell_size = DRY_RUN_CELL_LARGE if experiment.dry_run and len(cells) > DRY_RUN_LARGE else display_cell_size(
        folder, cells.values())
    best = searched_best(experiment, plan, cells.values())
    live = live_grids.take(experiment_id)
    if live is not None and not _still_valid(live, experiment, cells, cell_size, previews):
        live.close()
        live = None
    grids: list[GridFile] = []
    images: list[Image.Image] = []
    prefetch = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xyz-grid-tiles")
    try:
        for z in range(plan.grid_count):
            drawing: GridDrawing | None = live.drawings.pop(z) if live is not None else None
            if drawing is None:
                layout = grid_layout(experiment, plan, z, cell_size)
                painter = GridPainter(layout, layout.cell_size or DEFAULT_CELL)
                preview_share = PREVIEW_MEGAPIXELS / plan.grid_count if previews else 0.0
                drawing = GridDrawing(folder, z, painter, grid_text(experiment, z), preview_share)
            size = drawing.painter.geometry.cell

            def tile_image(xi: int, yi: int, z: int = z, size: tuple[int, int] = size) -> Image.Image:
                cell = cells.get(plan.cell_in_grid(xi, yi, z))
                return render_tile(tile_of(folder, plan, cell, experiment.dry_run, best), size)

            def band_of(yi: int, z: int = z) -> Band | None:
                band = live.bands.get((z, yi)) if live is not None else None
                if band is not None:  # a cell pasted there that is no longer done is drawn again, and the best
                    band.missing.update(xi for xi, i in band.cells.items()  # of a search, with its frame
                                        if i not in cells or cells[i].status != CellStatus.DONE or i == best)
                return band
            try:
                _draw_rest(drawing, tile_image, band_of, prefetch)
                grid, preview = drawing.finish()
                grid = replace(grid, labels={axis.slot: label for axis, label in plan.grid_labels(z)})
            except BaseException:
                drawing.abort()
                raise
            grids.append(grid)
            if previews:
                images.append(preview)
            else:
                preview.close()
    finally:
        prefetch.shutdown(wait=True, cancel_futures=True)
        if live is not None:
            live.close()
    return grids, images


def _draw_rest(drawing: GridDrawing, tile_image: Callable[[int, int], Image.Image],
               band_of: Callable[[int], Band | None], prefetch: ThreadPoolExecutor) -> None:
    """Draw the bands not drawn yet: a band filled while the cells came in gets only its
    missing tiles. Tiles of large cells are read and fitted on another thread while this
    one paints and compresses the band before them (decoding, resizing and zlib release
    the GIL, so the two overlap on a second core); for small cells the hand-over would
    cost more than it saves."""
    cell_w, cell_h = drawing.painter.geometry.cell
    ahead: dict[tuple[int, int], Future[Image.Image]] = {}

    def wanted(rows: range) -> list[tuple[int, int]]:
        """The tiles the band of these rows still needs."""
        out = []
        for yi in rows:
            band = band_of(yi) if isinstance(drawing, BandDrawing) else None
            out += [(xi, yi) for xi in (sorted(band.missing) if band else range(drawing.painter.geometry.ncols))]
        return out

    def draw_next(tile: Callable[[int, int], Image.Image]) -> None:
        rows = drawing.next_rows()
        band = band_of(rows[0]) if rows and isinstance(drawing, BandDrawing) else None
        if band is None:
            drawing.draw_next(tile)
            return
        assert isinstance(drawing, BandDrawing)
        for xi, yi in wanted(rows):
            image = tile(xi, yi)
            band.paste(drawing.painter, xi, yi, np.asarray(image))
            image.close()
        drawing.write_next(band.pixels)

    if cell_w * cell_h < PREFETCH_PIXELS:
        while not drawing.complete:
            draw_next(tile_image)
        return

    def submit(rows: range) -> None:
        for xi, yi in wanted(rows):
            ahead[(xi, yi)] = prefetch.submit(tile_image, xi, yi)

    submit(drawing.next_rows())
    try:
        while not drawing.complete:
            submit(drawing.next_rows(ahead=1))
            draw_next(lambda xi, yi: ahead.pop((xi, yi)).result())
    finally:
        for future in ahead.values():  # a band failed: the tiles read ahead are not needed
            if future.cancel() or future.exception() is not None:
                continue
            future.result().close()


def _still_valid(live: _LiveExperiment, experiment: Experiment, cells: dict[int, Cell],
                 cell_size: tuple[int, int] | None, previews: bool) -> bool:
    """The rows drawn live are what drawing now would give: same cell size and labels, every
    cell in them still done, and the preview copies made if they are wanted."""
    if live.failed or cell_size != live.cell_size:
        return False
    if previews and not all(drawing.previewed for drawing in live.drawings.values()):
        return False
    if not all(drawing.intact for drawing in live.drawings.values()):
        return False
    if any(drawing.painter.layout != grid_layout(experiment, live.plan, z, cell_size)
           for z, drawing in live.drawings.items()):
        return False
    return all(i in cells and cells[i].status == CellStatus.DONE for i in live.drawn)

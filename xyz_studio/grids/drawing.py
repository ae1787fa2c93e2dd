"""One grid per Z value: its layout, its tiles, and its PNG written band by band.

A grid is painted and encoded in horizontal bands (render.painter.GridPainter,
render.png_stream.PngBandWriter): the header, one band per row of tiles, the
footer. Only one band is ever in memory, plus a small preview copy for the node's
IMAGE output.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import replace

import numpy as np
from PIL import Image

from ..metrics.declared import metric_lines
from ..metrics.summary import best_cell
from ..planning.plan import Plan
from ..protocol import strict_json
from ..render.caption import captioned_slot
from ..render.grid import GridLayout, Tile, TileKind
from ..render.painter import GridPainter
from ..render.png_stream import PngBandWriter
from ..storage.folder import GRID_COMPRESS_LEVEL, ExperimentFolder
from ..storage.records import Cell, CellStatus, Experiment, GridFile
from ..workflow.panel_state import showing_experiment

# All grids' copies in the IMAGE output together: 2 MP is a 1448 x 1448 picture, 24 MB as float32.
# The files on disk keep full size; a larger copy would only raise the server's peak memory.
PREVIEW_MEGAPIXELS = 2.0
# A dry run of more cells than this draws each placeholder small and without its values (the
# column and row headers and the grid's title say them): it shows the layout, and 10,000
# placeholders with their values at 256 px are 650 megapixels and 17 s of text for nothing.
DRY_RUN_LARGE = 1000
DRY_RUN_CELL_LARGE = (128, 128)
MIN_DISPLAY_CELL = 128  # px: smaller renders are enlarged on the grid so labels have room


def footer_text(plan: Plan) -> str:
    groups: dict[str, list[str]] = {}
    for fixed in plan.fixed:
        groups.setdefault(fixed.node, []).append(f"{fixed.input} {fixed.value}")
    return "Fixed: " + "; ".join(f"{node}: " + ", ".join(items) for node, items in groups.items()) if groups else ""


def search_text(experiment: Experiment, plan: Plan) -> str:
    """What a searched grid says it is, above the fixed parameters (its empty tiles are cells not run)."""
    search = experiment.options.search
    if search is None or experiment.dry_run:
        return ""
    goal = f" ({search.goal.value})" if search.goal else ""
    return (f"Searched: {search.sampler.value} on {search.objective}{goal}, {min(search.budget, plan.cell_count)} of "
            f"{plan.cell_count} cells; empty tiles were not run; the best cell is outlined")


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
    """The layout of grid `z` (the Z value's, while there are three axes); with metrics shown,
    each slot is taller by its value line."""
    x_axis, y_axis = plan.axes[0], plan.axis(plan.slots[1])  # the planner requires an X axis
    if plan.show_metrics and cell_size is not None:
        cell_size = captioned_slot(cell_size, len(plan.metrics))
    title = experiment.name + "".join(f" — {axis.title}: {label}" for axis, label in plan.grid_labels(z))
    return GridLayout(title=title, x_title=x_axis.title, x_labels=x_axis.labels,
                      y_title=y_axis.title if y_axis else "", y_labels=y_axis.labels if y_axis else ("",),
                      footer="\n".join(filter(None, (search_text(experiment, plan), footer_text(plan)))),
                      cell_size=cell_size,
                      max_megapixels=float(experiment.options.max_megapixels))


def grid_text(experiment: Experiment, z: int) -> dict[str, str]:
    """The grid PNG's text: which experiment and Z, and the source workflow (so dropping the
    grid on ComfyUI loads the XYZ workflow that made it, its Grid Assembler's panel showing
    this experiment)."""
    source = experiment.source or {}
    text = {"xyz_studio": strict_json({"experiment": experiment.id, "z": z})}
    workflow, assembler = source.get("workflow"), experiment.assembler_id
    if workflow and assembler is not None:
        workflow = showing_experiment(workflow, str(assembler), experiment.id)
    for key, value in (("workflow", workflow), ("prompt", source.get("prompt"))):
        if value:
            text[key] = strict_json(value)
    return text


def searched_best(experiment: Experiment, plan: Plan, cells: Iterable[Cell]) -> int | None:
    """The index of a search's best cell (by its objective and goal; the first on a tie), outlined on
    its grid; None for a sweep, a dry run, or a search with no value yet."""
    search = experiment.options.search
    metric = next((m for m in plan.metrics if search and m.name == search.objective), None)
    if search is None or metric is None or experiment.dry_run:
        return None
    best = best_cell(replace(metric, goal=search.goal or metric.goal),
                     [c for c in cells if c.status == CellStatus.DONE])
    return best[0].index if best else None


def tile_of(folder: ExperimentFolder, plan: Plan, cell: Cell | None, dry_run: bool, best: int | None = None) -> Tile:
    tile = _bare_tile(folder, plan, cell, dry_run)
    if cell is not None and cell.index == best and tile.kind == TileKind.IMAGE:
        tile = replace(tile, outlined=True)
    if plan.show_metrics and not dry_run:
        if cell is not None and cell.status == CellStatus.PLANNED:  # not run by its search: no value to miss
            return replace(tile, caption=tuple("" for _ in plan.metrics))
        return replace(tile, caption=metric_lines(plan.metrics, cell.metrics if cell is not None else {}))
    return tile


def _bare_tile(folder: ExperimentFolder, plan: Plan, cell: Cell | None, dry_run: bool) -> Tile:
    if cell is None:
        return Tile(kind=TileKind.MISSING, text="missing")
    if cell.status == CellStatus.DONE and cell.files:
        paths = tuple(folder.dir / f for f in cell.files)
        return Tile(kind=TileKind.IMAGE, path=paths[0], images=paths if len(paths) > 1 else ())
    if cell.status == CellStatus.PLANNED and not dry_run:
        return Tile(kind=TileKind.PLACEHOLDER, text="")  # a cell its search did not run: an empty tile
    if cell.status == CellStatus.PLANNED or dry_run:
        if plan.cell_count > DRY_RUN_LARGE:  # the headers and the grid's title say each cell's values
            return Tile(kind=TileKind.PLACEHOLDER, text="")
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

    def next_rows(self, ahead: int = 0) -> range:
        """The rows of tiles the next band (or the one `ahead` bands after it) holds; empty
        for the header, the footer and past the end."""
        band = self.next_band + ahead
        return self.painter.rows_in(*self.painter.bands[band]) if band < len(self.painter.bands) else range(0)

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

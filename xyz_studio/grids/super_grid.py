"""Super-grids: the Grid Driver's `super_grid` option, one PNG nesting the Z axis as a grid of grids.

Drawn in the final prompt after the grids (experiment/assemble.py), one per combination of
the values of the axes after Z (a single one with three axes): its blocks are the grids of
each Z value, each titled with its Z label (render/super_layout.py lays them out within the
experiment's megapixel cap). Tiles are fitted from the cell files again at the blocks'
cell size, band by band, so only one band of the sheet is in memory, as for a grid.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image

from ..planning.plan import Plan
from ..protocol import strict_json
from ..render.grid import DEFAULT_CELL, render_tile
from ..render.png_stream import PngBandWriter
from ..render.super_layout import SuperGridLayout, SuperGridPainter
from ..storage.folder import GRID_COMPRESS_LEVEL, ExperimentFolder
from ..storage.records import Cell, Experiment, SuperGridFile
from ..storage.store import ExperimentStore
from .drawing import display_cell_size, footer_text, grid_layout, grid_text, searched_best, tile_of

NESTED_SLOT = "z"  # the axis whose grids become a super-grid's blocks


def super_grid_path(folder: ExperimentFolder, number: int) -> Path:
    return folder.grids_dir / f"super_grid_{number:03d}.png"


def super_grid_count(plan: Plan) -> int:
    """How many super-grids the option draws: one per combination of the axes after Z, none without a Z axis."""
    nested = plan.size(NESTED_SLOT)
    return plan.grid_count // nested if nested > 1 else 0


def super_grid_layout(experiment: Experiment, plan: Plan, number: int,
                      cell_size: tuple[int, int] | None) -> SuperGridLayout:
    """Super-grid `number`: grids number * nz ... (number + 1) * nz - 1 (Z varies fastest among them)."""
    nested = plan.axis(NESTED_SLOT)
    if nested is None:
        raise ValueError("a super-grid nests the Z axis: this plan has none")
    first = number * nested.size
    blocks = []
    for zi, label in enumerate(nested.labels):
        grid = grid_layout(experiment, plan, first + zi, cell_size)
        blocks.append(replace(grid, title=f"{nested.title}: {label}", footer=""))
    outer = [(axis, label) for axis, label in plan.grid_labels(first) if axis.slot != NESTED_SLOT]
    title = experiment.name + "".join(f" — {axis.title}: {label}" for axis, label in outer)
    return SuperGridLayout(title=title, blocks=tuple(blocks), cell_size=blocks[0].cell_size or DEFAULT_CELL,
                           footer=footer_text(plan), max_megapixels=float(experiment.options.max_megapixels))


def super_grid_labels(plan: Plan, number: int) -> dict[str, str]:
    """{slot: label} of the axes after Z on super-grid `number`."""
    nested = plan.size(NESTED_SLOT)
    return {axis.slot: label for axis, label in plan.grid_labels(number * nested) if axis.slot != NESTED_SLOT}


def draw_super_grids(store: ExperimentStore, experiment_id: str) -> tuple[SuperGridFile, ...]:
    """Draw and save the experiment's super-grids if its options ask for them (else, or without a
    Z axis, none). A super-grid left from an earlier drawing is replaced."""
    experiment = store.experiment(experiment_id)
    plan = experiment.readable_plan
    if not experiment.options.super_grid or not super_grid_count(plan):
        return ()
    folder = ExperimentFolder(store.root, experiment_id)
    folder.create()
    cells = {c.index: c for c in store.cells(experiment_id)}
    cell_size = display_cell_size(folder, cells.values())
    return tuple(_draw_one(folder, experiment, plan, cells, cell_size, number)
                 for number in range(super_grid_count(plan)))


def _draw_one(folder: ExperimentFolder, experiment: Experiment, plan: Plan, cells: dict[int, Cell],
              cell_size: tuple[int, int] | None, number: int) -> SuperGridFile:
    painter = SuperGridPainter(super_grid_layout(experiment, plan, number, cell_size))
    best = searched_best(experiment, plan, cells.values())
    first, size = number * plan.size(NESTED_SLOT), painter.cell
    path = super_grid_path(folder, number)
    text = {**grid_text(experiment, first), "xyz_studio": strict_json({"experiment": experiment.id,
                                                                        "super_grid": number})}

    def tile_image(block: int, xi: int, yi: int) -> Image.Image:
        cell = cells.get(plan.cell_in_grid(xi, yi, first + block))
        return render_tile(tile_of(folder, plan, cell, experiment.dry_run, best), size)
    with PngBandWriter(path, painter.width, painter.height, text, GRID_COMPRESS_LEVEL) as writer:
        for top, bottom in painter.bands:
            band = painter.paint(top, bottom, tile_image)
            writer.write(np.asarray(band))
            band.close()
    return SuperGridFile(index=number, file=folder.relative(path), width=painter.width, height=painter.height,
                         labels=super_grid_labels(plan, number))
